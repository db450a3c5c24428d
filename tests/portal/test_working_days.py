"""Working days (portal.working_days), with worked examples: the n-th working day after a
day skips weekends, the Thai public holidays of the ``holidays`` package and the days the
staff add to their table."""

import datetime

import pytest

from portal.models import PublicHoliday
from portal.working_days import add_working_days, is_working_day, working_days_after

D = datetime.date


@pytest.mark.django_db
def test_across_a_weekend():
    # Friday 9 January 2569 + 3 working days: Sat 10 and Sun 11 do not count; Mon 12 (1),
    # Tue 13 (2), Wed 14 (3).
    assert add_working_days(D(2026, 1, 9), 3) == D(2026, 1, 14)
    assert not is_working_day(D(2026, 1, 10))


@pytest.mark.django_db
def test_a_thai_holiday_from_the_package():
    # Friday 3 April 2569 + 1 working day: Monday 6 April is Chakri Memorial Day, so the
    # answer is Tuesday 7 April.
    assert add_working_days(D(2026, 4, 3), 1) == D(2026, 4, 7)
    # Thursday 9 April + 3: Fri 10 (1); Songkran 13–15 April; Thu 16 (2), Fri 17 (3).
    assert add_working_days(D(2026, 4, 9), 3) == D(2026, 4, 17)


@pytest.mark.django_db
def test_a_holiday_from_the_staff_table():
    # Friday 29 May 2569 + 1: Mon 1 June is Visakha Bucha (in lieu) in the package, so
    # Tuesday 2 June...
    assert add_working_days(D(2026, 5, 29), 1) == D(2026, 6, 2)
    # ...until the cabinet makes Tuesday 2 June a special holiday (the staff's table); Wed
    # 3 June is the Queen's birthday, so it is Thursday 4 June.
    PublicHoliday.objects.create(day=D(2026, 6, 2), name_th="วันหยุดพิเศษ", name_en="Special")
    assert add_working_days(D(2026, 5, 29), 1) == D(2026, 6, 4)
    assert not is_working_day(D(2026, 6, 2))


@pytest.mark.django_db
def test_counting_working_days_between_two_dates():
    # From Friday 9 to Friday 16 January 2569: Mon–Fri 12–16 are 5 working days.
    assert working_days_after(D(2026, 1, 9), D(2026, 1, 16)) == 5
    assert working_days_after(D(2026, 1, 16), D(2026, 1, 9)) == 0
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 9), 0)
