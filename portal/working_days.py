"""Working days, the one place every deadline counted in them is worked out: Monday to
Friday, leaving out Thailand's public holidays as the ``holidays`` package knows them
(substitution days included) and the days the staff add in the admin (``PublicHoliday``:
a substitution or a special holiday the cabinet announces).

``add_working_days(day, n)`` is the ``n``-th working day after ``day`` (the day itself does
not count, whatever it is): a grievance received on a Friday, to route within 3 working
days, is due on the Wednesday after. Pure functions of their dates; the staff's table is
read once per call."""

import datetime
from functools import lru_cache

import holidays

WEEKEND = {5, 6}  # Saturday, Sunday


@lru_cache(maxsize=32)
def _package_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("TH", years=year))


def _staff_holidays(first: datetime.date, last: datetime.date) -> set[datetime.date]:
    from portal.models import PublicHoliday

    return set(
        PublicHoliday.objects.filter(day__gte=first, day__lte=last).values_list("day", flat=True)
    )


def holidays_between(first: datetime.date, last: datetime.date) -> set[datetime.date]:
    """Every public holiday from ``first`` to ``last`` (both included): the package's Thai
    calendar and the staff's table."""
    days = set()
    for year in range(first.year, last.year + 1):
        days |= {d for d in _package_holidays(year) if first <= d <= last}
    return days | _staff_holidays(first, last)


def holiday_name(day: datetime.date, language: str = "th") -> str:
    """The holiday's name in ``language`` (the staff's name first), or ''."""
    from portal.models import PublicHoliday

    row = PublicHoliday.objects.filter(day=day).first()
    if row is not None:
        return row.name_en if language == "en" and row.name_en else row.name_th
    names = holidays.country_holidays("TH", years=day.year, language=language)
    return names.get(day, "")


def is_working_day(day: datetime.date, *, days_off=None) -> bool:
    if day.weekday() in WEEKEND:
        return False
    if days_off is None:
        days_off = holidays_between(day, day)
    return day not in days_off


def add_working_days(day: datetime.date, n: int) -> datetime.date:
    """The ``n``-th working day after ``day`` (n ≥ 1)."""
    if n < 1:
        raise ValueError("n must be at least 1")
    # Thailand never has more than a fortnight off in a row: read generously once.
    span = datetime.timedelta(days=n * 2 + 30)
    days_off = holidays_between(day, day + span)
    found = day
    while n:
        found += datetime.timedelta(days=1)
        if found > day + span:  # a very long run of holidays: read the next stretch
            days_off |= holidays_between(found, found + span)
            span += span
        if is_working_day(found, days_off=days_off):
            n -= 1
    return found


def working_days_after(first: datetime.date, last: datetime.date) -> int:
    """How many working days there are after ``first`` up to ``last`` (included): 0 when
    ``last`` is not after ``first``."""
    if last <= first:
        return 0
    days_off = holidays_between(first, last)
    count, day = 0, first
    while day < last:
        day += datetime.timedelta(days=1)
        count += is_working_day(day, days_off=days_off)
    return count
