from django.db.models import Prefetch
from django.http import Http404

from portal.ids import id_or_404

from .models import Commitment, Milestone, Plan, ProgressReport
from .permissions import can_see


def plans_for(user):
    plans = Plan.objects.order_by("-number")
    return [p for p in plans if can_see(user, p)]


def plan_get(user, pk) -> Plan:
    plan = Plan.objects.filter(pk=id_or_404(pk)).select_related("consultation").first()
    if plan is None or not can_see(user, plan):
        raise Http404
    return plan


def commitments(plan, *, agency=None, value=None):
    """The plan's commitments with their milestones and each milestone's latest report,
    in three queries whatever their number."""
    qs = plan.commitments.select_related("agency").prefetch_related(
        Prefetch(
            "milestones",
            queryset=Milestone.objects.order_by("due_on", "pk").prefetch_related(
                Prefetch("reports", queryset=ProgressReport.objects.order_by("-reported_at", "-pk"))
            ),
        )
    )
    if agency:
        qs = qs.filter(agency_id=agency)
    rows = list(qs.order_by("number"))
    if value:
        rows = [c for c in rows if value in c.values]
    return rows


def commitment_get(user, pk) -> Commitment:
    found = Commitment.objects.select_related("plan", "agency").filter(pk=id_or_404(pk)).first()
    if found is None or not can_see(user, found.plan):
        raise Http404
    return found


def milestone_get(pk) -> Milestone:
    found = (
        Milestone.objects.select_related("commitment", "commitment__plan", "commitment__agency")
        .filter(pk=id_or_404(pk))
        .first()
    )
    if found is None:
        raise Http404
    return found


def status_of(commitment) -> str:
    """done: every milestone done; late: one past its date; in_progress; not_started."""
    milestones = list(commitment.milestones.all())
    if milestones and all(m.status == Milestone.Status.DONE for m in milestones):
        return "done"
    if any(m.late for m in milestones):
        return "late"
    if any(m.status != Milestone.Status.NOT_STARTED for m in milestones):
        return "in_progress"
    return "not_started"
