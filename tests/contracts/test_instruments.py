"""The instruments' table: what each instrument schedules, read from one place."""

import datetime
from decimal import Decimal

import pytest

from contracts.agreements.models import EvaluationKind, Tranche
from contracts.calls.models import Instrument
from contracts.instruments import INSTRUMENTS, rules_for
from tests.factories import award

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
C = Tranche.Condition


def test_every_instrument_has_its_rules():
    assert set(INSTRUMENTS) == set(Instrument.values)
    assert {r.number_prefix for r in INSTRUMENTS.values()} == {"G", "PC", "CM"}


def test_the_80_20_split_is_the_performance_contracts_and_fixed():
    pc = rules_for(Instrument.PERFORMANCE_CONTRACT)
    assert pc.fixed_shares == (Decimal("80.00"), Decimal("20.00"))
    assert pc.shares_fixed and pc.has_presentations
    assert pc.settle_needs == ("midterm", "final")
    for kind in (Instrument.GRANT, Instrument.COMMISSIONING):
        assert not rules_for(kind).shares_fixed
        assert rules_for(kind).default_shares == (Decimal("100"),)
        assert rules_for(kind).settle_needs == ()


def test_tranche_conditions_and_planned_dates():
    start, end = datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)
    pc, grant = rules_for(Instrument.PERFORMANCE_CONTRACT), rules_for(Instrument.GRANT)
    assert pc.tranche_conditions(2) == [C.ON_SIGNING, C.ON_COMPLETION]
    assert pc.planned_dates(start, end, 2) == [start, end]
    assert grant.tranche_conditions(3) == [C.ON_SIGNING, C.ON_SCHEDULE, C.ON_SCHEDULE]
    assert grant.planned_dates(start, end, 2)[0] == start


@pytest.mark.parametrize(
    "instrument, shares, conditions, evaluations",
    [
        ("performance_contract", ["80.00", "20.00"], [C.ON_SIGNING, C.ON_COMPLETION],
         [EvaluationKind.MIDTERM, EvaluationKind.FINAL]),
        ("grant", ["100.00"], [C.ON_SIGNING], [EvaluationKind.FINAL]),
    ],
)  # fmt: skip
def test_the_award_schedules_what_the_table_says(instrument, shares, conditions, evaluations):
    agreement = award(instrument=instrument, sign=False)
    rules = rules_for(agreement.kind)
    tranches = list(agreement.tranches.order_by("seq"))
    assert [str(t.share_percent) for t in tranches] == shares
    assert [t.condition for t in tranches] == conditions
    kinds = [e.kind for e in agreement.evaluations.order_by("due_on", "id")]
    assert kinds == evaluations
    assert {e.timing for e in agreement.evaluations.all()} == {rules.evaluation_timing}
    assert agreement.number.startswith(rules.number_prefix + "-")


def test_commissioning_is_evaluated_yearly_then_finally():
    agreement = award(instrument="commissioning", sign=False)
    kinds = [e.kind for e in agreement.evaluations.order_by("due_on", "id")]
    assert kinds[-1] == EvaluationKind.FINAL
    assert set(kinds[:-1]) <= {EvaluationKind.PERIODIC}
    assert agreement.number.startswith("CM-")
