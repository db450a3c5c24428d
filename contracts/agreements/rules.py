"""The rules of agreements that the services apply: tranche shares, the award's dates and
texts, when a tranche may be released, when delivery may be recorded complete, when an
agreement may be settled, when a report is overdue, report indicators, what a report says was
spent and what was disbursed. What differs per instrument is read from
contracts.instruments."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contracts.agreements import deadlines, money
from contracts.agreements.models import (
    Agreement,
    EvaluationKind,
    EvaluationStatus,
    ExpenseCheck,
    PaymentRequestStatus,
    ProgressReport,
    Settlement,
    Tranche,
)
from contracts.instruments import rules_for
from contracts.proposals.rules import MAX_PERIOD_DAYS, _clean_targets
from csos.bank.selectors import bank_account_of
from csos.models import CSO
from portal.dates import format_be
from portal.validation import money as money_value
from portal.validation import too_long

AS = Agreement.Status
TS = Tranche.Status
RS = ProgressReport.Status

# A progress report still waiting for the organisation: due, or returned to it.
REPORT_OPEN = (RS.DUE, RS.RETURNED)

ES = EvaluationStatus


MAX_TRANCHES = 24


# MAX_PERIOD_DAYS (10 years) is the proposal's; a renewal adds at most as much again.


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


MILESTONE_MAX = 500


def clean_paid_on_request(instrument, n: int, on_request, milestones) -> tuple[bool, list[str]]:
    """Whether the later tranches are paid on request, and the milestone each needs: only
    for instruments whose later tranches fall due on a date, with a first tranche and at
    least one more, at most one milestone per later tranche."""
    if not isinstance(on_request, bool):
        raise ValidationError({"paid_on_request": [_("Answer yes or no.")]})
    if milestones in (None, ""):
        milestones = []
    if not on_request:
        if any(str(m or "").strip() for m in milestones or []):
            raise ValidationError(
                {"milestones": [_("Milestones are set for tranches paid on request.")]}
            )
        return False, []
    if not instrument.may_pay_on_request:
        raise ValidationError(
            {
                "paid_on_request": [
                    _("The last tranche of a performance contract is paid on completion.")
                ]
            }
        )
    if n < 2:
        raise ValidationError(
            {
                "paid_on_request": [
                    _(
                        "Paying on request needs two tranches or more: the first is released "
                        "once the agreement is signed."
                    )
                ]
            }
        )
    if not isinstance(milestones, list | tuple) or not all(isinstance(m, str) for m in milestones):
        raise ValidationError({"milestones": [_("Give the milestones as a list of texts.")]})
    cleaned = [m.strip() for m in milestones]
    if len(cleaned) > n - 1:
        raise ValidationError(
            {
                "milestones": [
                    ngettext(
                        "At most %(n)s milestone: one for each tranche after the first.",
                        "At most %(n)s milestones: one for each tranche after the first.",
                        n - 1,
                    )
                    % {"n": n - 1}
                ]
            }
        )
    for text in cleaned:
        if len(text) > MILESTONE_MAX:
            raise ValidationError({"milestones": [too_long(text, MILESTONE_MAX)]})
    return True, cleaned


def _clean_dates(start, end, *, today=None) -> None:
    """An agreement's period: dates, the end not before the start, at most 10 years. With
    ``today`` (an award), the period may not have started already nor start more than 10
    years ahead."""
    errors = {}
    for name, value in (("start_date", start), ("end_date", end)):
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            errors[name] = [_("Give a date.")]
    if not errors and today is not None and start < today:
        errors["start_date"] = [
            _(
                "The period would start on %(date)s, which has passed; give a start date "
                "from today on."
            )
            % {"date": format_be(start)}
        ]
    elif not errors and today is not None and (start - today).days > MAX_PERIOD_DAYS:
        errors["start_date"] = [
            _("Give a start date within 10 years from today (by %(date)s).")
            % {"date": format_be(today + datetime.timedelta(days=MAX_PERIOD_DAYS))}
        ]
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
    "signatory_name": 255,
    "signatory_position": 255,
}


def report_overdue(report: ProgressReport, today: datetime.date) -> bool:
    """Past its due date and still waiting for the organisation."""
    return report.status in REPORT_OPEN and report.due_on < today


def evaluation_overdue(evaluation, today: datetime.date) -> bool:
    """Past its due date with no result recorded. Here, beside the evaluation's statuses,
    because the agreement's pages and deadlines name it without importing assessments."""
    return evaluation.status == EvaluationStatus.SCHEDULED and evaluation.due_on < today


