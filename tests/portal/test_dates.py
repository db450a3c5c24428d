"""Buddhist Era dates as people read them; years and record numbers are Bangkok's, whatever
UTC reads."""

import datetime
import zoneinfo

import time_machine
from django.utils import translation

from portal.dates import BuddhistDateFormat, be_year, format_be, reference_number

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")
NEW_YEARS_NIGHT = datetime.datetime(2027, 1, 1, 0, 30, tzinfo=BANGKOK)  # UTC: 31 Dec 2026


def test_buddhist_era_year_is_543_years_ahead():
    day = datetime.date(2026, 11, 23)
    assert BuddhistDateFormat(day).format("Y") == "2569"
    assert BuddhistDateFormat(day).format("y") == "69"
    assert BuddhistDateFormat(datetime.date(2000, 1, 1)).format("d/m/Y") == "01/01/2543"


def test_format_be_in_thai_and_english():
    day = datetime.date(2026, 11, 23)
    with translation.override("th"):
        assert format_be(day) == "23 พฤศจิกายน พ.ศ. 2569"
    with translation.override("en"):
        assert format_be(day) == "23 November 2569 BE"


def test_format_be_shows_datetimes_in_bangkok_time():
    # 20:30 UTC on 31 December 2026 is already 1 January 2027 (B.E. 2570) in Bangkok.
    moment = datetime.datetime(2026, 12, 31, 20, 30, tzinfo=datetime.UTC)
    with translation.override("th"):
        assert format_be(moment, "datetime") == "1 มกราคม พ.ศ. 2570 เวลา 03:30 น."


def test_format_be_of_nothing_is_empty():
    assert format_be(None) == ""


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
