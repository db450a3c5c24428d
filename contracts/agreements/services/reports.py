"""Progress reports: the CSO sends (or sends again) a report, the officer accepts or returns it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.agreements import money
from contracts.agreements import permissions as agreement_permissions
from contracts.agreements.models import Agreement, ProgressReport
from contracts.agreements.rules import (
    SPENDING_EXPLANATION_MAX,
    _clean_indicators,
    disbursed_total,
    previous_report,
    spending_problems,
)
from contracts.agreements.services.base import _lock, _tell_cso
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
) -> ProgressReport:
    """The CSO reports progress: what was done, each indicator against its target, and the
    money spent so far. Nothing else: only what the evaluation needs. The amount spent is at
    most the agreement's amount; more than was paid so far is accepted and flagged to the
    officer; less than the previous report said needs ``spending_explanation``."""
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

        def permission(actor, obj):
            return agreement_permissions.can_act_for_cso(actor, locked)

        def apply(obj):
            if locked.status not in {AS.ACTIVE, AS.COMPLETED}:
                raise InvalidTransition(_("Reports are sent while the agreement runs."))
            obj.narrative, obj.indicators, obj.spent_to_date = narrative, rows, spent
            obj.spending_explanation = explanation
            obj.submitted_at = now
            return [
                "narrative",
                "indicators",
                "spent_to_date",
                "spending_explanation",
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
