"""The Open Government Action Plan's pages: the public plan with each commitment's status and
what is late, a commitment's milestones and progress reports, the staff's forms and the
responsible agencies' progress reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.confirm import Confirmation, confirm_action
from portal.ids import id_or_none
from portal.workflow import refuse_wrong_person

from ..models import Agency
from . import permissions, selectors, services
from .forms import CommitmentForm, PlanForm, ReportForm
from .models import OgpValue

STATUSES = ("done", "in_progress", "late", "not_started")


def ogp_home(request):
    plans = selectors.plans_for(request.user)
    return render(
        request,
        "agencies/ogp/home.html",
        {"plans": plans, "may_record": permissions.can_record(request.user)[0]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ogp_plan_create(request):
    allowed, why = permissions.can_record(request.user)
    if not allowed:
        raise PermissionDenied(why)
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The plan is saved as a draft. Add its commitments."))
            return redirect("ogp-plan", pk=plan.pk)
    return render(request, "agencies/ogp/form.html", {"form": form, "heading": _("Record a plan")})


def ogp_plan(request, pk):
    plan = selectors.plan_get(request.user, pk)
    agency = id_or_none(request.GET.get("agency"))
    value = request.GET.get("value") if request.GET.get("value") in OgpValue.values else ""
    rows = selectors.commitments(plan, agency=agency, value=value)
    for c in rows:
        c.state = selectors.status_of(c)
    counts = {s: sum(1 for c in rows if c.state == s) for s in STATUSES}
    total = len(rows) or 1
    return render(
        request,
        "agencies/ogp/plan.html",
        {
            "plan": plan,
            "rows": rows,
            "counts": counts,
            "shares": {s: round(100 * n / total) for s, n in counts.items()},
            "agencies": Agency.objects.filter(ogp_commitments__plan=plan)
            .distinct()
            .order_by("name_th"),
            "agency": agency,
            "value": value,
            "values": OgpValue.choices,
            "may_record": permissions.can_record(request.user)[0],
            "may_publish": permissions.can_publish(request.user, plan)[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ogp_commitment_add(request, pk):
    plan = selectors.plan_get(request.user, pk)
    allowed, why = permissions.can_record(request.user)
    if not allowed:
        raise PermissionDenied(why)
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_add(actor=request.user, plan=plan, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The commitment is added."))
            return redirect("ogp-plan", pk=pk)
    return render(
        request, "agencies/ogp/form.html",
        {"form": form, "heading": _("Add a commitment"), "plan": plan},
        status=400 if form.is_bound and form.errors else 200,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def ogp_plan_publish(request, pk):
    plan = selectors.plan_get(request.user, pk)
    back = reverse("ogp-plan", args=[pk])
    return confirm_action(
        request,
        allowed=permissions.can_publish(request.user, plan),
        perform=lambda data: services.plan_publish(actor=request.user, plan=plan),
        done=_("The plan is published: the agencies report their milestones."),
        done_url=back,
        describe=lambda: Confirmation(
            question=_("Publish the plan?"), button=_("Publish"), back_url=back,
            facts=[(_("Plan"), str(plan)), (_("Commitments"), str(plan.commitments.count()))],
            effects=[_("Anyone can follow it; each responsible agency reports its milestones.")],
            danger=False,
        ),
    )  # fmt: skip


def ogp_commitment(request, pk):
    commitment = selectors.commitment_get(request.user, pk)
    milestones = list(commitment.milestones.prefetch_related("reports"))
    for m in milestones:
        m.may_report = permissions.can_report(request.user, m)[0]
    return render(
        request,
        "agencies/ogp/commitment.html",
        {
            "commitment": commitment,
            "milestones": milestones,
            "state": selectors.status_of(commitment),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ogp_milestone_report(request, pk):
    milestone = selectors.milestone_get(pk)
    if not permissions.can_see(request.user, milestone.commitment.plan):
        raise PermissionDenied
    allowed, why = permissions.can_report(request.user, milestone)
    refuse_wrong_person((allowed, why))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            services.milestone_report(actor=request.user, milestone=milestone, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The progress is published."))
            return redirect("ogp-commitment", pk=milestone.commitment_id)
    return render(
        request,
        "agencies/ogp/report.html",
        {"milestone": milestone, "form": form, "why_not": "" if allowed else str(why)},
        status=400 if form.is_bound and form.errors else 200,
    )
