"""Reads for polls: lists and results (counts only, never who voted)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from .models import Poll, PollOption, Vote


def public_polls(user=None):
    """Open and past polls, never drafts; each option with its count of votes and, for a
    signed-in ``user``, whether they voted (``i_voted``): the same queries for any number of
    polls."""
    options = PollOption.objects.annotate(votes_count=Count("votes")).order_by("position")
    qs = (
        Poll.objects.exclude(status=Poll.Status.DRAFT)
        .select_related("agency")
        .prefetch_related(Prefetch("options", queryset=options))
    )
    if user is not None and user.is_authenticated:
        qs = qs.annotate(i_voted=Exists(Vote.objects.filter(poll=OuterRef("pk"), voter=user)))
    return qs


def open_polls(now=None):
    now = now or timezone.now()
    return public_polls().filter(status=Poll.Status.OPEN, opens_at__lte=now, closes_at__gt=now)


def past_polls(now=None):
    now = now or timezone.now()
    return public_polls().filter(
        Q(status=Poll.Status.CLOSED) | Q(status=Poll.Status.OPEN, closes_at__lte=now)
    )


def has_voted(poll, user) -> bool:
    return bool(
        user and user.is_authenticated and Vote.objects.filter(poll=poll, voter=user).exists()
    )


def results(poll) -> dict:
    """``{"voters": n, "options": [{"id", "text", "votes", "percent"}]}`` in two queries."""
    rows = list(
        PollOption.objects.filter(poll=poll)
        .annotate(votes_count=Count("votes"))
        .order_by("position")
        .values("id", "text", "votes_count")
    )
    voters = Vote.objects.filter(poll=poll).count()
    return {
        "voters": voters,
        "options": [
            {
                "id": row["id"],
                "text": row["text"],
                "votes": row["votes_count"],
                "percent": round(100 * row["votes_count"] / voters) if voters else 0,
            }
            for row in rows
        ],
    }
