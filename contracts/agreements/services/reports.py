"""Progress reports: the CSO sends (or sends again) a report, the officer accepts or returns it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.agreements import permissions as agreement_permissions
from contracts.agreements.models import Agreement, ProgressReport
from contracts.agreements.rules import _clean_indicators
from contracts.agreements.services.base import _tell_cso
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
    *, report: ProgressReport, user, narrative: str, indicators, spent_to_date
) -> ProgressReport:
    """The CSO reports progress: what was done, each indicator against its target, and the
    money spent so far. Nothing else: only what the evaluation needs."""
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
    if errors:
        raise ValidationError(errors)
    now = timezone.now()

    def permission(actor, obj):
        return agreement_permissions.can_act_for_cso(actor, agreement)

    def apply(obj):
        status = Agreement.objects.values_list("status", flat=True).get(pk=obj.agreement_id)
        if status not in {AS.ACTIVE, AS.COMPLETED}:
            raise InvalidTransition(_("Reports are sent while the agreement runs."))
        obj.narrative, obj.indicators, obj.spent_to_date = narrative, rows, spent
        obj.submitted_at = now
        return ["narrative", "indicators", "spent_to_date", "submitted_at"]

    return run_transition(
        instance=report,
        target=RS.SUBMITTED,
        actor=user,
        action="submit",
        permission=permission,
        apply=apply,
        data={"spent_to_date": str(spent)},
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
