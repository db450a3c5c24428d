"""Calls for proposals on the web: the public list and call page, and the officer's pages to
draft, publish, close and cancel a call, choose its evaluators and follow every call of the
agency. Every change goes through contracts.calls.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from agencies.missions import selectors as agency_selectors
from contracts.calls import permissions, selectors, services
from contracts.calls.forms import (
    AgencyCallsFilterForm,
    CallFilterForm,
    CallForm,
    CancelCallForm,
    EvaluatorPanelForm,
)
from contracts.calls.models import Call
from contracts.proposals import permissions as proposal_permissions
from contracts.proposals import rules as proposal_rules
from contracts.proposals import selectors as proposal_selectors
from contracts.proposals.models import Proposal
from portal.audit import audit_history
from portal.dates import format_be
from portal.exports import Column, export_list, wanted_format
from portal.reference import SelectionCriterion
from portal.roles import Role, has_role
from portal.workflow import Conflict, InvalidTransition, NotNow

CS = Call.Status
PER_PAGE = 20


def _managed_call(request, pk) -> Call:
    """The call, if the user may see it (404 otherwise) and manage it (403 otherwise)."""
    call = selectors.call_get_for_user(request.user, pk)
    allowed, why = permissions.can_manage_call(request.user, call)
    if not allowed:
        raise PermissionDenied(why)
    return call


def _can_move(call: Call, target: str) -> bool:
    return target in Call.TRANSITIONS[call.status]


def _days_left(call: Call, now) -> int:
    """Whole days until the closing day, counted on Bangkok dates."""
    return (timezone.localdate(call.closes_at) - timezone.localdate(now)).days


# ---------------------------------------------------------------------------------------
# Public pages


OPEN_CALL_COLUMNS = [
    Column(gettext_lazy("Call"), lambda c: c.title),
    Column(gettext_lazy("Agency"), lambda c: c.agency.name),
    Column(gettext_lazy("Instrument"), lambda c: c.get_instrument_display()),
    Column(gettext_lazy("Opens at"), lambda c: c.opens_at),
    Column(gettext_lazy("Closes at"), lambda c: c.closes_at),
    Column(gettext_lazy("Budget ceiling (baht)"), lambda c: c.budget_ceiling),
]


def call_list(request):
    form = CallFilterForm(request.GET or None)
    now = timezone.now()
    if kind := wanted_format(request):
        rows = selectors.open_calls(now=now, **form.filters())
        return export_list(
            rows.iterator(chunk_size=2000), OPEN_CALL_COLUMNS, name="calls", kind=kind
        )
    page = Paginator(selectors.open_calls(now=now, **form.filters()), PER_PAGE).get_page(
        request.GET.get("page")
    )
    calls = list(page.object_list)
    for call in calls:
        call.days_left = _days_left(call, now)
        call.not_yet_open = now < call.opens_at
    return render(
        request, "contracts/calls/call_list.html", {"form": form, "page": page, "calls": calls}
    )


def call_detail(request, pk):
    call = selectors.call_get_for_user(request.user, pk)
    return render(request, "contracts/calls/call_detail.html", _detail_context(request, call))


def _detail_context(request, call: Call, *, cancel_form=None) -> dict:
    user = request.user
    now = timezone.now()
    manages = permissions.can_manage_call(user, call)[0]
    can_cancel = manages and _can_move(call, CS.CANCELLED)
    if can_cancel and cancel_form is None:
        cancel_form = CancelCallForm(prefix="cancel")
    return {
        "call": call,
        "status": call.effective_status(now),
        "status_label": CS(call.effective_status(now)).label,
        "days_left": _days_left(call, now),
        "accepting": call.is_accepting(now),
        "weights": [(SelectionCriterion(c).label, w) for c, w in call.criteria_weights.items()],
        "provinces": list(call.eligible_provinces.all()),
        "fields": list(call.eligible_activity_fields.all()),
        "manages": manages,
        "can_edit": manages and call.status == CS.DRAFT,
        "can_publish": manages and _can_move(call, CS.OPEN),
        "can_close": manages and _can_move(call, CS.CLOSED),
        "cancel_form": cancel_form if can_cancel else None,
        "panel": (
            [a.evaluator for a in call.assignments.select_related("evaluator").order_by("id")]
            if manages
            else None
        ),
        "offer": _proposal_offer(user, call, now),
        "history": (audit_history(call) if manages or has_role(user, Role.STAFF_ADMIN) else None),
    }


def _proposal_offer(user, call: Call, now) -> dict | None:
    """What the visitor can do about sending a proposal: start one, continue theirs, sign
    in, or the reasons they cannot."""
    if call.status == CS.DRAFT:
        return None
    if not user.is_authenticated:
        return {"sign_in": call.is_accepting(now)}
    if not has_role(user, Role.CSO_MEMBER):
        return None
    if not user.cso_id:
        return {
            "register": True,
            "reasons": [
                _(
                    "Register your organisation first; once the National Committee approves "
                    "it, you can send proposals."
                )
            ],
        }
    live = proposal_selectors.live_proposal_for(user.cso_id, call.pk)
    if live is not None:
        return {"live": live}
    if not call.is_accepting(now):
        if call.status == CS.OPEN and now < call.opens_at:
            reason = _("This call opens for proposals on %(time)s.") % {
                "time": format_be(call.opens_at, "datetime")
            }
        elif call.status == CS.CANCELLED:
            reason = _("This call was cancelled; it does not take proposals.")
        else:
            reason = _("This call is closed; it no longer takes proposals.")
        return {"reasons": [reason]}
    allowed, why = proposal_permissions.can_start_proposal(user, call)
    if not allowed:
        return {"reasons": [why]}
    problems = proposal_rules.eligibility_problems(call, user.cso)
    if problems:
        return {"reasons": problems}
    return {"can_start": True}


# ---------------------------------------------------------------------------------------
# The officer's pages


def _require_officer(request):
    if not has_role(request.user, Role.AGENCY_OFFICER) or not request.user.agency_id:
        raise PermissionDenied(_("Only an agency officer can manage calls for proposals."))


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request, mission_pk=None):
    """Draft a call for one of the agency's missions; then the officer sees the preview."""
    _require_officer(request)
    mission_pk = mission_pk or request.GET.get("mission")
    if not mission_pk:
        missions = agency_selectors.mission_list(agency=request.user.agency)
        choices = [(m, permissions.can_create_call(request.user, m)[1]) for m in missions]
        return render(request, "contracts/calls/call_choose_mission.html", {"missions": choices})
    mission = agency_selectors.mission_get(mission_pk)
    allowed, why = permissions.can_create_call(request.user, mission)
    if not allowed and isinstance(why, NotNow):  # the mission's advice rules a call out
        messages.error(request, why)
        return redirect("mission-detail", pk=mission.pk)
    if not allowed:
        raise PermissionDenied(why)
    form = CallForm(request.POST or None, initial=CallForm.initial_for_mission(mission))
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(user=request.user, mission=mission, **form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("The call was saved as a draft. Check it here, then publish it."),
            )
            return redirect("call-detail", pk=call.pk)
    return render(request, "contracts/calls/call_form.html", {"form": form, "mission": mission})


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request, pk):
    call = _managed_call(request, pk)
    if call.status != CS.DRAFT:
        messages.warning(
            request,
            _("A published call cannot be changed: every organisation answers the same call."),
        )
        return redirect("call-detail", pk=call.pk)
    form = CallForm(request.POST or None, initial=CallForm.initial_from(call))
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(call=call, user=request.user, **form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The draft was saved. Check it here, then publish it."))
            return redirect("call-detail", pk=call.pk)
    return render(
        request,
        "contracts/calls/call_form.html",
        {"form": form, "mission": call.mission, "call": call},
    )


def _act(request, call: Call, service, success: str):
    """Run one workflow action and come back to the call page with its outcome."""
    try:
        service()
    except (InvalidTransition, Conflict) as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect("call-detail", pk=call.pk)


@login_required
@require_POST
def call_publish(request, pk):
    call = _managed_call(request, pk)
    return _act(
        request,
        call,
        lambda: services.call_publish(call=call, user=request.user),
        _("The call is published. Organisations can read it and send proposals while it is open."),
    )


@login_required
@require_POST
def call_close(request, pk):
    call = _managed_call(request, pk)
    return _act(
        request,
        call,
        lambda: services.call_close(call=call, user=request.user),
        _("The call is closed; it takes no more proposals."),
    )


@login_required
@require_POST
def call_cancel(request, pk):
    call = _managed_call(request, pk)
    form = CancelCallForm(request.POST, prefix="cancel")
    if not form.is_valid():
        context = _detail_context(request, call, cancel_form=form)
        return render(request, "contracts/calls/call_detail.html", context)
    return _act(
        request,
        call,
        lambda: services.call_cancel(
            call=call, user=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The call was cancelled. Organisations waiting for a decision were told."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_evaluators(request, pk):
    """Choose the panel: every account holding the evaluator role, the current panel ticked."""
    call = _managed_call(request, pk)
    current = [a.evaluator.username for a in call.assignments.select_related("evaluator")]
    form = EvaluatorPanelForm(request.POST or None, initial={"usernames": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.call_assign_evaluators(
                call=call, user=request.user, usernames=form.cleaned_data["usernames"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The evaluation panel was saved."))
            return redirect("call-detail", pk=call.pk)
    return render(
        request,
        "contracts/calls/call_evaluators.html",
        {"call": call, "form": form, "locked": not Call.TRANSITIONS[call.status]},
    )


def call_columns() -> list[Column]:
    """The agency's calls as exported: what the list shows, one column per proposal state."""
    counts = [
        Column(label, lambda c, s=status: getattr(c, f"n_{s}"))
        for status, label in Proposal.Status.choices
    ]
    return [
        Column(gettext_lazy("Call"), lambda c: c.title),
        Column(gettext_lazy("Mission"), lambda c: c.mission.title),
        Column(gettext_lazy("Instrument"), lambda c: c.get_instrument_display()),
        Column(gettext_lazy("Status"), lambda c: c.get_status_display()),
        Column(gettext_lazy("Opens at"), lambda c: c.opens_at),
        Column(gettext_lazy("Closes at"), lambda c: c.closes_at),
        Column(gettext_lazy("Budget ceiling (baht)"), lambda c: c.budget_ceiling),
        *counts,
        Column(gettext_lazy("Evaluators"), lambda c: c.n_evaluators),
    ]


@login_required
def agency_calls(request):
    """Every call of the officer's agency with how many proposals are in each state."""
    _require_officer(request)
    form = AgencyCallsFilterForm(request.GET or None)
    if kind := wanted_format(request):
        rows = selectors.agency_calls(request.user.agency_id, **form.filters())
        return export_list(rows.iterator(chunk_size=2000), call_columns(), name="calls", kind=kind)
    page = Paginator(
        selectors.agency_calls(request.user.agency_id, **form.filters()), PER_PAGE
    ).get_page(request.GET.get("page"))
    now = timezone.now()
    calls = list(page.object_list)
    for call in calls:
        call.shown_status = call.effective_status(now)
        call.shown_status_label = CS(call.shown_status).label
        call.counts = [getattr(call, f"n_{s}") for s in Proposal.Status.values]
    return render(
        request,
        "contracts/calls/calls_agency.html",
        {
            "form": form,
            "page": page,
            "calls": calls,
            "agency": request.user.agency,
            "statuses": Proposal.Status.labels,
        },
    )
