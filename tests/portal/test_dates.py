"""Buddhist Era dates as people read them."""

import datetime

from django.utils import translation

from portal.dates import BuddhistDateFormat, format_be


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
