"""The meetings' notices: a place freed for someone waiting, a meeting cancelled."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.notices.kinds import Kind, register
from portal.notices.services import notify

register(
    Kind(
        "meeting_place_freed",
        _("A place at a meeting became yours"),
        0,
        _("You have a place at “%(meeting)s”"),
        _(
            "Someone gave up their place at “%(meeting)s” on %(starts)s, and you were first on "
            "the waiting list: the place is yours. If you cannot come, cancel so the next "
            "person gets it."
        ),
        audience=_("people on a meeting's waiting list"),
        position=400,
    ),
    Kind(
        "meeting_cancelled",
        _("A meeting you registered for was cancelled"),
        0,
        _("“%(meeting)s” is cancelled"),
        _("The meeting “%(meeting)s” on %(starts)s is cancelled: %(reason)s"),
        audience=_("people registered for a meeting"),
        position=401,
    ),
)


def _context(meeting, **extra):
    # The moment as such: each reader gets it in their language's B.E. or C.E. form.
    return {"meeting": meeting.title, "starts": meeting.starts_at, **extra}


def tell_moved_up(meeting, person):
    notify(
        "meeting_place_freed",
        [person],
        meeting,
        context=_context(meeting),
        url=reverse("meeting-detail", args=[meeting.pk]),
    )


def tell_cancelled(meeting, people, reason):
    notify(
        "meeting_cancelled",
        people,
        meeting,
        context=_context(meeting, reason=reason),
        url=reverse("meeting-detail", args=[meeting.pk]),
    )
