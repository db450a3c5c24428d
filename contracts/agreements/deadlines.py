"""Every date an agreement's workflow creates, as pure functions of its dates. The services,
the timeline, the reminders and the tests all use these."""

import datetime

from portal.dates import add_months

END_NOTICE_MONTHS = 3  # a partnership ends no sooner than 3 calendar months after notice
FINAL_EVALUATION_MONTHS = 3  # post-completion evaluation: within 3 months after the end
SETTLEMENT_MONTHS = 2  # settlement: about 2 months after the activities end


def midterm_due(start: datetime.date, end: datetime.date) -> datetime.date:
    """The midpoint of the contract period (rounded down to the day)."""
    return start + (end - start) / 2


def final_evaluation_due(end: datetime.date) -> datetime.date:
    return add_months(end, FINAL_EVALUATION_MONTHS)


def settlement_due(end: datetime.date) -> datetime.date:
    return add_months(end, SETTLEMENT_MONTHS)


def earliest_end_after_notice(notice_on: datetime.date) -> datetime.date:
    """The first end date an end notice given on ``notice_on`` may name."""
    return add_months(notice_on, END_NOTICE_MONTHS)


def end_warning_due(end: datetime.date) -> datetime.date:
    """The last day a warning still gives 3 calendar months before ``end``: the latest day
    whose ``earliest_end_after_notice`` is not after ``end`` (31 May → 28 or 29 Feb; 29 Feb
    2028 → 30 Nov 2027, since 30 Nov + 3 months is clamped to 29 Feb)."""
    day = add_months(end, -END_NOTICE_MONTHS)
    while earliest_end_after_notice(day + datetime.timedelta(days=1)) <= end:
        day += datetime.timedelta(days=1)
    return day


def report_due_dates(
    start: datetime.date, end: datetime.date, every_months: int
) -> list[datetime.date]:
    """Progress reports every ``every_months`` from the start, and a last one at the end."""
    if every_months < 1:
        raise ValueError("every_months must be at least 1")
    dates, n = [], 1
    while (due := add_months(start, every_months * n)) < end:
        dates.append(due)
        n += 1
    dates.append(end)
    return dates
