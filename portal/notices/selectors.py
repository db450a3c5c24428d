"""Reads of notices: a person's in-app notices (the inbox), their choices, a kind's lead
time."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast

from .kinds import KINDS
from .models import Notice, NoticeKind, NoticePreference


def notice_inbox(user):
    """The notices shown to ``user`` in the portal, newest first. Notices recorded while the
    person had the in-app channel off are not theirs to see here (they went by email)."""
    return (
        Notice.objects.filter(recipient=user, in_app=True)
        .select_related("content_type")
        .order_by("-created_at", "-id")
    )


def notice_unread_count(user) -> int:
    """One COUNT on the (recipient, read_at) index."""
    return Notice.objects.filter(recipient=user, in_app=True, read_at__isnull=True).count()


def notice_preferences_of(user) -> dict:
    """``user``'s saved choices by kind code (a kind with no row: both channels on)."""
    return {p.kind: p for p in NoticePreference.objects.filter(user=user)}


def lead_days(code: str) -> int:
    """The lead time the staff admin set for ``code`` (admin: kinds of notice), or the
    default; -1 when the admin switched the kind off."""
    row = NoticeKind.objects.filter(code=code).values_list("lead_days", "active").first()
    if row is None:
        return KINDS[code].lead_days
    return row[0] if row[1] else -1


def not_yet_notified(queryset, kind: str, **match):
    """``queryset`` without the rows that already have their notice of ``kind`` (to anyone):
    ``match`` ties the notice to the row, e.g. ``due_on=OuterRef("due_on")``. A rule that
    leaves them out in SQL costs what is newly due, not every overdue row since the start
    (a sweep at national size read 30,000 such rows to record nothing)."""
    told = Notice.objects.filter(
        kind=kind,
        content_type=ContentType.objects.get_for_model(queryset.model),
        object_id=Cast(OuterRef("pk"), CharField()),
        **match,
    )
    return queryset.exclude(Exists(told))