def evaluation_latest_due(kind: str, end: datetime.date) -> datetime.date:
    """The latest an evaluation of ``kind`` may fall due under an agreement ending on ``end``:
    the post-completion evaluation within 3 months after it, every other one by the end."""
    return deadlines.final_evaluation_due(end) if kind == EvaluationKind.FINAL else end


def schedule_problems(agreement: Agreement) -> list[str]:
    """What is still scheduled after the agreement's end; empty when nothing is. The
    invariant the end notice and the renewal keep: no tranche planned after the end, no
    report still to send due after it, no evaluation still to do due after it (the
    post-completion one: no later than 3 months after it), and a report that covers the
    period up to the end. Paid or released tranches, sent reports, recorded evaluations and
    cancelled items are history and are not counted. Reads the prefetched relations."""
    end = agreement.end_date
    on = {"end": format_be(end)}
    problems = []
    for tranche in agreement.tranches.all():
        if tranche.status == TS.SCHEDULED and tranche.planned_on and tranche.planned_on > end:
            problems.append(
                _("Tranche %(seq)s is planned for %(date)s, after the end on %(end)s.")
                % {"seq": tranche.seq, "date": format_be(tranche.planned_on), **on}
            )
    reports = list(agreement.reports.all())
    for report in reports:
        if report.status in REPORT_OPEN and report.due_on > end:
            problems.append(
                _("Progress report %(seq)s is due on %(date)s, after the end on %(end)s.")
                % {"seq": report.seq, "date": format_be(report.due_on), **on}
            )
    if reports and not any(r.status != RS.CANCELLED and r.due_on >= end for r in reports):
        problems.append(_("No progress report covers the period up to the end on %(end)s.") % on)
    for evaluation in agreement.evaluations.all():
        if evaluation.status == ES.SCHEDULED and evaluation.due_on > evaluation_latest_due(
            evaluation.kind, end
        ):
            problems.append(
                _("%(evaluation)s is due on %(date)s, too late for the end on %(end)s.")
                % {
                    "evaluation": evaluation.get_kind_display(),
                    "date": format_be(evaluation.due_on),
                    **on,
                }
            )
    return problems


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
    if tranche.condition == Tranche.Condition.ON_REQUEST and pending_request(tranche) is None:
        problems.append(
            _(
                "This tranche is released when the organisation asks for it with an accepted "
                "progress report; it has not asked yet."
            )
        )
    if (
        tranche.condition == Tranche.Condition.ON_SCHEDULE
        and tranche.planned_on
        and tranche.planned_on > today
    ):
        problems.append(
            _("This tranche is planned for %(date)s.") % {"date": format_be(tranche.planned_on)}
        )
    return problems


def has_settlement(agreement: Agreement) -> bool:
    """Whether the organisation has stated its settlement (no query where the agreement was
    fetched with ``select_related("settlement")``)."""
    try:
        agreement.settlement  # noqa: B018 - fetched with select_related where listed
    except Settlement.DoesNotExist:
        return False
    return True


def _report_named(report: ProgressReport) -> dict:
    return {"seq": report.seq, "date": format_be(report.due_on)}


