"""Reads for polls: lists and results (counts only, never who voted)."""

from django.db.models import Count, Q
from django.utils import timezone

from .models import Poll, PollOption, Vote


def public_polls():
    """Open and past polls, never drafts."""
    return (
        Poll.objects.exclude(status=Poll.Status.DRAFT)
        .select_related("agency")
        .prefetch_related("options")
    )


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
