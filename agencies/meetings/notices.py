"""The meetings' notices: a place freed for someone waiting, a meeting cancelled, and the
reminders a week and a day before a meeting to everyone with a place."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.notices.kinds import Kind, register
from portal.notices.services import notify
from portal.notices.sweep import Due, rule

from .models import Meeting, Registration

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
    Kind(
        "meeting_reminder_week",
        _("A meeting you registered for is next week"),
        7,
        _("Reminder: “%(meeting)s” on %(starts)s"),
        _(
            "You have a place at “%(meeting)s” on %(starts)s. Where: %(where)s. "
            "What you asked for: %(needs)s. If you cannot come, cancel so someone waiting "
            "gets your place."
        ),
        audience=_("people registered for a meeting"),
        position=402,
    ),
    Kind(
        "meeting_reminder_day",
        _("A meeting you registered for is tomorrow"),
        1,
        _("Tomorrow: “%(meeting)s” at %(starts)s"),
        _(
            "“%(meeting)s” is on %(starts)s. Where: %(where)s. What you asked for: %(needs)s. "
            "If you cannot come, cancel so someone waiting gets your place."
        ),
        audience=_("people registered for a meeting"),
        position=403,
    ),
)


def _where(meeting):
    parts = [p for p in (meeting.place, meeting.online_url) if p]
    return " · ".join(parts) if parts else _("see the meeting's page")


def _needs(registration):
    """The accessibility needs the person gave, in the reader's language (lazy labels)."""
    labels = [
        Registration.Need(n).label for n in registration.needs if n in Registration.Need.values
    ]
    if registration.needs_other:
        labels.append(registration.needs_other)
    if not labels:
        return _("nothing in particular")
    return format_lazy(", ".join(["{}"] * len(labels)), *labels)


def _reminders(kind, now, *, more_than_days, up_to_days):
    """Everyone with a place at a published meeting starting in (more_than, up_to] days from
    today, each told once per meeting (the notice's key is the meeting's day)."""
    today = timezone.localdate(now)
    until = today + datetime.timedelta(days=up_to_days)
    registrations = (
        Registration.objects.filter(
            status=Registration.Status.REGISTERED,
            meeting__status=Meeting.Status.PUBLISHED,
            meeting__starts_at__gt=now,
            meeting__starts_at__date__lte=until,
        )
        .select_related("meeting", "person")
        .order_by("meeting__starts_at", "pk")
    )
    for registration in registrations:
        meeting = registration.meeting
        day = timezone.localdate(meeting.starts_at)
        if (day - today).days <= more_than_days:
            continue
        yield Due(
            kind,
            [registration.person],
            meeting,
            day,
            context=_context(meeting, where=_where(meeting), needs=_needs(registration)),
            url=reverse("meeting-detail", args=[meeting.pk]),
        )


@rule("meeting_reminder_week")
def meeting_reminder_week(today, now, lead):
    """A week before (the lead the admin set): not when the day-before reminder is due."""
    yield from _reminders("meeting_reminder_week", now, more_than_days=1, up_to_days=lead)


@rule("meeting_reminder_day")
def meeting_reminder_day(today, now, lead):
    yield from _reminders("meeting_reminder_day", now, more_than_days=-1, up_to_days=lead)


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