def complete_problems(agreement: Agreement, *, today: datetime.date | None = None) -> list[str]:
    """Why delivery cannot be recorded as complete now; empty when it can: the agreement has
    started, and no progress report due before today is missing (not sent, or returned and
    not sent again). Each is named with its number and due date."""
    today = today or _today()
    problems = []
    if agreement.start_date > today:
        problems.append(
            _("Delivery cannot be complete before the agreement starts (%(date)s).")
            % {"date": format_be(agreement.start_date)}
        )
    for report in agreement.reports.all():
        if not report_overdue(report, today):
            continue
        if report.status == RS.RETURNED:
            problems.append(
                _(
                    "Progress report %(seq)s, due %(date)s, was returned for changes and has "
                    "not been sent again."
                )
                % _report_named(report)
            )
        else:
            problems.append(
                _("Progress report %(seq)s, due %(date)s, has not been sent.")
                % _report_named(report)
            )
    return problems


def settle_problems(agreement: Agreement, *, today: datetime.date | None = None) -> list[str]:
    """Why a completed agreement cannot be settled yet; empty when it can. Everything
    missing, each named: the settlement stated, every progress report due before today
    accepted, each evaluation the instrument needs for settling (a performance contract: the
    mid-term and the post-completion) recorded, and every released tranche paid."""
    today = today or _today()
    problems = []
    if not has_settlement(agreement):
        problems.append(_("The organisation has not stated its settlement yet."))
    for report in agreement.reports.all():
        if report.due_on < today and report.status not in (RS.ACCEPTED, RS.CANCELLED):
            problems.append(
                _("Progress report %(seq)s, due %(date)s, is not accepted (it is “%(status)s”).")
                % {**_report_named(report), "status": report.get_status_display()}
            )
    needs = rules_for(agreement.kind).settle_needs  # scheduled at the award, never removed
    for evaluation in agreement.evaluations.all():
        if evaluation.kind in needs and evaluation.status not in (
            EvaluationStatus.SUBMITTED,
            EvaluationStatus.CANCELLED,
        ):
            problems.append(
                _("%(evaluation)s, due %(date)s, is not recorded.")
                % {
                    "evaluation": evaluation.get_kind_display(),
                    "date": format_be(evaluation.due_on),
                }
            )
    unchecked = agreement.expenses.filter(
        check_status__in=[ExpenseCheck.PENDING, ExpenseCheck.QUERIED]
    ).count()
    if unchecked:
        problems.append(
            ngettext(
                "%(n)s expense is not checked yet: accept or reject it.",
                "%(n)s expenses are not checked yet: accept or reject each.",
                unchecked,
            )
            % {"n": unchecked}
        )
    for tranche in agreement.tranches.all():
        if tranche.status == TS.RELEASED:
            problems.append(
                _("Tranche %(seq)s (%(amount)s baht), released on %(date)s, is not paid.")
                % {
                    "seq": tranche.seq,
                    "amount": f"{tranche.amount:,.2f}",
                    "date": format_be(tranche.released_at),
                }
            )
    return problems


INDICATOR_NOTE_MAX = 1000


def _clean_indicators(agreement, indicators) -> list[dict]:
    """Each indicator's actual value, with the target the agreement set and an optional note
    (how it was measured, why it differs)."""
    if not isinstance(indicators, list):
        raise ValidationError({"indicators": [_("Give the indicators as a list.")]})
    targets = {t["indicator"]: t["target"] for t in agreement.targets or []}
    rows = []
    for row in indicators:
        if not isinstance(row, dict):
            raise ValidationError({"indicators": [_("Give each indicator and its result.")]})
        indicator = str(row.get("indicator") or "").strip()
        actual = str(row.get("actual") or "").strip()
        note = str(row.get("note") or "").strip()
        if not indicator and not actual:
            continue
        if not indicator or not actual or len(indicator) > 255 or len(actual) > 255:
            raise ValidationError(
                {"indicators": [_("Give each indicator and its result (up to 255 characters).")]}
            )
        if len(note) > INDICATOR_NOTE_MAX:
            raise ValidationError({"indicators": [too_long(note, INDICATOR_NOTE_MAX)]})
        rows.append(
            {
                "indicator": indicator,
                "target": targets.get(indicator, ""),
                "actual": actual,
                "note": note,
            }
        )
    return rows


