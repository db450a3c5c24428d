"""The email telling a person their two-factor sign-in changed (a Celery task, found by the
worker through ``tasks``): if it was not them, they know at once whom to ask."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.models import User

EVENTS = ("enrolled", "disabled", "reset")


def _message(event: str, user) -> tuple[str, str]:
    subjects = {
        "enrolled": _("Two-factor sign-in is now on for your account"),
        "disabled": _("Two-factor sign-in was turned off for your account"),
        "reset": _("A staff administrator reset your two-factor sign-in"),
    }
    leads = {
        "enrolled": _(
            "From now on the portal asks for the code from your authenticator app (or one "
            "of your recovery codes) after your password."
        ),
        "disabled": _(
            "The portal no longer asks for a code after your password. Your recovery codes "
            "no longer work."
        ),
        "reset": _(
            "Your authenticator app and recovery codes no longer work with the portal. Set "
            "up two-factor sign-in again at your next sign-in."
        ),
    }
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("two-factor")
    body = "\n\n".join(
        [
            _("Dear %(name)s,") % {"name": user.get_full_name() or user.username},
            str(leads[event]),
            _("Your two-factor settings: %(url)s") % {"url": url},
            _("If you did not do this, change your password and write to %(email)s at once.")
            % {"email": settings.PORTAL_CONTACT_EMAIL},
        ]
    )
    return str(subjects[event]), body + "\n"


@shared_task(name="portal.tasks.send_two_factor_email")
def send_two_factor_email(user_id: int, event: str) -> int:
    """Email the person, in their language, that their two-factor sign-in was ``event``
    (enrolled, disabled, reset). Returns how many emails were sent."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None or event not in EVENTS:
        return 0
    with translation.override(user.language or "th"):
        subject, body = _message(event, user)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return 1
