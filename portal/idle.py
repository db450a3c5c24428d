"""Staff, committee reviewers and agency officers are signed out after a working day without
activity (STAFF_SESSION_IDLE_SECONDS); other people keep Django's session age."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import ngettext

from .roles import Role, has_role

# Who is signed out after a working day without activity (STAFF_SESSION_IDLE_SECONDS): the
# people who decide, approve and pay.
IDLE_LIMITED_ROLES = (Role.STAFF_ADMIN, Role.COMMITTEE_REVIEWER, Role.AGENCY_OFFICER)
IDLE_TOUCH_SECONDS = 60  # the session is saved at most this often to mark activity


def idle_limited(user) -> bool:
    return user.is_staff or any(has_role(user, role) for role in IDLE_LIMITED_ROLES)


class IdleSessionMiddleware:
    """Staff, committee reviewers and agency officers: a session unused for
    STAFF_SESSION_IDLE_SECONDS ends (the next page asks them to sign in again, saying why);
    while they work, its expiry moves on (saved at most once a minute)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and idle_limited(user):
            limit = settings.STAFF_SESSION_IDLE_SECONDS
            now = int(time.time())
            last = request.session.get("last_active")
            if last is not None and now - last > limit:
                logout(request)
                hours = max(1, round(limit / 3600))
                messages.info(
                    request,
                    ngettext(
                        "You were signed out after %(hours)d hour without activity.",
                        "You were signed out after %(hours)d hours without activity.",
                        hours,
                    )
                    % {"hours": hours},
                )
            elif last is None or now - last >= IDLE_TOUCH_SECONDS:
                mark_active(request.session, now)
        return self.get_response(request)


def mark_active(session, now: int | None = None) -> None:
    session["last_active"] = int(time.time()) if now is None else now
    # The stored session outlives the limit by an hour, so that the next page within it
    # finds the session, ends it here and says why; after that it is simply gone.
    session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS + 3600)


@receiver(user_logged_in, dispatch_uid="portal_idle_session_start")
def start_idle_clock(sender, request, user, **kwargs):
    """The clock starts at sign-in (in the session saved with it, so the first page after
    sign-in writes nothing more)."""
    if request is not None and hasattr(request, "session") and idle_limited(user):
        mark_active(request.session)