MAX_BENEFICIARY_GROUPS = 12
BENEFICIARY_GROUP_MAX = 100
MOST_REACHED = 100_000_000  # more than Thailand's population: a typing slip


def clean_beneficiary_groups(groups) -> list[str]:
    """The groups an agreement's reports count the people reached in: distinct names, at most
    12, each up to 100 characters (empty: the reports count none)."""
    if groups in (None, ""):
        return []
    if not isinstance(groups, list | tuple) or not all(isinstance(g, str) for g in groups):
        raise ValidationError({"beneficiary_groups": [_("Give the groups as a list of names.")]})
    cleaned = []
    for name in (" ".join(g.split()) for g in groups):
        if not name or name in cleaned:
            continue
        if len(name) > BENEFICIARY_GROUP_MAX:
            raise ValidationError({"beneficiary_groups": [too_long(name, BENEFICIARY_GROUP_MAX)]})
        cleaned.append(name)
    if len(cleaned) > MAX_BENEFICIARY_GROUPS:
        raise ValidationError(
            {
                "beneficiary_groups": [
                    _("At most %(n)s groups.") % {"n": MAX_BENEFICIARY_GROUPS},
                ]
            }
        )
    return cleaned


def clean_beneficiaries(agreement, beneficiaries) -> list[dict]:
    """The people reached, one whole number for each group the agreement names, in its order,
    and nothing else: only what the evaluation needs, never who they are."""
    groups = list(agreement.beneficiary_groups or [])
    if beneficiaries in (None, "", []) and not groups:
        return []
    if not isinstance(beneficiaries, list) or not all(isinstance(r, dict) for r in beneficiaries):
        raise ValidationError(
            {"beneficiaries": [_("Give the people reached as a list of groups and counts.")]}
        )
    given = {}
    for row in beneficiaries:
        group = " ".join(str(row.get("group") or "").split())
        if group not in groups:
            raise ValidationError(
                {
                    "beneficiaries": [
                        _("“%(group)s” is not a group this agreement counts.") % {"group": group}
                        if groups
                        else _("This agreement counts no groups of people reached.")
                    ]
                }
            )
        count = row.get("count")
        if isinstance(count, str) and count.strip().isdigit():
            count = int(count.strip())
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count < MOST_REACHED:
            raise ValidationError(
                {
                    "beneficiaries": [
                        _("Give a whole number of people, 0 or more, for “%(group)s”.")
                        % {"group": group}
                    ]
                }
            )
        given[group] = count
    missing = [g for g in groups if g not in given]
    if missing:
        raise ValidationError(
            {
                "beneficiaries": [
                    _("Give the number of people reached for: %(groups)s.")
                    % {"groups": ", ".join(missing)}
                ]
            }
        )
    return [{"group": g, "count": given[g]} for g in groups]


def disbursed_total(agreement: Agreement, *, by: datetime.datetime | None = None) -> Decimal:
    """What was paid under the agreement: the paid tranches, or those whose payment was
    recorded by the moment ``by``."""
    return sum(
        (
            t.amount
            for t in agreement.tranches.all()
            if t.status == TS.PAID and (by is None or t.paid_at <= by)
        ),
        Decimal("0.00"),
    )


# --- what a progress report says was spent ---------------------------------------------------

SPENDING_EXPLANATION_MAX = 5000


def previous_report(agreement: Agreement, report: ProgressReport) -> ProgressReport | None:
    """The last report before ``report`` (by number) that was sent, with what it said was
    spent to date."""
    sent = [
        r for r in agreement.reports.all() if r.seq < report.seq and r.spent_to_date is not None
    ]
    return max(sent, key=lambda r: r.seq, default=None)


