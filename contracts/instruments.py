"""What differs between the three instruments, in one table: a grant, a performance contract
and a commissioning partnership. Every place that branches on the instrument reads
``rules_for(kind)`` instead of comparing the kind itself.

This module names only the call's ``Instrument`` and the agreement's tranche conditions and
evaluation kinds and timings; it imports no service, rule or view, so any layer may read it."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from contracts.agreements.models import EvaluationKind, EvaluationTiming, Tranche
from contracts.calls.models import Instrument

Condition = Tranche.Condition


@dataclass(frozen=True)
class InstrumentRules:
    kind: Instrument
    # The agreement's number: "<prefix>-<Buddhist year>-<id>".
    number_prefix: str
    # The agreement's documents: its PDF template and the file name it is served under.
    template: str
    slug: str
    # Tranche shares in percent: fixed by the instrument, or chosen by the officer
    # (``default_shares`` until they choose).
    fixed_shares: tuple[Decimal, ...] | None
    default_shares: tuple[Decimal, ...]
    # The first tranche is released on signing; each later one on this condition.
    later_condition: str
    # Planned dates: the start and the end of the agreement (one per tranche), or spread
    # evenly through the period unless the officer gives them.
    planned_on_start_and_end: bool
    # The evaluations scheduled at the award, in order; ``PERIODIC`` recurs every
    # ``periodic_every_months`` from the start while before the end.
    evaluations: tuple[str, ...]
    evaluation_timing: str
    periodic_every_months: int | None
    # The evaluation a tranche released on completion needs submitted first.
    completion_needs: str | None
    # The call shortlists proposals and hears each shortlisted CSO present its vision.
    has_presentations: bool
    # The evaluations settling needs recorded (each of these kinds the agreement has).
    settle_needs: tuple[str, ...]
    # A commissioning partnership co-designs its service, then starts delivery; it is renewed
    # and may add periodic evaluations.
    co_design: bool
    renewable: bool

    @property
    def shares_fixed(self) -> bool:
        return self.fixed_shares is not None

    def fixed_share_spellings(self) -> list[list]:
        """How the fixed shares may be given back (as decimals, "80" or 80)."""
        fixed = list(self.fixed_shares or ())
        return [fixed, [str(int(s)) for s in fixed], [int(s) for s in fixed]]

    @property
    def may_pay_on_request(self) -> bool:
        """Later tranches due on a date may instead be paid when the organisation asks, with
        its evidence (a grant, a commissioning partnership); a performance contract's last
        tranche always waits for completion."""
        return self.later_condition == Condition.ON_SCHEDULE

    def tranche_conditions(self, n: int, *, on_request: bool = False) -> list[str]:
        later = Condition.ON_REQUEST if on_request and self.may_pay_on_request else None
        return [Condition.ON_SIGNING] + [later or self.later_condition] * (n - 1)

    def planned_dates(
        self, start: datetime.date, end: datetime.date, n: int, planned=None
    ) -> list[datetime.date]:
        if self.planned_on_start_and_end:
            return [start, end]
        return planned or spread_dates(start, end, n)


def spread_dates(start, end, n) -> list[datetime.date]:
    """``n`` planned dates from ``start``, evenly through the period (the first at start)."""
    step = (end - start) / n
    return [start + step * i for i in range(n)]


# A performance contract pays 80 % on signing and 20 % on completion: defined here only.
PERFORMANCE_SHARES = (Decimal("80.00"), Decimal("20.00"))
WHOLE = (Decimal("100"),)

INSTRUMENTS = {
    Instrument.GRANT: InstrumentRules(
        kind=Instrument.GRANT,
        number_prefix="G",
        template="contracts/agreements/pdf/grant_offer.html",
        slug="grant-offer",
        fixed_shares=None,
        default_shares=WHOLE,
        later_condition=Condition.ON_SCHEDULE,
        planned_on_start_and_end=False,
        evaluations=(EvaluationKind.FINAL,),
        evaluation_timing=EvaluationTiming.BY_PERIOD,
        periodic_every_months=None,
        completion_needs=None,
        has_presentations=False,
        settle_needs=(),
        co_design=False,
        renewable=False,
    ),
    Instrument.PERFORMANCE_CONTRACT: InstrumentRules(
        kind=Instrument.PERFORMANCE_CONTRACT,
        number_prefix="PC",
        template="contracts/agreements/pdf/performance_contract.html",
        slug="performance-contract",
        fixed_shares=PERFORMANCE_SHARES,
        default_shares=PERFORMANCE_SHARES,
        later_condition=Condition.ON_COMPLETION,
        planned_on_start_and_end=True,
        evaluations=(EvaluationKind.MIDTERM, EvaluationKind.FINAL),
        evaluation_timing=EvaluationTiming.BY_INSTALMENT,
        periodic_every_months=None,
        completion_needs=EvaluationKind.MIDTERM,
        has_presentations=True,
        settle_needs=(EvaluationKind.MIDTERM, EvaluationKind.FINAL),
        co_design=False,
        renewable=False,
    ),
    Instrument.COMMISSIONING: InstrumentRules(
        kind=Instrument.COMMISSIONING,
        number_prefix="CM",
        template="contracts/agreements/pdf/commissioning_agreement.html",
        slug="commissioning-agreement",
        fixed_shares=None,
        default_shares=WHOLE,
        later_condition=Condition.ON_SCHEDULE,
        planned_on_start_and_end=False,
        evaluations=(EvaluationKind.PERIODIC, EvaluationKind.FINAL),
        evaluation_timing=EvaluationTiming.BY_PERIOD,
        periodic_every_months=12,
        completion_needs=None,
        has_presentations=False,
        settle_needs=(),
        co_design=True,
        renewable=True,
    ),
}


def rules_for(kind) -> InstrumentRules:
    """The rules of a call's or an agreement's instrument (its ``instrument`` or ``kind``)."""
    return INSTRUMENTS[kind]
