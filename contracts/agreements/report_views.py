"""Progress reports on the web: the CSO says what was done, the result against each target
and the money spent so far; the agency's officers accept the report or return it with
comments. Every rule is ``contracts.agreements``'; a refused move comes back as a message
(portal.middleware)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from contracts.agreements import permissions, rules, selectors, services
from contracts.agreements.models import Agreement, ProgressReport
from contracts.agreements.report_forms import (
    EvidenceForm,
    ReportAcceptForm,
    ReportFilterForm,
    ReportForm,
    ReportReturnForm,
)
from portal.audit import audit_history
from portal.exports import Column, export_list, wanted_format
from portal.pages import stored_file
from portal.roles import Role, has_role
from portal.workflow import require

RS = ProgressReport.Status
# The tag style of each status; the text label carries the meaning, the colour only helps.
STATUS_TAGS = {
    RS.DUE: "not_started",
    RS.RETURNED: "in_progress",
    RS.SUBMITTED: "in_progress",
    RS.ACCEPTED: "completed",
    RS.CANCELLED: "cancelled",
}
REVIEWS = {
    "accept": (
        ReportAcceptForm,
        services.report_accept,
        gettext_lazy("The report was accepted; the organisation sees it at once."),
    ),
    "return": (
        ReportReturnForm,
        services.report_return,
        gettext_lazy("The report was returned to the organisation with your comments."),
    ),
}


def _report(agreement, seq) -> ProgressReport:
    report = next((r for r in agreement.reports.all() if r.seq == seq), None)
    if report is None:
        raise Http404
    report.agreement = agreement  # the services read it; it is fetched already
    return report


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk, seq, evidence_form=None):
    agreement = selectors.agreement_get_for_user(request.user, pk)
    report = _report(agreement, seq)
    user = request.user
    may_report = (
        permissions.can_act_for_cso(user, agreement)[0]
        and report.status in rules.REPORT_OPEN
        and agreement.status in {Agreement.Status.ACTIVE, Agreement.Status.COMPLETED}
    )
    may_review = (
        permissions.can_manage_agreement(user, agreement)[0] and report.status == RS.SUBMITTED
    )
    action = request.POST.get("action") if request.method == "POST" else None
    if evidence_form is not None:  # a refused file, shown on the page as it stands
        action = None
    if action in ("evidence", "remove_evidence"):
        return _evidence_action(request, agreement, report, action)
    if action is not None and action != "submit" and action not in REVIEWS:
        messages.error(request, _("Choose one of the buttons on the page."))
        return redirect("report-detail", pk=agreement.pk, seq=report.seq)
    if action == "submit":
        require(permissions.can_act_for_cso(user, agreement))
    elif action in REVIEWS:
        require(permissions.can_manage_agreement(user, agreement))

    # A POST always reaches the service, which says why when the report has moved on.
    form = None
    if may_report or action == "submit":
        form = ReportForm(
            request.POST if action == "submit" else None,
            targets=agreement.targets,
            groups=agreement.beneficiary_groups,
            report=report,
            previous=rules.previous_report(agreement, report),
        )
    review_forms = {}
    if may_review or action in REVIEWS:
        review_forms = {
            name: form_class(request.POST if action == name else None, prefix=name)
            for name, (form_class, _service, _done) in REVIEWS.items()
        }

    if action == "submit" and form.is_valid():
        try:
            services.report_submit(report=report, user=user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Your report was sent to the agency."))
            return redirect("report-detail", pk=agreement.pk, seq=report.seq)
    elif action in REVIEWS:
        review_form = review_forms[action]
        if review_form.is_valid():
            _form_class, review, done = REVIEWS[action]
            try:
                review(report=report, officer=user, comment=review_form.cleaned_data["comment"])
            except ValidationError as exc:
                review_form.add_service_errors(exc)
            else:
                messages.success(request, done)
                return redirect("report-detail", pk=agreement.pk, seq=report.seq)

    today = timezone.localdate()
    targets = {t.get("indicator"): t.get("target", "") for t in agreement.targets or []}
    return render(
        request,
        "contracts/agreements/report_detail.html",
        {
            "agreement": agreement,
            "report": report,
            "status_tag": STATUS_TAGS.get(report.status, "not_started"),
            "overdue": rules.report_overdue(report, today),
            "targets": agreement.targets or [],
            "results": [
                {**row, "target": row.get("target") or targets.get(row.get("indicator"), "")}
                for row in report.indicators or []
            ],
            "sent": report.submitted_at is not None,
            "overspent": rules.overspending_note(report, agreement),
            "form": form,
            "evidence": (
                list(report.evidence.all())
                if permissions.can_view_report_evidence(user, report)[0]
                else []
            ),
            "evidence_form": (evidence_form or EvidenceForm(prefix="evidence"))
            if may_report
            else None,
            "review_forms": review_forms,
            "history": audit_history(report),
        },
        status=400 if evidence_form is not None and evidence_form.errors else 200,
    )


def _evidence_action(request, agreement, report, action):
    """Attach a photo or document to the report, or remove one; a refused file comes back
    on the page with the error."""
    require(permissions.can_act_for_cso(request.user, agreement))
    if action == "remove_evidence":
        chosen = request.POST.get("evidence", "")
        evidence = report.evidence.filter(pk=chosen).first() if chosen.isdigit() else None
        if evidence is None:
            raise Http404
        evidence.report = report
        services.report_evidence_remove(evidence=evidence, user=request.user)
        messages.success(request, _("The file was removed from the report."))
        return redirect("report-detail", pk=agreement.pk, seq=report.seq)
    form = EvidenceForm(request.POST, request.FILES, prefix="evidence")
    if form.is_valid():
        try:
            services.report_evidence_add(
                report=report,
                user=request.user,
                upload=form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The file was attached to the report."))
            return redirect("report-detail", pk=agreement.pk, seq=report.seq)
    return report_detail(request, agreement.pk, report.seq, evidence_form=form)


@login_required
@require_safe
def report_evidence(request, pk, seq, evidence_id):
    """A report's photo or document, to whoever may see the agreement."""
    agreement = selectors.agreement_get_for_user(request.user, pk)
    report = _report(agreement, seq)
    evidence = report.evidence.filter(pk=evidence_id).first()
    if evidence is None or not permissions.can_view_report_evidence(request.user, report)[0]:
        raise Http404
    return stored_file(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


REPORT_COLUMNS = [
    Column(gettext_lazy("Agreement number"), lambda r: r.agreement.number),
    Column(gettext_lazy("Agency"), lambda r: r.agreement.agency.name),
    Column(gettext_lazy("Organisation"), lambda r: r.agreement.cso.name),
    Column(gettext_lazy("number"), lambda r: r.seq),
    Column(gettext_lazy("Status"), lambda r: r.get_status_display()),
    Column(gettext_lazy("due on"), lambda r: r.due_on),
    Column(gettext_lazy("submitted at"), lambda r: r.submitted_at),
    Column(gettext_lazy("reviewed at"), lambda r: r.reviewed_at),
]


@login_required
def report_list(request):
    """The progress reports of the agreements an officer (their agency's) or staff (all) may
    see, by status, the earliest due first, as a page or a CSV / Excel file."""
    if not (
        has_role(request.user, Role.AGENCY_OFFICER) or has_role(request.user, Role.STAFF_ADMIN)
    ):
        raise PermissionDenied(_("Only agency officers and staff can list the reports."))
    form = ReportFilterForm(request.GET or None)
    qs = selectors.reports_visible_to(request.user, status=form.status_filter())
    if kind := wanted_format(request):
        rows = qs.iterator(chunk_size=2000)
        return export_list(rows, REPORT_COLUMNS, name="reports", kind=kind)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "contracts/agreements/reports_list.html",
        {"form": form, "page": page, "today": timezone.localdate()},
    )