def spending_problems(
    agreement: Agreement,
    spent: Decimal,
    explanation: str,
    *,
    previous: ProgressReport | None,
) -> dict[str, list[str]]:
    """Why ``spent`` cannot be reported as the money spent to date, by field; empty when it
    can. It may not exceed the agreement's amount; it may exceed what was paid so far (the
    officer sees that flagged, ``report_overspent_by``). Spending does not go down from the
    ``previous`` report (``previous_report``) without a written explanation."""
    if spent > agreement.amount:
        return {
            "spent_to_date": [
                _("The amount spent cannot be more than the agreement's amount (%(amount)s baht).")
                % {"amount": f"{agreement.amount:,.2f}"}
            ]
        }
    if previous is not None and spent < previous.spent_to_date and not explanation:
        return {
            "spending_explanation": [
                _(
                    "Progress report %(seq)s said %(previous)s baht was spent; explain why "
                    "spending to date is now lower (%(spent)s baht)."
                )
                % {
                    "seq": previous.seq,
                    "previous": f"{previous.spent_to_date:,.2f}",
                    "spent": f"{spent:,.2f}",
                }
            ]
        }
    return {}


def report_overspent_by(report: ProgressReport, agreement: Agreement) -> Decimal | None:
    """How much more the report says was spent than had been paid when it was sent (the
    organisation advanced it): 0.00 within what was paid, None before it is sent."""
    if report.spent_to_date is None or report.submitted_at is None:
        return None
    return money.uncovered(disbursed_total(agreement, by=report.submitted_at), report.spent_to_date)


def overspending_note(report: ProgressReport, agreement: Agreement) -> str:
    """The officer's flag on a report that says more was spent than had been paid; "" when
    it does not."""
    over = report_overspent_by(report, agreement)
    if not over:
        return ""
    paid = disbursed_total(agreement, by=report.submitted_at)
    return _(
        "Spent more than was paid: spent %(spent)s of %(paid)s paid when the report was sent "
        "(%(over)s baht more)."
    ) % {"spent": f"{report.spent_to_date:,.2f}", "paid": f"{paid:,.2f}", "over": f"{over:,.2f}"}


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


def pending_request(tranche: Tranche):
    """The tranche's payment request waiting for the agency, or None (reads the prefetched
    ``payment_requests``)."""
    return next(
        (r for r in tranche.payment_requests.all() if r.status == PaymentRequestStatus.PENDING),
        None,
    )


def evidence_reports(agreement: Agreement) -> list[ProgressReport]:
    """The accepted progress reports that may evidence a payment request: each evidences one
    tranche, so those cited by a request not returned are left out. Reads the prefetched
    reports and tranches' requests."""
    cited = {
        r.report_id
        for t in agreement.tranches.all()
        for r in t.payment_requests.all()
        if r.status != PaymentRequestStatus.RETURNED
    }
    return [r for r in agreement.reports.all() if r.status == RS.ACCEPTED and r.pk not in cited]


def payment_request_problems(tranche: Tranche, agreement: Agreement) -> list[str]:
    """Why the organisation cannot ask for ``tranche`` now; empty when it can: a tranche paid
    on request, not released, under a running agreement, after the earlier tranches, with no
    request already waiting and an accepted report left to evidence it."""
    if tranche.condition != Tranche.Condition.ON_REQUEST:
        return [
            _("This tranche is not paid on request: %(when)s.")
            % {"when": tranche.get_condition_display()}
        ]
    if tranche.status != TS.SCHEDULED:
        return [_("This tranche has already been released.")]
    problems = []
    if agreement.status not in {AS.ACTIVE, AS.COMPLETED}:
        problems.append(_("Payment is requested while the agreement runs."))
    if any(t.status == TS.SCHEDULED for t in agreement.tranches.all() if t.seq < tranche.seq):
        problems.append(_("The earlier tranches are released first."))
    if pending_request(tranche) is not None:
        problems.append(_("A request for this tranche is waiting for the agency's answer."))
    elif not evidence_reports(agreement):
        problems.append(
            _(
                "A payment request needs an accepted progress report that evidences no other "
                "request; send the next report first."
            )
        )
    return problems


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


def signature_errors(signed_name) -> tuple[str, dict]:
    """A typed signature: the full name with its spaces squeezed, and the error when it is
    too short to be a name or too long."""
    name = " ".join(str(signed_name or "").split())
    if len(name) < 3:
        return name, {"signed_name": [_("Type your full name to sign.")]}
    if len(name) > 255:
        return name, {"signed_name": [too_long(name, 255)]}
    return name, {}


