"""The agreements' pure rules: the tranche shares to the satang and the due dates of
evaluations and reports."""

import datetime
from decimal import Decimal

import pytest

from contracts.agreements import deadlines, money
from contracts.calls.models import Instrument
from contracts.instruments import rules_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# --- money arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "first", "last"),
    [
        ("100000.01", "80000.01", "20000.00"),  # 80000.008 rounds half-up
        ("0.05", "0.04", "0.01"),
        ("0.01", "0.01", "0.00"),  # 0.008 rounds up; the remainder is what is left
        ("999999999999.99", "799999999999.99", "200000000000.00"),
        ("100000.00", "80000.00", "20000.00"),
        ("33333.33", "26666.66", "6666.67"),  # 26666.664
        ("12345.67", "9876.54", "2469.13"),  # 9876.536
    ],
)
def test_the_80_20_split_is_exact(amount, first, last):
    parts = money.split(Decimal(amount), rules_for(Instrument.PERFORMANCE_CONTRACT).fixed_shares)
    assert parts == [Decimal(first), Decimal(last)]
    assert sum(parts) == Decimal(amount)


def test_any_schedule_of_shares_sums_exactly():
    parts = money.split(Decimal("1000.00"), [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")])
    assert parts == [Decimal("333.30"), Decimal("333.30"), Decimal("333.40")]
    parts = money.split(Decimal("100.00"), [Decimal("33.33")] * 2 + [Decimal("33.34")])
    assert sum(parts) == Decimal("100.00")
    with pytest.raises(ValueError):
        money.split(Decimal("100"), [Decimal("50"), Decimal("49")])


def test_refund_due_is_what_was_paid_and_not_spent():
    assert money.refund_due(Decimal("190020.00"), Decimal("180000.00")) == Decimal("10020.00")
    assert money.refund_due(Decimal("100.00"), Decimal("150.00")) == Decimal("0.00")


def test_uncovered_is_what_was_spent_beyond_what_was_paid():
    assert money.uncovered(Decimal("114012.00"), Decimal("200000.00")) == Decimal("85988.00")
    assert money.uncovered(Decimal("190020.00"), Decimal("180000.00")) == Decimal("0.00")
    assert money.uncovered(Decimal("0.00"), Decimal("0.01")) == Decimal("0.01")
    # Paid and spent: refunded or borne, never both.
    for paid, spent in (("100.00", "150.00"), ("150.00", "100.00"), ("1.00", "1.00")):
        paid, spent = Decimal(paid), Decimal(spent)
        assert money.uncovered(paid, spent) - money.refund_due(paid, spent) == spent - paid


# --- due dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "midterm"),
    [
        (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31), datetime.date(2027, 7, 2)),
        (datetime.date(2027, 1, 1), datetime.date(2027, 1, 3), datetime.date(2027, 1, 2)),
        (datetime.date(2027, 3, 1), datetime.date(2027, 3, 1), datetime.date(2027, 3, 1)),
    ],
)
def test_the_midterm_falls_at_the_midpoint(start, end, midterm):
    assert deadlines.midterm_due(start, end) == midterm


@pytest.mark.parametrize(
    ("end", "final", "settlement", "warning"),
    [
        (datetime.date(2027, 5, 31), datetime.date(2027, 8, 31), datetime.date(2027, 7, 31),
         datetime.date(2027, 2, 28)),
        (datetime.date(2028, 5, 31), datetime.date(2028, 8, 31), datetime.date(2028, 7, 31),
         datetime.date(2028, 2, 29)),  # a leap year
        (datetime.date(2027, 11, 30), datetime.date(2028, 2, 29), datetime.date(2028, 1, 30),
         datetime.date(2027, 8, 31)),  # 31 Aug + 3 months is clamped to 30 Nov
        (datetime.date(2028, 2, 29), datetime.date(2028, 5, 29), datetime.date(2028, 4, 29),
         datetime.date(2027, 11, 30)),
        (datetime.date(2027, 12, 31), datetime.date(2028, 3, 31), datetime.date(2028, 2, 29),
         datetime.date(2027, 9, 30)),
    ],
)  # fmt: skip
def test_dates_after_and_before_the_end_handle_month_ends(end, final, settlement, warning):
    assert deadlines.final_evaluation_due(end) == final
    assert deadlines.settlement_due(end) == settlement
    assert deadlines.end_warning_due(end) == warning


def test_reports_fall_every_period_and_at_the_end():
    assert deadlines.report_due_dates(
        datetime.date(2027, 1, 31), datetime.date(2027, 12, 31), 3
    ) == [
        datetime.date(2027, 4, 30),
        datetime.date(2027, 7, 31),
        datetime.date(2027, 10, 31),
        datetime.date(2027, 12, 31),
    ]
    assert deadlines.report_due_dates(datetime.date(2027, 1, 1), datetime.date(2027, 2, 1), 3) == [
        datetime.date(2027, 2, 1)
    ]
