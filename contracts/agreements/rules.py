"""The rules of agreements that the services apply: tranche shares, the award's dates and
texts, when a tranche may be released, when an agreement may be settled, when a report is
overdue, report indicators and what was disbursed. What differs per instrument is read from
contracts.instruments."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.agreements import money
from contracts.agreements.models import (
    Agreement,
    EvaluationKind,
    EvaluationStatus,
    ProgressReport,
    Settlement,
    Tranche,
)
from contracts.instruments import rules_for
from csos.bank.selectors import bank_account_of
from csos.models import CSO
from portal.dates import format_be
from portal.validation import too_long

AS = Agreement.Status
TS = Tranche.Status
RS = ProgressReport.Status

# A progress report still waiting for the organisation: due, or returned to it.
REPORT_OPEN = (RS.DUE, RS.RETURNED)


MAX_TRANCHES = 24


MAX_PERIOD_DAYS = 3660  # 10 years, as for a proposal; a renewal adds at most as much again


def _today():
    return timezone.localdate()


def clean_shares(shares) -> list[Decimal]:
    """Percentages, each above zero with at most 2 decimals, that sum to exactly 100."""
    if not isinstance(shares, list | tuple) or not shares:
        raise ValidationError(
            {"shares": [_("Give the tranches' shares as a list of percentages.")]}
        )
    if len(shares) > MAX_TRANCHES:
        raise ValidationError({"shares": [_("At most %(n)s tranches.") % {"n": MAX_TRANCHES}]})
    cleaned = []
    for value in shares:
        try:
            share = Decimal(str(value))
        except (InvalidOperation, ValueError):
            share = None
        if (
            share is None
            or not share.is_finite()
            or share <= 0
            or share != share.quantize(money.CENT)
        ):
            raise ValidationError(
                {"shares": [_("Each share is a percentage above zero, to 2 decimal places.")]}
            )
        cleaned.append(share.quantize(money.CENT))
    total = sum(cleaned, Decimal(0))
    if total != money.HUNDRED:
        raise ValidationError(
            {
                "shares": [
                    _("The shares must add up to 100 %% (now %(total)s %%).") % {"total": total}
                ]
            }
        )
    return cleaned


def _clean_dates(start, end) -> None:
    errors = {}
    for name, value in (("start_date", start), ("end_date", end)):
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            errors[name] = [_("Give a date.")]
    if not errors and end < start:
        errors["end_date"] = [_("The agreement must end on or after the day it starts.")]
    elif not errors and (end - start).days > MAX_PERIOD_DAYS:
        errors["end_date"] = [_("An agreement runs at most 10 years at a time.")]
    if errors:
        raise ValidationError(errors)


def _clean_text(data: dict, limits: dict) -> dict:
    cleaned, errors = {}, {}
    for name, limit in limits.items():
        if name in data:
            value = str(data[name] or "").strip()
            if len(value) > limit:
                errors[name] = [too_long(value, limit)]
            cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


AWARD_TEXT = {
    "scope": 10000,
    "terms": 20000,
    "outcomes": 10000,
    "needs_assessment": 10000,
    "resources": 10000,
}


def report_overdue(report: ProgressReport, today: datetime.date) -> bool:
    """Past its due date and still waiting for the organisation."""
    return report.status in REPORT_OPEN and report.due_on < today


def evaluation_overdue(evaluation, today: datetime.date) -> bool:
    """Past its due date with no result recorded. Here, beside the evaluation's statuses,
    because the agreement's pages and deadlines name it without importing assessments."""
    return evaluation.status == EvaluationStatus.SCHEDULED and evaluation.due_on < today