# --- variations --------------------------------------------------------------------------

VARIATION_FIELDS = [
    "amount",
    "start_date",
    "end_date",
    "scope",
    "targets",
    "tranches",
    "budget_lines",
]


def min_tranche_amount(amount) -> Decimal:
    """The least a tranche still to be released may carry: enough for a share above 0.00 %
    of ``amount`` (0.01 %, and at least a satang)."""
    return max((Decimal(amount) / 10000).quantize(Decimal("0.01")), Decimal("0.01"))


def clean_variation(agreement, changes: dict, *, today, budget=()) -> dict:
    """What a variation asks of ``agreement`` as it stands: only the fields that differ,
    each checked (as JSON-ready values: amounts and dates as strings). Refuses an empty
    variation. The amount is not below what was already released; the period keeps a start
    already passed and ends from today on; only scheduled tranches move, within the
    period."""
    errors, cleaned = {}, {}
    unknown = set(changes) - set(VARIATION_FIELDS)
    if unknown:
        errors["changes"] = [
            _("Unknown changes: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        ]
    if changes.get("amount") not in (None, ""):
        try:
            amount = money_value(changes["amount"], field="amount")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        else:
            released = sum(
                (
                    t.amount
                    for t in agreement.tranches.all()
                    if t.status != Tranche.Status.SCHEDULED
                ),
                Decimal("0.00"),
            )
            waiting = sum(t.status == TS.SCHEDULED for t in agreement.tranches.all())
            if waiting and amount - released < waiting * min_tranche_amount(amount):
                errors["amount"] = [
                    _(
                        "The amount must be more than the %(released)s baht already released, "
                        "so each tranche still to be released carries a share of it."
                    )
                    % {"released": f"{released:,.2f}"}
                ]
            elif amount < released:
                errors["amount"] = [
                    _("The amount cannot be less than the %(released)s baht already released.")
                    % {"released": f"{released:,.2f}"}
                ]
            elif amount != agreement.amount:
                cleaned["amount"] = f"{amount:.2f}"
    start = changes.get("start_date") or agreement.start_date
    end = changes.get("end_date") or agreement.end_date
    for name, value in (("start_date", start), ("end_date", end)):
        if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
            errors[name] = [_("Give a date.")]
    if "start_date" not in errors and "end_date" not in errors:
        if start != agreement.start_date:
            if agreement.start_date <= today:
                errors["start_date"] = [_("The period has started; its start date stays.")]
            elif start < today:
                errors["start_date"] = [_("Give a start date from today on.")]
            else:
                cleaned["start_date"] = start.isoformat()
        if end != agreement.end_date:
            if end < today:
                errors["end_date"] = [_("Give an end date from today on.")]
            else:
                cleaned["end_date"] = end.isoformat()
        if end < start:
            errors["end_date"] = [_("The end date must be on or after the start date.")]
        elif (end - start).days > MAX_PERIOD_DAYS:
            errors["end_date"] = [_("An agreement runs at most 10 years.")]
    if changes.get("scope") is not None:
        scope = str(changes["scope"]).strip()
        if len(scope) > 10000:
            errors["scope"] = [too_long(scope, 10000)]
        elif scope != agreement.scope:
            cleaned["scope"] = scope
    if changes.get("targets") is not None:
        try:
            targets = _clean_targets(changes["targets"])
        except ValidationError as exc:
            errors["targets"] = exc.messages
        else:
            if targets != list(agreement.targets or []):
                cleaned["targets"] = targets
    if changes.get("budget_lines"):
        amount = Decimal(cleaned.get("amount", agreement.amount))
        lines = _clean_budget_lines(changes["budget_lines"], budget, amount, errors)
        if lines:
            cleaned["budget_lines"] = lines
    moved = []
    if changes.get("tranches"):
        moved = _clean_tranche_dates(agreement, changes["tranches"], start, end, errors)
        if moved:
            cleaned["tranches"] = moved
    if "start_date" in cleaned or "end_date" in cleaned:
        # Every tranche still to be released stays within the new period (moved as asked).
        planned = {row["seq"]: row["planned_on"] for row in moved}
        for tranche in agreement.tranches.all():
            when = planned.get(tranche.seq) or (
                tranche.planned_on.isoformat() if tranche.planned_on else None
            )
            if (
                tranche.status == TS.SCHEDULED
                and when
                and not (start.isoformat() <= when <= end.isoformat())
            ):
                errors.setdefault("tranches", []).append(
                    _("Tranche %(seq)s is planned outside the new period: move it too.")
                    % {"seq": tranche.seq}
                )
    if errors:
        raise ValidationError(errors)
    if not cleaned:
        raise ValidationError(
            {"changes": [_("Change at least one thing: the variation asks for nothing new.")]}
        )
    return cleaned


def _clean_budget_lines(rows, budget, amount: Decimal, errors) -> list[dict]:
    """New amounts for some of the budget's lines (``budget``: selectors.budget_of rows):
    lines of this agreement, none below what was already spent on it, and the whole budget
    adding up to the agreement's amount (as varied). Returns the lines that change, with
    their description, amounts as strings."""
    by_id = {row.line.pk: row for row in budget}
    if not isinstance(rows, list | tuple) or not all(isinstance(r, dict) for r in rows):
        errors["budget_lines"] = [_("Give the budget lines as a list of lines and amounts.")]
        return []
    new, problems = {}, []
    for row in rows:
        line = by_id.get(row.get("line"))
        if line is None:
            problems.append(_("Choose lines of this agreement's budget."))
            continue
        try:
            value = money_value(row.get("amount"), field="budget_lines", allow_zero=True)
        except ValidationError:
            problems.append(
                _("Give the new amount of “%(line)s” in baht.") % {"line": line.line.description}
            )
            continue
        if value < line.spent:
            problems.append(
                _("“%(line)s” cannot go below the %(spent)s baht already spent on it.")
                % {"line": line.line.description, "spent": f"{line.spent:,.2f}"}
            )
        new[line.line.pk] = value
    total = sum((new.get(pk, row.budget) for pk, row in by_id.items()), Decimal("0.00"))
    if not problems and total != amount:
        problems.append(
            _(
                "The budget lines must add up to the agreement's amount of %(amount)s baht "
                "(they would come to %(total)s baht)."
            )
            % {"amount": f"{amount:,.2f}", "total": f"{total:,.2f}"}
        )
    if problems:
        errors["budget_lines"] = problems
        return []
    return [
        {"line": pk, "description": by_id[pk].line.description, "amount": f"{value:.2f}"}
        for pk, value in new.items()
        if value != by_id[pk].budget
    ]


def _clean_tranche_dates(agreement, rows, start, end, errors) -> list[dict]:
    scheduled = {t.seq: t for t in agreement.tranches.all() if t.status == Tranche.Status.SCHEDULED}
    moved = []
    if not isinstance(rows, list | tuple):
        errors["tranches"] = [_("Give the tranches as a list of numbers and dates.")]
        return moved
    problems = []
    for row in rows:
        seq = row.get("seq") if isinstance(row, dict) else None
        planned = row.get("planned_on") if isinstance(row, dict) else None
        tranche = scheduled.get(seq)
        if tranche is None:
            problems.append(_("Tranche %(seq)s is not waiting to be released.") % {"seq": seq})
        elif not isinstance(planned, datetime.date) or isinstance(planned, datetime.datetime):
            problems.append(_("Give tranche %(seq)s a date.") % {"seq": seq})
        elif not start <= planned <= end:
            problems.append(_("Plan tranche %(seq)s within the period.") % {"seq": seq})
        elif planned != tranche.planned_on:
            moved.append({"seq": seq, "planned_on": planned.isoformat()})
    if problems:
        errors["tranches"] = problems
    return moved
