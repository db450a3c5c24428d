"""Web pages for the evaluations of agreements: the evaluation's page (plan and result) and
adding a periodic one. Every change goes through a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.evaluations import permissions, selectors, services
from assessments.evaluations.forms import (
    COMMITTEE_SIDES,
    EvaluationAddForm,
    EvaluationPlanForm,
    EvaluationResultForm,
)
from assessments.evaluations.models import Evaluation
from assessments.grievances import selectors as grievance_selectors
from contracts.agreements import permissions as agreement_permissions
from contracts.agreements import rules as agreement_rules
from contracts.agreements import selectors as agreement_selectors
from contracts.agreements.models import Agreement
from contracts.instruments import rules_for
from contracts.report_cards import agreement_card
from portal.audit import audit_history
from portal.workflow import require

ES = Evaluation.Status


EVALUATION_TAGS = {
    ES.SCHEDULED: "not_started",
    ES.SUBMITTED: "completed",
    ES.CANCELLED: "cancelled",
}


SIDE_LABELS = dict(COMMITTEE_SIDES)


# An evaluation's result is recorded once the agreement is signed (evaluation_submit).
SIGNED = {Agreement.Status.ACTIVE, Agreement.Status.COMPLETED, Agreement.Status.SETTLED}


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_detail(request, pk):
    """An agreement's evaluation: who evaluates, the committee, the score and findings the
    organisation reads; the officer's plan and the evaluator's result while it is open."""
    evaluation = selectors.evaluation_get_for_user(request.user, pk)
    agreement, user = evaluation.agreement, request.user
    scheduled = evaluation.status == ES.SCHEDULED
    may_plan = scheduled and agreement_permissions.can_manage_agreement(user, agreement)[0]
    may_record = scheduled and permissions.can_submit_evaluation(user, evaluation)[0]
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and action not in {"plan", "record"}:
        messages.error(request, _("Choose one of the buttons on the page."))
        return redirect("evaluation-detail", pk=evaluation.pk)
    if action == "plan":
        require(agreement_permissions.can_manage_agreement(user, agreement))
    elif action == "record":
        require(permissions.can_submit_evaluation(user, evaluation))

    # A POST always reaches the service, which says why when the evaluation has moved on.
    plan_form = result_form = None
    if may_plan or action == "plan":
        plan_form = EvaluationPlanForm(
            request.POST if action == "plan" else None, evaluation=evaluation
        )
    if (may_record and agreement.status in SIGNED) or action == "record":
        result_form = EvaluationResultForm(request.POST if action == "record" else None)

    if action == "plan":
        if "add_rows" in request.POST:
            plan_form = plan_form.with_more_rows()
        elif plan_form.is_valid():
            try:
                services.evaluation_plan(
                    evaluation=evaluation, officer=user, **plan_form.service_kwargs()
                )
            except ValidationError as exc:
                plan_form.add_service_errors(exc)
            else:
                messages.success(request, _("The evaluation's plan was saved."))
                return redirect("evaluation-detail", pk=evaluation.pk)
    elif action == "record" and result_form.is_valid():
        try:
            services.evaluation_submit(evaluation=evaluation, user=user, **result_form.cleaned_data)
        except ValidationError as exc:
            result_form.add_service_errors(exc)
        else:
            messages.success(
                request, _("The result was recorded. The organisation can read the findings.")
            )
            return redirect("evaluation-detail", pk=evaluation.pk)

    evaluators = list(evaluation.evaluators.all())
    return render(
        request,
        "assessments/evaluations/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "agreement": agreement,
            "overdue": agreement_rules.evaluation_overdue(evaluation, timezone.localdate()),
            "tag": EVALUATION_TAGS[evaluation.status],
            "evaluators": evaluators,
            "committee": [
                {**member, "side": SIDE_LABELS.get(member.get("type"), "—")}
                for member in evaluation.committee or []
            ],
            "plan_form": plan_form,
            "result_form": result_form,
            "waits_for_signature": may_record and agreement.status not in SIGNED,
            "nobody_records": (
                may_plan and evaluation.mode == Evaluation.Mode.EXTERNAL and not evaluators
            ),
            "history": audit_history(evaluation),
            # The citizens' grievance record of the agreement, by status.
            "grievance_record": grievance_selectors.agreement_record_panel(agreement),
            # What the people served said (the service users' views, counted).
            "report_card": agreement_card(agreement.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_add(request, pk):
    """Commissioning is monitored and evaluated periodically: the officer adds a periodic
    evaluation, then plans it on its own page."""
    agreement = agreement_selectors.agreement_get_for_user(request.user, pk)
    if not rules_for(agreement.kind).co_design:  # monitored periodically
        raise Http404
    require(agreement_permissions.can_manage_agreement(request.user, agreement))
    form = EvaluationAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_add(
                agreement=agreement,
                officer=request.user,
                due_on=form.cleaned_data["due_on"],
                mode=form.cleaned_data["mode"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("The periodic evaluation was added. Now choose its evaluators and committee."),
            )
            return redirect("evaluation-detail", pk=evaluation.pk)
    return render(
        request,
        "assessments/evaluations/evaluation_add.html",
        {
            "agreement": agreement,
            "form": form,
            "running": agreement.status in Agreement.LIVE,
        },
    )