def release_problems(
    tranche: Tranche, agreement: Agreement, *, today: datetime.date | None = None
) -> list[str]:
    """Why ``tranche`` cannot be released now; empty when it can. The one place that says
    a tranche released on completion (the last of a performance contract) needs completion
    and the evaluation its instrument names (the mid-term), and that no money is released
    to a suspended organisation or to one without a bank account on record (the finance
    system is never told to pay nowhere). ``agreement.cso`` is read as given: the release
    service locks it first."""
    today = today or _today()
    problems = []
    if agreement.status not in {AS.ACTIVE, AS.COMPLETED}:
        problems.append(_("Money is released only under a signed, running agreement."))
    problems += payee_problems(agreement.cso)
    if bank_account_of(agreement.cso) is None:
        problems.append(
            _(
                "The organisation has not recorded the bank account to pay into; its members "
                "record it on their registration page."
            )
        )
    earlier = [t for t in agreement.tranches.all() if t.seq < tranche.seq]
    if any(t.status == TS.SCHEDULED for t in earlier):
        problems.append(_("Release the earlier tranches first."))
    if tranche.condition == Tranche.Condition.ON_COMPLETION:
        if agreement.status != AS.COMPLETED:
            problems.append(_("This tranche is released once delivery is complete."))
        needs = rules_for(agreement.kind).completion_needs
        if needs == EvaluationKind.MIDTERM:
            midterm = [e for e in agreement.evaluations.all() if e.kind == needs]
            if not midterm or any(e.status != EvaluationStatus.SUBMITTED for e in midterm):
                problems.append(_("This tranche needs the mid-term evaluation first."))
    if (
        tranche.condition == Tranche.Condition.ON_SCHEDULE
        and tranche.planned_on
        and tranche.planned_on > today
    ):
        problems.append(
            _("This tranche is planned for %(date)s.") % {"date": format_be(tranche.planned_on)}
        )
    return problems


def settle_problems(agreement: Agreement) -> list[str]:
    """Why a completed agreement cannot be settled yet; empty when it can: the settlement
    stated, every released tranche paid and, where the instrument says so (a performance
    contract), the post-completion evaluation done."""
    problems = []
    if not Settlement.objects.filter(agreement=agreement).exists():
        problems.append(_("The organisation has not stated its settlement yet."))
    if agreement.tranches.filter(status=TS.RELEASED).exists():
        problems.append(_("A released tranche is still waiting for payment."))
    if (
        rules_for(agreement.kind).settle_needs_final_evaluation
        and agreement.evaluations.filter(kind=EvaluationKind.FINAL)
        .exclude(status=EvaluationStatus.SUBMITTED)
        .exists()
    ):
        problems.append(_("The post-completion evaluation is not done yet."))
    return problems


def _clean_indicators(agreement, indicators) -> list[dict]:
    if not isinstance(indicators, list):
        raise ValidationError({"indicators": [_("Give the indicators as a list.")]})
    targets = {t["indicator"]: t["target"] for t in agreement.targets or []}
    rows = []
    for row in indicators:
        if not isinstance(row, dict):
            raise ValidationError({"indicators": [_("Give each indicator and its result.")]})
        indicator = str(row.get("indicator") or "").strip()
        actual = str(row.get("actual") or "").strip()
        if not indicator and not actual:
            continue
        if not indicator or not actual or len(indicator) > 255 or len(actual) > 255:
            raise ValidationError(
                {"indicators": [_("Give each indicator and its result (up to 255 characters).")]}
            )
        rows.append(
            {"indicator": indicator, "target": targets.get(indicator, ""), "actual": actual}
        )
    return rows


def disbursed_total(agreement: Agreement) -> Decimal:
    return sum((t.amount for t in agreement.tranches.all() if t.status == TS.PAID), Decimal("0.00"))


def payee_problems(cso) -> list[str]:
    """Why no money may go to ``cso`` now: the National Committee has suspended it (with its
    note). Reinstating lifts it; progress reports are still sent meanwhile."""
    if cso.status != CSO.Status.SUSPENDED:
        return []
    note = (cso.decision_reason or "").strip()
    if not note:
        return [
            _(
                "The National Committee has suspended the organisation; no money is released "
                "or paid to it until it is reinstated."
            )
        ]
    return [
        _(
            "The National Committee has suspended the organisation (“%(note)s”); no money is "
            "released or paid to it until it is reinstated."
        )
        % {"note": note}
    ]


def payment_problems(tranche: Tranche, agreement: Agreement) -> list[str]:
    """Why ``tranche`` cannot be paid now; empty when it can. A terminated agreement's
    tranche is paid only if it was released before the termination; nothing is paid to a
    suspended organisation. ``agreement.cso`` is read as given: the payment service locks it
    first."""
    problems = []
    if agreement.status == AS.TERMINATED and (
        tranche.released_at is None
        or agreement.terminated_at is None
        or tranche.released_at >= agreement.terminated_at
    ):
        problems.append(
            _(
                "The agreement was terminated on %(date)s; a tranche released after that "
                "is not paid."
            )
            % {"date": format_be(agreement.terminated_at, "datetime")}
        )
    return problems + payee_problems(agreement.cso)
