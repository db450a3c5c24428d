"""Reads for participatory budgeting: the public list of rounds, a round's projects, one's
own ballot, and the published count in selection order with the running total."""

from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404

from portal.ids import id_or_404

from .models import Ballot, BudgetProject, BudgetRound

PS = BudgetProject.Status


def public_rounds(*, province=None, state=None):
    qs = (
        BudgetRound.objects.select_related("owner_agency")
        .prefetch_related("provinces")
        .annotate(
            project_count=Count("projects"),
            selected_count=Count("projects", filter=Q(projects__status=PS.SELECTED)),
        )
    )
    if province:
        qs = qs.filter(provinces=province)
    if state == "closed":
        qs = qs.filter(status=BudgetRound.Status.CLOSED)
    elif state == "open":
        qs = qs.exclude(status=BudgetRound.Status.CLOSED)
    return qs.order_by("-created_at", "-pk")


def round_get(pk) -> BudgetRound:
    found = (
        BudgetRound.objects.select_related("owner_agency", "network__province")
        .prefetch_related("provinces")
        .filter(pk=id_or_404(pk))
        .first()
    )
    if found is None:
        raise Http404
    return found


def project_of(budget_round, pk) -> BudgetProject:
    found = budget_round.projects.filter(pk=id_or_404(pk)).select_related("mission").first()
    if found is None:
        raise Http404
    return found


def projects(budget_round):
    return budget_round.projects.select_related("mission").order_by("created_at", "pk")


def ballot_projects(budget_round):
    return budget_round.projects.filter(status=PS.FEASIBLE).order_by("cost", "pk")


def my_ballot(user, budget_round) -> set[int]:
    if not (user and user.is_authenticated):
        return set()
    return set(
        Ballot.projects.through.objects.filter(
            ballot__round=budget_round, ballot__voter=user
        ).values_list("budgetproject_id", flat=True)
    )


def has_ballot(user, budget_round) -> bool:
    return bool(user and user.is_authenticated and budget_round.ballots.filter(voter=user).exists())


def results(budget_round) -> list[dict]:
    """The published count: every project on the ballot in the order the rule took them,
    with its votes, whether it was selected and the selected projects' running total."""
    rows = list(
        budget_round.projects.filter(status__in=[PS.SELECTED, PS.NOT_SELECTED])
        .select_related("mission")
        .order_by("rank", "pk")
    )
    total, out = Decimal("0"), []
    top = max((p.votes or 0 for p in rows), default=0)
    for project in rows:
        if project.status == PS.SELECTED:
            total += project.cost
        out.append(
            {
                "project": project,
                "votes": project.votes or 0,
                "selected": project.status == PS.SELECTED,
                "running_total": total,
                "share": round(100 * (project.votes or 0) / top) if top else 0,
            }
        )
    return out
