"""Buddhist Era dates for display. The API keeps ISO 8601 (C.E.); people read B.E."""

import datetime

from django.utils import timezone
from django.utils.dateformat import DateFormat
from django.utils.translation import get_language

BE_OFFSET = 543

FORMATS = {
    "th": {"date": "j F พ.ศ. Y", "datetime": "j F พ.ศ. Y เวลา H:i น.", "short": "j M Y"},
    "en": {"date": "j F Y \\B\\E", "datetime": "j F Y \\B\\E, H:i", "short": "j M Y"},
}


class BuddhistDateFormat(DateFormat):
    """Django's DateFormat with the year counted from 543 B.C.E."""

    def Y(self):  # noqa: N802 (the format character)
        return self.data.year + BE_OFFSET

    def y(self):
        return f"{(self.data.year + BE_OFFSET) % 100:02d}"

    def o(self):
        return self.data.isocalendar().year + BE_OFFSET


def be_year(value) -> int:
    return value.year + BE_OFFSET


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


def add_months(value: datetime.date, months: int) -> datetime.date:
    """Calendar months, clamped to the month's last day: 31 May + 3 = 31 Aug;
    30 Nov + 3 = 28 Feb (29 in a leap year); 31 May − 3 = 28/29 Feb."""
    import calendar

    index = value.year * 12 + (value.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return value.replace(year=year, month=month, day=min(value.day, last))
