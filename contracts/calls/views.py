"""Calls for proposals on the web: the public list and call page, and the officer's pages to
draft, publish, close and cancel a call, choose its evaluators and follow every call of the
agency. Every change goes through contracts.calls.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from agencies.missions import selectors as agency_selectors
from contracts.calls import permissions, selectors, services
from contracts.calls.forms import (
    AgencyCallsFilterForm,
    AmendForm,
    AnswerForm,
    CallFilterForm,
    CallForm,
    CancelCallForm,
    EvaluatorPanelForm,
    QuestionForm,
    SavedSearchForm,
)
from contracts.calls.models import Call, Instrument
from contracts.proposals import permissions as proposal_permissions
from contracts.proposals import rules as proposal_rules
from contracts.proposals import selectors as proposal_selectors
from contracts.proposals.models import Proposal
from portal.audit import audit_history
from portal.confirm import Confirmation, baht, confirm_action, confirmation_page
from portal.dates import format_be
from portal.exports import Column, export_list, wanted_format
from portal.ids import id_or_404
from portal.models import ActivityField, Province
from portal.pages import stored_file, submit_on_page
from portal.reference import SelectionCriterion
from portal.roles import Role, has_role
from portal.workflow import (
    Conflict,
    InvalidTransition,
    NotNow,
    refuse_wrong_person,
    transition_refusal,
)

CS = Call.Status
PS = Proposal.Status
PER_PAGE = 20
FORECASTS_SHOWN = 20


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
    forecasts = list(selectors.forecast_calls(**form.filters())[:FORECASTS_SHOWN])
    return render(
        request,
        "contracts/calls/call_list.html",
        {
            "form": form,
            "page": page,
            "calls": calls,
            "forecasts": forecasts,
            "may_save_search": permissions.can_save_search(request.user)[0],
        },  # fmt: skip
    )


def call_detail(request, pk):
    call = selectors.call_get_for_user(request.user, pk)
    return render(request, "contracts/calls/call_detail.html", _detail_context(request, call))


def _detail_context(request, call: Call) -> dict:
    user = request.user
    now = timezone.now()
    manages = permissions.can_manage_call(user, call)[0]
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
        "can_edit": manages and call.status in (CS.DRAFT, CS.FORECAST),
        "can_forecast": manages and _can_move(call, CS.FORECAST),
        "can_amend": permissions.can_amend_call(user, call)[0],
        "can_publish": manages and _can_move(call, CS.OPEN),
        "can_close": manages and _can_move(call, CS.CLOSED),
        "can_cancel": manages and _can_move(call, CS.CANCELLED),
        "panel": (
            [a.evaluator for a in call.assignments.select_related("evaluator").order_by("id")]
            if manages
            else None
        ),
        "offer": _proposal_offer(user, call, now),
        **_clarifications(user, call, manages),
        "history": (audit_history(call) if manages or has_role(user, Role.STAFF_ADMIN) else None),
    }


def _clarifications(user, call: Call, manages: bool, question_form=None) -> dict:
    """The call's addenda and answered questions (public, without who asked); the officer's
    unanswered questions with a box for each answer; the asking form for an organisation."""
    questions = list(call.questions.order_by("asked_at", "pk"))
    context = {
        "addenda": list(call.addenda.all()),
        "answered": [q for q in questions if q.answered_at],
        "may_ask": permissions.can_ask_question(user, call)[0],
    }
    if context["may_ask"]:
        context["question_form"] = question_form or QuestionForm()
        context["our_waiting"] = [
            q for q in questions if not q.answered_at and q.cso_id == user.cso_id
        ]
    if manages:
        context["waiting"] = [
            (q, AnswerForm(prefix=f"answer-{q.pk}")) for q in questions if not q.answered_at
        ]
    return context


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
        if call.status == CS.FORECAST:
            reason = _(
                "This call is a forecast: it takes proposals once the agency publishes it, "
                "expected on %(time)s."
            ) % {"time": format_be(call.opens_at, "datetime")}
        elif call.status == CS.OPEN and now < call.opens_at:
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
    if call.status not in (CS.DRAFT, CS.FORECAST):
        messages.warning(
            request,
            _(
                "A published call changes only by an addendum: every organisation answers "
                "the same call."
            ),
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


def _may(user, call: Call, target: str, permission):
    """The permission function's answer, then the call's status table's: what the service
    asks (run_transition), asked before the confirmation page offers the button."""
    allowed, why = permission(user, call)
    if not allowed:
        return allowed, why
    refusal = transition_refusal(
        Call.TRANSITIONS, call.status, target, label=call.get_status_display()
    )
    return (False, refusal) if refusal is not None else (True, "")


def _call_facts(call: Call) -> list[tuple[str, str]]:
    return [
        (_("Call"), call.title),
        (_("Agency"), call.agency.name),
        (_("Instrument"), call.get_instrument_display()),
        (_("Total budget"), baht(call.budget_total)),
        (_("Opens"), format_be(call.opens_at, "datetime")),
        (_("Closes"), format_be(call.closes_at, "datetime")),
    ]


def _confirm_call(request, call: Call, *, target, permission, describe, **kwargs):
    return confirm_action(
        request,
        allowed=_may(request.user, call, target, permission),
        done_url=reverse("call-detail", args=[call.pk]),
        describe=describe,
        **kwargs,
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_publish(request, pk):
    """Publish the draft, asked on a page of its own (portal.confirm)."""
    call = _managed_call(request, pk)
    return _confirm_call(
        request,
        call,
        target=CS.OPEN,
        permission=permissions.can_publish_call,
        perform=lambda _data: services.call_publish(call=call, user=request.user),
        done=_(
            "The call is published. Organisations can read it and send proposals while it is open."
        ),
        describe=lambda: Confirmation(
            question=_("Publish the call “%(title)s”?") % {"title": call.title},
            facts=_call_facts(call),
            effects=[
                _(
                    "Everyone can read the call; eligible organisations send proposals while "
                    "it is open."
                ),
                _(
                    "Once published, its terms cannot change: every organisation answers the "
                    "same call."
                ),
            ],
            button=_("Yes, publish the call"),
            back_url=reverse("call-detail", args=[call.pk]),
            danger=False,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_close(request, pk):
    """Close the call before its closing time, asked on a page of its own."""
    call = _managed_call(request, pk)

    def describe():
        drafts = call.proposals.filter(status=PS.DRAFT).count()
        received = call.proposals.exclude(status=PS.DRAFT).count()
        return Confirmation(
            question=_("Close the call “%(title)s” now?") % {"title": call.title},
            facts=[*_call_facts(call), (_("Proposals received"), str(received))],
            effects=[
                _("The call stops taking proposals now, before its closing time of %(time)s.")
                % {"time": format_be(call.closes_at, "datetime")},
                _("Drafts not yet submitted (%(n)s) can no longer be sent.") % {"n": drafts},
                _("A closed call cannot be reopened."),
            ],
            button=_("Yes, close the call"),
            back_url=reverse("call-detail", args=[call.pk]),
        )

    return _confirm_call(
        request,
        call,
        target=CS.CLOSED,
        permission=permissions.can_manage_call,
        perform=lambda _data: services.call_close(call=call, user=request.user),
        done=_("The call is closed; it takes no more proposals."),
        describe=describe,
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_cancel(request, pk):
    """Cancel the call, with the reason the waiting organisations read, on a page of its own."""
    call = _managed_call(request, pk)

    def describe():
        waiting = call.proposals.filter(status__in=Proposal.IN_REVIEW).count()
        return Confirmation(
            question=_("Cancel the call “%(title)s”?") % {"title": call.title},
            facts=[*_call_facts(call), (_("Proposals waiting for a decision"), str(waiting))],
            effects=[
                _("The call is cancelled: it takes no proposals and awards nothing."),
                _(
                    "The proposals waiting for a decision (%(n)s) are marked not selected with "
                    "your reason, and their organisations are told."
                )
                % {"n": waiting},
                _("A cancelled call cannot be reopened."),
            ],
            button=_("Yes, cancel the call"),
            back_url=reverse("call-detail", args=[call.pk]),
        )

    return _confirm_call(
        request,
        call,
        target=CS.CANCELLED,
        permission=permissions.can_manage_call,
        form_class=CancelCallForm,
        form_kwargs={"prefix": "cancel"},
        perform=lambda data: services.call_cancel(
            call=call, user=request.user, reason=data["reason"]
        ),
        done=_("The call was cancelled. Organisations waiting for a decision were told."),
        describe=describe,
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_evaluators(request, pk):
    """Choose the panel: every account holding the evaluator role, the current panel ticked."""
    call = _managed_call(request, pk)
    current = [a.evaluator.username for a in call.assignments.select_related("evaluator")]
    form = EvaluatorPanelForm(request.POST or None, initial={"usernames": current})
    if request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["usernames"]
        removed = [name for name in current if name not in wanted]
        if removed and request.POST.get("confirm_removal") != "yes":
            return confirmation_page(request, _removal(call, removed, wanted))
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


def _removal(call: Call, removed: list[str], wanted: list[str]) -> Confirmation:
    """Taking evaluators off the panel, asked before it is saved (portal.confirm)."""
    return Confirmation(
        question=ngettext(
            "Remove %(n)s evaluator from the panel of “%(title)s”?",
            "Remove %(n)s evaluators from the panel of “%(title)s”?",
            len(removed),
        )
        % {"n": len(removed), "title": call.title},
        facts=[
            (_("Call"), call.title),
            (_("Taken off the panel"), ", ".join(removed)),
            (_("The panel afterwards"), ", ".join(wanted) or "—"),
        ],
        effects=[
            _("They no longer score this call's proposals; their assignment is removed."),
            _("An evaluator who has started scoring stays on the panel."),
        ],
        button=_("Yes, remove them and save the panel"),
        back_url=reverse("call-evaluators", args=[call.pk]),
        hidden=[*(("usernames", name) for name in wanted), ("confirm_removal", "yes")],
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


@login_required
@require_http_methods(["GET", "POST"])
def call_forecast(request, pk):
    """Publish the draft as a forecast, asked on a page of its own."""
    call = _managed_call(request, pk)
    return _confirm_call(
        request,
        call,
        target=CS.FORECAST,
        permission=permissions.can_manage_call,
        perform=lambda _data: services.call_forecast(call=call, user=request.user),
        done=_(
            "The forecast is published. Organisations can prepare; publish the call to open it."
        ),
        describe=lambda: Confirmation(
            question=_("Publish “%(title)s” as a forecast?") % {"title": call.title},
            facts=_call_facts(call),
            effects=[
                _("Everyone can read its title, mission, expected dates and budget."),
                _("It takes no proposals until you publish the call; you can still edit it."),
            ],
            button=_("Yes, publish the forecast"),
            back_url=reverse("call-detail", args=[call.pk]),
            danger=False,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_amend(request, pk):
    """Change an open call by an addendum: the form starts from the call's terms."""
    call = _managed_call(request, pk)
    allowed, why = permissions.can_amend_call(request.user, call)
    if not allowed:
        messages.error(request, why)
        return redirect("call-detail", pk=call.pk)
    initial = {k: v for k, v in CallForm.initial_from(call).items() if k in AmendForm.KEPT}
    initial.update({f"weight_{c}": w for c, w in call.criteria_weights.items()})
    form = AmendForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid() and not form.weights_errors:
        try:
            addendum = services.call_amend(call=call, user=request.user, **form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        except (InvalidTransition, Conflict) as exc:
            messages.error(request, exc.message)
            return redirect("call-detail", pk=call.pk)
        else:
            messages.success(
                request,
                _("Addendum %(number)s is published; organisations with a draft are told.")
                % {"number": addendum.number},
            )
            return redirect("call-detail", pk=call.pk)
    return render(
        request, "contracts/calls/call_amend.html", {"form": form, "call": call},
        status=400 if form.is_bound else 200,
    )  # fmt: skip


@login_required
@require_POST
def call_question_ask(request, pk):
    call = selectors.call_get_for_user(request.user, pk)

    def rerender(bound):
        context = _detail_context(request, call)
        context.update(_clarifications(request.user, call, context["manages"], question_form=bound))
        return render(request, "contracts/calls/call_detail.html", context, status=400)

    return submit_on_page(
        request, allowed=permissions.can_ask_question(request.user, call),
        form=QuestionForm(request.POST),
        perform=lambda data: services.question_ask(
            user=request.user, call=call, question=data["question"]
        ),
        done=_("Your question is sent; the answer will be published here."),
        back=reverse("call-detail", args=[call.pk]) + "#questions", rerender=rerender,
    )  # fmt: skip


@login_required
@require_POST
def call_question_answer(request, pk, question_pk):
    call = _managed_call(request, pk)
    question = call.questions.filter(pk=id_or_404(question_pk)).first()
    if question is None:
        raise Http404
    question.call = call
    form = AnswerForm(request.POST, prefix=f"answer-{question.pk}")
    return submit_on_page(
        request, allowed=permissions.can_answer_question(request.user, question), form=form,
        perform=lambda data: services.question_answer(
            user=request.user, question=question, answer=data["answer"]
        ),
        done=_("The answer is published for every organisation."),
        back=reverse("call-detail", args=[call.pk]) + "#questions",
        rerender=lambda bound: _rerender_answer(request, call, question, bound),
    )  # fmt: skip


def _rerender_answer(request, call, question, bound):
    context = _detail_context(request, call)
    context["waiting"] = [
        (q, bound if q.pk == question.pk else form) for q, form in context.get("waiting", [])
    ]
    return render(request, "contracts/calls/call_detail.html", context, status=400)


def call_addendum_document(request, pk, number):
    call = selectors.call_get_for_user(request.user, pk)
    addendum = call.addenda.filter(number=id_or_404(number)).first()
    if addendum is None:
        raise Http404
    return stored_file(
        addendum.document, content_type="application/pdf",
        filename=f"call-{call.pk}-addendum-{addendum.number}.pdf",
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def saved_searches(request):
    """A CSO member's saved searches for calls, and a form to add one: a new call that
    matches any of them is notified once."""
    refuse_wrong_person(permissions.can_save_search(request.user))
    form = SavedSearchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.saved_search_create(user=request.user, data=form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Saved. You will be told of every new call that matches."))
            return redirect("saved-searches")
    searches = list(request.user.saved_searches.all())
    names = {
        **{f.code: f.name for f in ActivityField.objects.all()},
        **{p.code: p.name for p in Province.objects.all()},
        **dict(Instrument.choices),
    }
    for search in searches:
        search.labels = [
            str(names.get(code, code))
            for code in (*search.fields, *search.provinces, *search.instruments)
        ]
    return render(
        request, "contracts/calls/saved_searches.html", {"form": form, "searches": searches},
        status=400 if form.is_bound else 200,
    )  # fmt: skip


@login_required
@require_POST
def saved_search_delete(request, pk):
    search = request.user.saved_searches.filter(pk=id_or_404(pk)).first()
    if search is None:
        raise Http404
    services.saved_search_delete(user=request.user, search=search)
    messages.success(request, _("The saved search is deleted."))
    return redirect("saved-searches")
