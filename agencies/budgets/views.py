"""Participatory budgeting's pages: the public list and a round's page, proposing a project,
the ballot with its budget bar (plain HTML; a script only keeps the bar up to date as boxes
are ticked), the results, and the agency's pages to check feasibility, move the round on and
follow delivery."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.confirm import Confirmation, confirm_action
from portal.ids import id_or_none
from portal.models import Province
from portal.rates import RateLimited
from portal.workflow import Conflict, InvalidTransition, refuse_wrong_person

from ..missions.models import Mission
from . import permissions, selectors, services
from .forms import DeliveryForm, ProjectForm, ReviewForm, RoundForm
from .models import BudgetProject, BudgetRound

PER_PAGE = 20


def _baht(amount) -> str:
    return f"{amount:,.2f}"


def budget_list(request):
    province = id_or_none(request.GET.get("province"))
    state = request.GET.get("state") if request.GET.get("state") in ("open", "closed") else ""
    rounds = selectors.public_rounds(province=province, state=state)
    page = Paginator(rounds, PER_PAGE).get_page(request.GET.get("page"))
    user = request.user
    return render(
        request,
        "agencies/budgets/list.html",
        {
            "page": page,
            "state": state,
            "province": province,
            "provinces": Province.objects.order_by("name_th"),
            "may_create": user.is_authenticated and permissions.can_manage(user, user.agency_id)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_create(request):
    allowed, why = permissions.can_manage(request.user, request.user.agency_id)
    if not allowed:
        raise PermissionDenied(why)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.round_create(officer=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The round is open: residents can propose projects."))
            return redirect("budget-detail", pk=made.pk)
    return render(request, "agencies/budgets/form.html", {"form": form})


def budget_detail(request, pk):
    budget_round = selectors.round_get(pk)
    user = request.user
    manages = permissions.can_manage(user, budget_round.owner_agency_id)[0]
    projects = list(selectors.projects(budget_round))
    return render(
        request,
        "agencies/budgets/detail.html",
        {
            "round": budget_round,
            "projects": projects,
            "manages": manages,
            "may_propose": permissions.can_propose(user, budget_round)[0],
            "may_vote": permissions.can_vote(user, budget_round)[0],
            "has_ballot": selectors.has_ballot(user, budget_round),
            "may_review": permissions.can_review(user, budget_round)[0],
            "may_follow_up": permissions.can_follow_up(user, budget_round)[0],
            "waiting": sum(1 for p in projects if p.status == BudgetProject.Status.PROPOSED),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_propose(request, pk):
    budget_round = selectors.round_get(pk)
    allowed, why = permissions.can_propose(request.user, budget_round)
    refuse_wrong_person((allowed, why))
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            services.project_propose(
                person=request.user, budget_round=budget_round, data=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        except (InvalidTransition, RateLimited) as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Thank you: your project is in. The agency will check it can be done.")
            )
            return redirect("budget-detail", pk=pk)
    return render(
        request,
        "agencies/budgets/propose.html",
        {"round": budget_round, "form": form, "why_not": "" if allowed else str(why)},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_project_review(request, pk, project_pk):
    budget_round = selectors.round_get(pk)
    project = selectors.project_of(budget_round, project_pk)
    allowed, why = permissions.can_review(request.user, budget_round)
    refuse_wrong_person((allowed, why))
    initial = {}
    if project.status in (BudgetProject.Status.FEASIBLE, BudgetProject.Status.INFEASIBLE):
        initial = {
            "feasible": "yes" if project.status == BudgetProject.Status.FEASIBLE else "no",
            "reason": project.reason,
        }
    form = ReviewForm(request.POST or None, initial=initial)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            services.project_review(
                officer=request.user,
                project=project,
                feasible=form.cleaned_data["feasible"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The decision is saved and shown on the round's page."))
            return redirect(reverse("budget-detail", args=[pk]) + f"#p{project.pk}")
    return render(
        request,
        "agencies/budgets/review.html",
        {
            "round": budget_round,
            "project": project,
            "form": form,
            "why_not": "" if allowed else str(why),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _ballot_rows(budget_round, chosen: set[int]):
    rows = list(selectors.ballot_projects(budget_round))
    total = sum((p.cost for p in rows if p.pk in chosen), Decimal("0"))
    return rows, total


@login_required
@require_http_methods(["GET", "POST"])
def budget_ballot(request, pk):
    """The ballot: tick projects whose total fits the envelope. Sent over the envelope, the
    page comes back with the ticks kept, the bar showing by how much, and the error."""
    budget_round = selectors.round_get(pk)
    allowed, why = permissions.can_vote(request.user, budget_round)
    refuse_wrong_person((allowed, why))
    if request.method == "POST" and allowed:
        chosen = {i for i in map(id_or_none, request.POST.getlist("projects")) if i}
    else:
        chosen = selectors.my_ballot(request.user, budget_round)
    error, status = "", 200
    if request.method == "POST" and allowed:
        try:
            services.ballot_cast(
                voter=request.user, budget_round=budget_round, project_ids=sorted(chosen)
            )
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
        except (InvalidTransition, Conflict) as exc:
            error, status = exc.message, 409
        else:
            messages.success(
                request,
                _("Your ballot is counted. You can change it until the vote closes."),
            )
            return redirect("budget-detail", pk=pk)
    rows, total = _ballot_rows(budget_round, chosen)
    envelope = budget_round.envelope
    return render(
        request,
        "agencies/budgets/ballot.html",
        {
            "round": budget_round,
            "rows": rows,
            "chosen": chosen,
            "total": total,
            "left": envelope - total,
            "over": total > envelope,
            "percent": min(100, int(100 * total / envelope)) if envelope else 0,
            "error": error,
            "why_not": "" if allowed else str(why),
            "had_ballot": selectors.has_ballot(request.user, budget_round),
        },
        status=status,
    )


def budget_results(request, pk):
    budget_round = selectors.round_get(pk)
    rows = (
        selectors.results(budget_round) if budget_round.status == BudgetRound.Status.CLOSED else []
    )
    return render(
        request,
        "agencies/budgets/results.html",
        {
            "round": budget_round,
            "rows": rows,
            "spent": rows[-1]["running_total"] if rows else Decimal("0"),
            "published": budget_round.status == BudgetRound.Status.CLOSED,
            "manages": permissions.can_manage(request.user, budget_round.owner_agency_id)[0],
        },
    )


def _facts(budget_round):
    return [
        (_("Round"), budget_round.title),
        (_("Envelope"), _baht(budget_round.envelope) + " " + _("baht")),
        (_("Projects"), str(budget_round.projects.count())),
    ]


def _move_view(request, pk, *, permission, perform, done, question, button, effects, danger):
    budget_round = selectors.round_get(pk)
    back = reverse("budget-detail", args=[pk])
    return confirm_action(
        request,
        allowed=permission(request.user, budget_round),
        perform=lambda data: perform(officer=request.user, budget_round=budget_round),
        done=done,
        done_url=back,
        describe=lambda: Confirmation(
            question=question, button=button, back_url=back, facts=_facts(budget_round),
            effects=effects, danger=danger,
        ),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def budget_start_review(request, pk):
    return _move_view(
        request, pk, permission=permissions.can_start_review,
        perform=services.round_start_review,
        done=_("The round is in review: check each project's feasibility."),
        question=_("Stop taking ideas and check them?"), button=_("Start the review"),
        effects=[_("Residents can no longer propose projects in this round.")], danger=False,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def budget_start_voting(request, pk):
    return _move_view(
        request, pk, permission=permissions.can_start_voting,
        perform=services.round_start_voting,
        done=_("The vote is open."),
        question=_("Open the vote?"), button=_("Open the vote"),
        effects=[
            _("The feasible projects go on the ballot; feasibility can no longer change."),
            _("Every verified account can cast one ballot within the envelope."),
        ],
        danger=False,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def budget_close(request, pk):
    return _move_view(
        request, pk, permission=permissions.can_close, perform=services.round_close,
        done=_("The vote is closed and the results are published."),
        question=_("Close the vote and publish the results?"), button=_("Close and count"),
        effects=[
            _("No ballot can be cast or changed any more."),
            _("The projects are counted by the round's rule and the full count is published."),
        ],
        danger=True,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def budget_project_delivery(request, pk, project_pk):
    budget_round = selectors.round_get(pk)
    project = selectors.project_of(budget_round, project_pk)
    allowed, why = permissions.can_follow_up(request.user, budget_round)
    refuse_wrong_person((allowed, why))
    missions = Mission.objects.filter(agency_id=budget_round.owner_agency_id).order_by("title_th")
    form = DeliveryForm(
        request.POST or None,
        missions=missions,
        initial={
            "mission": project.mission_id,
            "delivery": project.delivery,
            "note": project.delivery_note,
        },
    )
    if request.method == "POST" and allowed and form.is_valid():
        try:
            services.project_follow_up(
                officer=request.user, project=project, mission=form.cleaned_data["mission"],
                delivery=form.cleaned_data["delivery"], note=form.cleaned_data["note"],
            )  # fmt: skip
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The project's progress is published."))
            return redirect("budget-results", pk=pk)
    return render(
        request,
        "agencies/budgets/delivery.html",
        {
            "round": budget_round,
            "project": project,
            "form": form,
            "why_not": "" if allowed else str(why),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
