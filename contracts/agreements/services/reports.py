"""Progress reports: the CSO sends (or sends again) a report, the officer accepts or returns it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.agreements import money
from contracts.agreements import permissions as agreement_permissions
from contracts.agreements import selectors as agreement_selectors
from contracts.agreements.models import Agreement, ProgressReport, ReportEvidence
from contracts.agreements.rules import (
    REPORT_OPEN,
    SPENDING_EXPLANATION_MAX,
    _clean_indicators,
    clean_beneficiaries,
    disbursed_total,
    previous_report,
    spending_problems,
)
from contracts.agreements.services.base import _lock, _tell_cso
from csos.models import CSO
from portal.audit import audit_record
from portal.uploads import check_room, stored_upload
from portal.validation import money as parse_money
from portal.validation import too_long
from portal.workflow import (
    InvalidTransition,
    require,
    run_transition,
)

AS = Agreement.Status
RS = ProgressReport.Status


def report_submit(
    *,
    report: ProgressReport,
    user,
    narrative: str,
    indicators,
    spent_to_date,
    spending_explanation: str = "",
    beneficiaries=None,
) -> ProgressReport:
    """The CSO reports progress: what was done, each indicator against its target (with a
    note), the people reached in each group the agreement counts, and the money spent so
    far; the photos and documents attached to it (``report_evidence_add``) go with it, and
    the recorded expenses' totals by budget line are kept as they stand. Nothing else: only
    what the evaluation needs. The amount spent is at most the agreement's amount; more
    than was paid so far is accepted and flagged to the officer; less than the previous
    report said needs ``spending_explanation``."""
    agreement = report.agreement
    require(agreement_permissions.can_act_for_cso(user, agreement))
    errors = {}
    narrative = str(narrative or "").strip()
    if not narrative:
        errors["narrative"] = [_("Say what was done in this period.")]
    elif len(narrative) > 10000:
        errors["narrative"] = [too_long(narrative, 10000)]
    try:
        rows = _clean_indicators(agreement, indicators)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        rows = []
    try:
        spent = parse_money(
            spent_to_date,
            field="spent_to_date",
            allow_zero=True,
            message=_("Give the amount spent so far in baht, such as 80000.00."),
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
        spent = None
    try:
        reached = clean_beneficiaries(agreement, beneficiaries)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        reached = []
    explanation = str(spending_explanation or "").strip()
    if len(explanation) > SPENDING_EXPLANATION_MAX:
        errors["spending_explanation"] = [too_long(explanation, SPENDING_EXPLANATION_MAX)]

    with transaction.atomic():
        # The agreement first, as a payment locks it: what was paid so far and the previous
        # report's amount hold still while this one is checked and sent.
        locked = _lock(agreement)
        previous = previous_report(locked, report)
        if spent is not None and "spending_explanation" not in errors:
            errors.update(spending_problems(locked, spent, explanation, previous=previous))
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        paid = disbursed_total(locked, by=now)
        by_line = [
            {
                "line": row.line.pk,
                "description": row.line.description,
                "budget": str(row.budget),
                "spent": str(row.spent),
            }
            for row in agreement_selectors.budget_of(locked)
        ]

        def permission(actor, obj):
            return agreement_permissions.can_act_for_cso(actor, locked)

        def apply(obj):
            if locked.status not in {AS.ACTIVE, AS.COMPLETED}:
                raise InvalidTransition(_("Reports are sent while the agreement runs."))
            obj.narrative, obj.indicators, obj.spent_to_date = narrative, rows, spent
            obj.spending_explanation = explanation
            obj.beneficiaries, obj.budget_lines = reached, by_line
            obj.submitted_at = now
            return [
                "narrative",
                "indicators",
                "spent_to_date",
                "spending_explanation",
                "beneficiaries",
                "budget_lines",
                "submitted_at",
            ]

        return run_transition(
            instance=report,
            target=RS.SUBMITTED,
            actor=user,
            action="submit",
            permission=permission,
            apply=apply,
            data={
                "spent_to_date": str(spent),
                "paid_to_date": str(paid),
                "overspent_by": str(money.uncovered(paid, spent)),
                "previous_spent_to_date": (
                    str(previous.spent_to_date) if previous is not None else None
                ),
                "spending_explanation": explanation,
            },
        )


def _review_report(report, officer, target, action, comment):
    def permission(actor, obj):
        return agreement_permissions.can_manage_agreement(actor, report.agreement)

    def apply(obj):
        obj.reviewed_at, obj.officer_comment = timezone.now(), comment
        return ["reviewed_at", "officer_comment"]

    return run_transition(
        instance=report,
        target=target,
        actor=officer,
        action=action,
        permission=permission,
        reason=comment,
        apply=apply,
    )


def report_accept(*, report: ProgressReport, officer, comment: str = "") -> ProgressReport:
    return _review_report(report, officer, RS.ACCEPTED, "accept", str(comment or "").strip())


def report_return(*, report: ProgressReport, officer, comment: str) -> ProgressReport:
    comment = str(comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("Say what the organisation should change.")]})
    with transaction.atomic():
        report = _review_report(report, officer, RS.RETURNED, "return", comment)
        _tell_cso(
            report.agreement,
            "report_returned",
            report,
            extra=report.reviewed_at.isoformat(),
            seq=report.seq,
            comment=comment,
        )
    return report


# --- evidence: photos and documents attached to a report -----------------------------------

CAPTION_MAX = 255


def _open_report(report: ProgressReport, user) -> tuple[Agreement, ProgressReport]:
    """The agreement, its organisation and the report locked in that order (the order an
    expense and a release keep), the report still with the organisation and the agreement
    running."""
    locked = _lock(report.agreement)
    CSO.objects.select_for_update().only("pk").get(pk=locked.cso_id)
    row = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if locked.status not in {AS.ACTIVE, AS.COMPLETED} or row.status not in REPORT_OPEN:
        raise InvalidTransition(
            _(
                "Evidence is added to or removed from a report before it is sent or once it "
                "is returned (it is “%(status)s”)."
            )
            % {"status": row.get_status_display()}
        )
    return locked, row


def report_evidence_add(
    *, report: ProgressReport, user, upload, caption: str = ""
) -> ReportEvidence:
    """A photo or a document (PDF, JPEG or PNG, checked by content and size, counted in the
    organisation's storage) attached to a report while the organisation writes it."""
    require(agreement_permissions.can_act_for_cso(user, report.agreement))
    caption = " ".join(str(caption or "").split())
    if len(caption) > CAPTION_MAX:
        raise ValidationError({"caption": [too_long(caption, CAPTION_MAX)]})
    stored = stored_upload(upload)
    with transaction.atomic():
        locked, row = _open_report(report, user)
        check_room(documents=row.evidence.count(), cso_id=locked.cso_id, size=stored["size"])
        evidence = ReportEvidence.objects.create(
            report=row, caption=caption, uploaded_by=user, **stored
        )
        audit_record(
            obj=row,
            actor=user,
            action="add_evidence",
            data={"evidence": evidence.pk, "name": evidence.original_name, "size": evidence.size},
        )
    return evidence


def report_evidence_remove(*, evidence: ReportEvidence, user) -> None:
    """Take a photo or document off a report not sent yet (or returned); its file is deleted
    once the change is committed."""
    report = evidence.report
    require(agreement_permissions.can_act_for_cso(user, report.agreement))
    with transaction.atomic():
        _locked, row = _open_report(report, user)
        gone = ReportEvidence.objects.select_for_update().filter(pk=evidence.pk, report=row).first()
        if gone is None:
            return
        name = gone.original_name
        gone.delete()
        audit_record(
            obj=row,
            actor=user,
            action="remove_evidence",
            data={"evidence": evidence.pk, "name": name},
        )
        transaction.on_commit(lambda: gone.file.delete(save=False))
