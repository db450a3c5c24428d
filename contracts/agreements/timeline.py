"""Where an agreement stands: its workflow's steps (done, current, upcoming, overdue), its
money and its next deadlines. Pure reads of an agreement fetched with
``selectors.agreement_base_queryset`` (tranches, reports, evaluations prefetched), so a page
or a list costs no query per step."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.agreements import deadlines, rules
from contracts.agreements.models import (
    Agreement,
    EvaluationKind,
    EvaluationStatus,
    Tranche,
)
from contracts.agreements.rules import has_settlement
from contracts.calls.models import Instrument

DONE, CURRENT, UPCOMING, OVERDUE, SKIPPED = "done", "current", "upcoming", "overdue", "skipped"
STATE_LABELS = {
    DONE: _("Done"),
    CURRENT: _("Current"),
    UPCOMING: _("Upcoming"),
    OVERDUE: _("Overdue"),
    SKIPPED: _("Not reached"),
}


@dataclass
class Step:
    key: str
    label: str
    done_at: datetime.date | datetime.datetime | None = None
    due_on: datetime.date | None = None
    state: str = UPCOMING

    @property
    def state_label(self):
        return STATE_LABELS[self.state]


def _date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return value


def _evaluation(agreement, kind):
    return next((e for e in agreement.evaluations.all() if e.kind == kind), None)


def _steps(agreement: Agreement) -> list[Step]:
    proposal, call = agreement.proposal, agreement.proposal.call
    tranches = list(agreement.tranches.all())
    settled = agreement.settled_at
    if agreement.kind == Instrument.PERFORMANCE_CONTRACT:
        midterm = _evaluation(agreement, EvaluationKind.MIDTERM)
        final = _evaluation(agreement, EvaluationKind.FINAL)
        first, last = tranches[0], tranches[-1]
        return [
            Step("announce", _("The agency announces the mission"), call.published_at),
            Step("plan", _("The CSO submits its project plan"), proposal.submitted_at),
            Step("present", _("The CSO presents its vision and framework"), proposal.presented_at),
            Step("sign", _("The agency selects and the contract is signed"), agreement.signed_at),
            Step(
                "tranche_1",
                _("First tranche (80 %) paid"),
                first.paid_at,
                first.planned_on,
            ),
            Step(
                "midterm",
                _("Mid-term evaluation"),
                midterm.submitted_at if midterm else None,
                midterm.due_on if midterm else None,
            ),
            Step("tranche_2", _("Second tranche (20 %) paid on completion"), last.paid_at),
            Step(
                "final",
                _("Post-completion evaluation (within 3 months)"),
                final.submitted_at if final else None,
                final.due_on if final else None,
            ),
            Step(
                "settlement",
                _("Settlement (about 2 months after the end)"),
                settled,
                deadlines.settlement_due(agreement.end_date),
            ),
        ]
    if agreement.kind == Instrument.GRANT:
        return [
            Step("prepare", _("The CSO prepares"), agreement.cso.approved_at),
            Step("propose", _("The CSO submits a proposal"), proposal.submitted_at),
            Step("sign", _("The agency offers a grant and the CSO signs"), agreement.signed_at),
            Step(
                "deliver",
                _("The CSO delivers and reports progress"),
                agreement.completed_at,
                agreement.end_date,
            ),
        ]
    evaluations = list(agreement.evaluations.all())
    open_evaluations = [e for e in evaluations if e.status == EvaluationStatus.SCHEDULED]
    return [
        Step("outcomes", _("Prioritise missions and outcomes"), agreement.created_at),
        Step(
            "needs",
            _("Assess the target groups' needs"),
            agreement.created_at if agreement.needs_assessment else None,
        ),
        Step("resources", _("Allocate resources and budget"), agreement.signed_at),
        Step("co_design", _("Co-design the service model"), agreement.delivery_started_at),
        Step("deliver", _("Deliver together"), agreement.completed_at, agreement.end_date),
        Step(
            "evaluate",
            _("Monitor and evaluate with service users and outside bodies"),
            settled or (None if open_evaluations or not evaluations else agreement.completed_at),
            min((e.due_on for e in open_evaluations), default=None),
        ),
    ]


def timeline(agreement: Agreement, today: datetime.date | None = None) -> list[Step]:
    """The workflow's steps with their state today. Once an agreement is declined or
    terminated, the steps it never reached are marked so."""
    today = today or timezone.localdate()
    ended = agreement.status in {Agreement.Status.DECLINED, Agreement.Status.TERMINATED}
    steps = _steps(agreement)
    current_seen = False
    for step in steps:
        if step.done_at:
            step.state = DONE
        elif ended:
            step.state = SKIPPED
        elif step.due_on and step.due_on < today:
            step.state = OVERDUE
            current_seen = True
        elif not current_seen:
            step.state = CURRENT
            current_seen = True
        else:
            step.state = UPCOMING
    return steps


@dataclass
class MoneySummary:
    amount: Decimal
    released: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        """What is still to be paid under the agreement."""
        return self.amount - self.paid


def money_summary(agreement: Agreement) -> MoneySummary:
    tranches = list(agreement.tranches.all())
    moved = [t for t in tranches if t.status in {Tranche.Status.RELEASED, Tranche.Status.PAID}]
    return MoneySummary(
        amount=agreement.amount,
        released=sum((t.amount for t in moved), Decimal("0.00")),
        paid=sum((t.amount for t in tranches if t.status == Tranche.Status.PAID), Decimal("0.00")),
    )


def next_deadlines(agreement: Agreement, today: datetime.date | None = None) -> list[dict]:
    """What falls due next under a running agreement, soonest first: reports, evaluations,
    tranches planned by date, the settlement and the end itself."""
    today = today or timezone.localdate()
    if agreement.status not in Agreement.LIVE:
        return []
    items = []
    for report in agreement.reports.all():
        if report.status in rules.REPORT_OPEN:
            items.append(("report", report.due_on, report.seq))
    for evaluation in agreement.evaluations.all():
        if evaluation.status == EvaluationStatus.SCHEDULED:
            items.append((f"evaluation_{evaluation.kind}", evaluation.due_on, evaluation.pk))
    for tranche in agreement.tranches.all():
        if tranche.status == Tranche.Status.SCHEDULED and tranche.planned_on:
            items.append(("tranche", tranche.planned_on, tranche.seq))
    if agreement.status == Agreement.Status.ACTIVE:
        items.append(("end", agreement.end_date, None))
    if not has_settlement(agreement) and agreement.status != Agreement.Status.OFFERED:
        items.append(("settlement", deadlines.settlement_due(agreement.end_date), None))
    items.sort(key=lambda item: (item[1], item[0]))
    return [
        {"kind": kind, "due_on": due, "ref": ref, "overdue": due < today}
        for kind, due, ref in items
    ]
