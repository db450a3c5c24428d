from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from portal.ids import id_or_404

from .models import AdvisoryGroup, Recommendation
from .permissions import can_see


def public_groups(agency=None):
    qs = (
        AdvisoryGroup.objects.filter(status=AdvisoryGroup.Status.ACTIVE)
        .select_related("agency")
        .annotate(
            unanswered=Count(
                "recommendations",
                filter=Q(recommendations__answer=Recommendation.Answer.PENDING),
            )
        )
    )
    return qs.filter(agency_id=agency) if agency else qs


def group_get_for_user(user, pk) -> AdvisoryGroup:
    group = AdvisoryGroup.objects.select_related("agency").filter(pk=id_or_404(pk)).first()
    if group is None or not can_see(user, group):
        raise Http404
    return group


def members_now_and_before(group, today=None):
    today = today or timezone.localdate()
    members = list(group.members.all())
    current = [
        m for m in members if m.term_start <= today and (not m.term_end or m.term_end >= today)
    ]
    past = [m for m in members if m.term_end and m.term_end < today]
    return current, past


def recommendations_with_waits(group, today=None):
    today = today or timezone.localdate()
    rows = list(group.recommendations.select_related("meeting"))
    for r in rows:
        r.waiting_days = (
            (today - r.made_on).days if r.answer == Recommendation.Answer.PENDING else None
        )
    return rows


def one_of(related, pk):
    """The row ``pk`` of a group's members, meetings or recommendations, or 404."""
    row = related.filter(pk=id_or_404(pk)).first()
    if row is None:
        raise Http404
    return row
