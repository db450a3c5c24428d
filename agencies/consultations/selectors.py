"""Reads for consultations: the public list with its filters, one consultation for a user,
its threads, and the moderation queue. Each answers in a constant number of queries."""

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from portal.ids import id_or_404

from .models import Consultation, Contribution, Flag, Reaction, Response
from .permissions import can_see

CS = Consultation.Status


def public_consultations(*, state: str = "open", filters: dict | None = None, now=None):
    """Open (published and in its period), upcoming, or past (closed, reported, or ended)."""
    now = now or timezone.now()
    qs = Consultation.objects.exclude(status=CS.DRAFT).select_related(
        "agency", "mission", "province"
    )
    if state == "past":
        qs = qs.filter(Q(status__in=[CS.CLOSED, CS.REPORTED]) | Q(closes_at__lte=now)).order_by(
            "-closes_at", "-pk"
        )
    elif state == "upcoming":
        qs = qs.filter(status=CS.PUBLISHED, opens_at__gt=now).order_by("opens_at", "pk")
    else:
        qs = qs.filter(status=CS.PUBLISHED, opens_at__lte=now, closes_at__gt=now).order_by(
            "closes_at", "pk"
        )
    filters = filters or {}
    if filters.get("agency"):
        qs = qs.filter(agency_id=filters["agency"])
    if filters.get("mission"):
        qs = qs.filter(mission_id=filters["mission"])
    if filters.get("province"):
        qs = qs.filter(Q(province_id=filters["province"]) | Q(province__isnull=True))
    if filters.get("topic"):
        qs = qs.filter(topic=filters["topic"])
    if filters.get("q"):
        words = filters["q"].split()[:5]
        for word in words:
            qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return qs


def agency_consultations(agency_id):
    return (
        Consultation.objects.filter(agency_id=agency_id)
        .select_related("agency", "mission")
        .order_by("-created_at", "-pk")
    )


def mission_consultations(mission_id):
    return (
        Consultation.objects.filter(mission_id=mission_id)
        .exclude(status=CS.DRAFT)
        .select_related("agency")
        .order_by("-opens_at", "-pk")
    )


def consultation_get_for_user(user, pk) -> Consultation:
    pk = id_or_404(pk)
    consultation = (
        Consultation.objects.select_related("agency", "mission", "province")
        .prefetch_related("questions", "documents")
        .filter(pk=pk)
        .first()
    )
    if consultation is None or not can_see(user, consultation):
        raise Http404
    return consultation


def contribution_get(consultation, pk) -> Contribution:
    found = (
        Contribution.objects.select_related("consultation", "question")
        .filter(consultation=consultation, pk=id_or_404(pk))
        .first()
    )
    if found is None:
        raise Http404
    return found


def visible_to(user, consultation, *, moderator: bool):
    """The contributions this reader sees: everything visible or hidden (a hidden one shows
    only the moderator's reason), and held ones only to moderators and their authors."""
    qs = Contribution.objects.filter(consultation=consultation)
    if not moderator:
        held_mine = Q(status=Contribution.Status.HELD)
        if user and user.is_authenticated:
            qs = qs.filter(~held_mine | Q(author=user))
        else:
            qs = qs.exclude(held_mine)
    return qs


def threads(user, consultation, *, moderator: bool, question=None):
    """Root contributions (per question, or all) with their replies, in two queries, plus
    the reader's own reactions."""
    base = visible_to(user, consultation, moderator=moderator)
    roots = base.filter(parent__isnull=True)
    if question is not None:
        roots = roots.filter(question=question)
    roots = roots.select_related("meeting").prefetch_related(
        Prefetch(
            "replies",
            queryset=base.select_related("meeting").order_by("created_at", "pk"),
            to_attr="reply_list",
        )
    )
    return roots.order_by("created_at", "pk")


def my_reactions(user, consultation) -> dict[int, str]:
    if not (user and user.is_authenticated):
        return {}
    return dict(
        Reaction.objects.filter(person=user, contribution__consultation=consultation).values_list(
            "contribution_id", "value"
        )
    )


def my_response(user, consultation):
    if not (user and user.is_authenticated):
        return None
    return Response.objects.filter(consultation=consultation, respondent=user).first()


def moderation_queue(consultation):
    """Held contributions and visible ones with unhandled reports, oldest first."""
    flagged = Flag.objects.filter(handled=False).values("contribution_id")
    return (
        Contribution.objects.filter(consultation=consultation)
        .filter(Q(status=Contribution.Status.HELD) | Q(pk__in=flagged))
        .select_related("question")
        .prefetch_related(
            Prefetch("flags", queryset=Flag.objects.filter(handled=False), to_attr="open_flags")
        )
        .order_by("created_at", "pk")
    )


def my_contributions(user, consultation):
    if not (user and user.is_authenticated):
        return Contribution.objects.none()
    return Contribution.objects.filter(consultation=consultation, author=user).order_by(
        "created_at", "pk"
    )
