"""Buddhist Era years and record numbers: the year is Bangkok's, whatever UTC reads."""

import datetime
import zoneinfo

import time_machine

from portal.dates import be_year, reference_number

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
NEW_YEARS_NIGHT = datetime.datetime(2027, 1, 1, 0, 30, tzinfo=BANGKOK)  # UTC: 31 Dec 2026


def test_a_moment_counts_in_the_year_bangkok_reads():
    assert NEW_YEARS_NIGHT.astimezone(datetime.UTC).year == 2026
    assert be_year(NEW_YEARS_NIGHT) == 2570
    assert be_year(NEW_YEARS_NIGHT.astimezone(datetime.UTC)) == 2570
    assert be_year(datetime.date(2026, 12, 31)) == 2569


def test_a_number_made_on_new_years_night_has_the_new_year():
    with time_machine.travel(NEW_YEARS_NIGHT, tick=False):
        assert be_year() == 2570
        assert reference_number("NCCS-", 7) == "NCCS-2570-000007"
        assert reference_number("P", 12) == "P2570-000012"
    last_evening = datetime.datetime(2026, 12, 31, 23, 59, tzinfo=BANGKOK)
    with time_machine.travel(last_evening, tick=False):
        assert reference_number("AG-", 123456) == "AG-2569-123456"


def test_a_number_can_be_dated():
    assert reference_number("P", 1, at=NEW_YEARS_NIGHT) == "P2570-000001"
    assert reference_number("P", 1, at=datetime.date(2026, 6, 1)) == "P2569-000001"
