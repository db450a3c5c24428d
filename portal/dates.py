"""Buddhist Era dates for display. The API keeps ISO 8601 (C.E.); people read B.E."""

import calendar
import datetime

from django.utils import timezone
from django.utils.dateformat import DateFormat
from django.utils.translation import get_language

BE_OFFSET = 543

FORMATS = {
    "th": {"date": "j F พ.ศ. Y", "datetime": "j F พ.ศ. Y เวลา H:i น."},
    "en": {"date": "j F Y \\B\\E", "datetime": "j F Y \\B\\E, H:i"},
}


class BuddhistDateFormat(DateFormat):
    """Django's DateFormat with the year counted from 543 B.C.E."""

    def Y(self):  # noqa: N802 (the format character)
        return self.data.year + BE_OFFSET

    def y(self):
        return f"{(self.data.year + BE_OFFSET) % 100:02d}"

    def o(self):
        return self.data.isocalendar().year + BE_OFFSET


def be_year(value: datetime.date | datetime.datetime | None = None) -> int:
    """The Buddhist Era year of a date, or of a moment as the clock reads in Bangkok: an aware
    datetime is converted to local time first, so 1 January 2027, 00:30 in Bangkok is 2570
    although UTC still reads 31 December 2026. Now, when not given."""
    if value is None:
        value = timezone.now()
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.year + BE_OFFSET


def reference_number(prefix: str, pk: int, at: datetime.date | datetime.datetime | None = None):
    """A record's number: ``prefix``, the B.E. year of ``at`` (now, when not given) in
    Bangkok, and the primary key on 6 digits: ``reference_number("NCCS-", 7)`` is
    "NCCS-2569-000007", ``reference_number("P", 12)`` "P2569-000012"."""
    return f"{prefix}{be_year(at)}-{pk:06d}"


def format_be(value, kind="date", language=None) -> str:
    if value in (None, ""):
        return ""
    formats = FORMATS.get((language or get_language() or "th")[:2], FORMATS["th"])
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
    elif kind == "datetime":
        kind = "date"
    return BuddhistDateFormat(value).format(formats[kind])


def format_year(year: int, language=None) -> str:
    """A C.E. year for people: "พ.ศ. 2569" in Thai, "2026" in English (as English pages
    take years)."""
    if (language or get_language() or "th")[:2] == "th":
        return f"พ.ศ. {year + BE_OFFSET}"
    return str(year)


def add_months(value: datetime.date, months: int) -> datetime.date:
    """Calendar months, clamped to the month's last day: 31 May + 3 = 31 Aug;
    30 Nov + 3 = 28 Feb (29 in a leap year); 31 May − 3 = 28/29 Feb."""
    index = value.year * 12 + (value.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return value.replace(year=year, month=month, day=min(value.day, last))
