"""The one date field of the portal: day, month by name and year, as people write dates in
Thailand, with hours and minutes (24-hour, Bangkok time) where a moment is needed, or the
year alone. In Thai the year is typed in the Buddhist Era (พ.ศ.), in English in the Common
Era; the month is a list of month names in the language of the page. No browser date
picker: those show the C.E. year and AM/PM.

``DateBoxesField(label=..., mode="date" | "datetime" | "year")`` cleans to a ``date``, an
aware ``datetime`` (Asia/Bangkok) or an ``int`` C.E. year. The boxes post as
``<name>_day``, ``<name>_month``, ``<name>_year``, ``<name>_hour``, ``<name>_minute``;
each refusal names the box that shows it (``error_part``), and what was typed is kept."""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .dates import BE_OFFSET

BANGKOK = ZoneInfo("Asia/Bangkok")

# Years a person may plausibly mean, in C.E.: the founding of a Thai association (the oldest
# go back to the reign of King Chulalongkorn) up to a ten-year project started far ahead.
MIN_YEAR = 1850
MAX_YEAR = 2200

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

PARTS = {
    "date": ("day", "month", "year"),
    "datetime": ("day", "month", "year", "hour", "minute"),
    "year": ("year",),
}
PART_LABELS = {
    "day": _("Day"),
    "month": _("Month"),
    "hour": _("Hour"),
    "minute": _("Minute"),
}


def uses_buddhist_era(language: str | None = None) -> bool:
    """Thai pages take and show the year in the Buddhist Era; English ones in the C.E."""
    return (language or get_language() or "th")[:2] == "th"


def typed_year(year: int) -> int:
    """A year as it is typed on this page: B.E. in Thai, C.E. in English."""
    return year + BE_OFFSET if uses_buddhist_era() else year


class DateBoxesWidget(forms.MultiWidget):
    template_name = "portal/widgets/date_boxes.html"
    is_date_boxes = True  # field.html renders it in a fieldset with a legend

    def __init__(self, mode="date", attrs=None):
        self.mode = mode
        self.error_part = None  # the box that shows the field's error (set by the form)
        widgets = {}
        for part in PARTS[mode]:
            if part == "month":
                widgets[part] = forms.Select(
                    attrs={"class": "date-month"}, choices=[("", "—"), *MONTHS.items()]
                )
            else:
                size = 4 if part == "year" else 2
                widgets[part] = forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "autocomplete": "off",
                        "class": f"date-{part}",
                        "size": size,
                        "maxlength": size,
                    }
                )
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if value in (None, ""):
            return [None] * len(PARTS[self.mode])
        if self.mode == "year":
            return [typed_year(int(value))]
        if isinstance(value, datetime.datetime):
            value = value.astimezone(BANGKOK) if value.tzinfo else value
        boxes = [value.day, value.month, typed_year(value.year)]
        if self.mode == "datetime":
            boxes += [f"{value.hour:02d}", f"{value.minute:02d}"]
        return boxes

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        if attrs.get("id") and "aria-describedby" not in {**self.attrs, **attrs}:
            attrs["aria-describedby"] = f"{attrs['id']}_hint"  # the field's hint, always shown
        context = super().get_context(name, value, attrs)
        for part, sub in zip(PARTS[self.mode], context["widget"]["subwidgets"], strict=True):
            if sub["attrs"].get("id"):  # id_start_day rather than id_start_0
                sub["attrs"]["id"] = f"{attrs['id']}_{part}"
            if part == "year":
                sub["label"] = _("Year (B.E.)") if uses_buddhist_era() else _("Year (C.E.)")
            else:
                sub["label"] = PART_LABELS[part]
            if self.error_part and part != self.error_part:
                sub["attrs"].pop("aria-invalid", None)
        context["widget"]["has_time"] = self.mode == "datetime"
        return context

    def id_for_label(self, id_):
        return f"{id_}_{PARTS[self.mode][0]}" if id_ else id_


class DateBoxesField(forms.MultiValueField):
    """Day / month / year (B.E. in Thai, C.E. in English), optionally hours:minutes in
    Bangkok, or the year alone. Refusals: a box left empty, a number that is not one, a day
    or month out of range, a date that does not exist (31/02), a year typed in the other era
    (a hint names the year meant), an implausible year (3113), a time that does not exist."""

    widget = DateBoxesWidget

    def __init__(
        self,
        *,
        mode="date",
        min_year=MIN_YEAR,
        max_year=MAX_YEAR,
        required_message=None,
        **kwargs,
    ):
        if mode not in PARTS:
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self.min_year = min_year
        self.max_year = max_year
        self.required_message = required_message
        fields = [forms.CharField(required=False) for _part in PARTS[mode]]
        kwargs.setdefault("widget", DateBoxesWidget(mode=mode))
        given = kwargs.pop("help_text", "")
        # The hint names the era of the page's language, so it is worked out when shown.
        kwargs["help_text"] = lazy(lambda: " ".join(filter(None, [str(given), self.hint()])), str)()
        super().__init__(fields, require_all_fields=False, **kwargs)

    @property
    def parts(self) -> tuple[str, ...]:
        return PARTS[self.mode]

    def hint(self):
        """What to type, with an example, in the language of the page."""
        year = typed_year(2027)  # the example's year, in the page's era
        if self.mode == "year":
            example = _("For example %(year)s.") % {"year": year}
        else:
            example = _(
                "For example %(day)s %(month)s %(year)s: the day, the month and the year."
            ) % {
                "day": 2,
                "month": MONTHS[8],
                "year": year,
            }
        if self.mode == "datetime":
            then = _("Then the time in Bangkok, 24-hour, for example 09:30.")
            example = f"{example} {then}"
        era = (
            _("The year in the Buddhist Era (พ.ศ.).")
            if uses_buddhist_era()
            else _("The year in the Common Era (C.E.).")
        )
        return f"{example} {era}"

    def refuse(self, part, message, code):
        error = ValidationError(message, code=code)
        error.part = part
        raise error

    def clean(self, value):
        boxes = list(value or []) + [""] * len(self.parts)
        typed = {  # Thai digits (๒๕๗๐) read as the same number
            part: str(boxes[i] or "").strip().translate(THAI_DIGITS)
            for i, part in enumerate(self.parts)
        }
        if not any(typed.values()):
            if self.required:
                message = self.required_message or (
                    _("Give the year.") if self.mode == "year" else _("Give the date.")
                )
                self.refuse(self.parts[0], message, "required")
            return None
        numbers = {}
        for part in self.parts:
            text = typed[part].lstrip("0") or ("0" if typed[part] else "")
            if not text:
                self.refuse(part, self.missing_message(part), "incomplete")
            if not text.isascii() or not text.isdigit():
                self.refuse(part, _("Type digits only, for example 9 or 09."), "invalid")
            numbers[part] = int(text)
        year = self.clean_year(numbers["year"])
        if self.mode == "year":
            return year
        if not 1 <= numbers["month"] <= 12:
            self.refuse("month", _("Choose the month."), "invalid")
        try:
            day = datetime.date(year, numbers["month"], numbers["day"])
        except ValueError:
            self.refuse(
                "day",
                _("This date does not exist: %(month)s has no day %(day)s.")
                % {"month": MONTHS[numbers["month"]], "day": numbers["day"]},
                "invalid_date",
            )
        if self.mode == "date":
            return day
        if not 0 <= numbers["hour"] <= 23:
            self.refuse("hour", _("The hour is from 0 to 23 (24-hour clock)."), "invalid")
        if not 0 <= numbers["minute"] <= 59:
            self.refuse("minute", _("The minutes are from 0 to 59."), "invalid")
        return datetime.datetime.combine(
            day, datetime.time(numbers["hour"], numbers["minute"]), tzinfo=BANGKOK
        )

    def missing_message(self, part):
        if part in ("hour", "minute"):
            return _("Give the time, hours and minutes, for example 09:30.")
        if self.mode == "year":
            return _("Give the year.")
        return _("Give the day, the month and the year.")

    def clean_year(self, typed: int) -> int:
        """The C.E. year meant by what was typed, or a refusal naming what to type."""
        buddhist = uses_buddhist_era()
        offset = BE_OFFSET if buddhist else 0
        low, high = self.min_year + offset, self.max_year + offset
        if low <= typed <= high:
            return typed - offset
        if buddhist and self.min_year <= typed <= self.max_year:
            self.refuse(
                "year",
                _("Type the year in the Buddhist Era: did you mean %(year)s?")
                % {"year": typed + BE_OFFSET},
                "other_era",
            )
        if not buddhist and self.min_year + BE_OFFSET <= typed <= self.max_year + BE_OFFSET:
            self.refuse(
                "year",
                _("Type the year in the Common Era: did you mean %(year)s?")
                % {"year": typed - BE_OFFSET},
                "other_era",
            )
        self.refuse(
            "year",
            _("%(typed)s is not a plausible year: give a year from %(low)s to %(high)s.")
            % {"typed": typed, "low": low, "high": high},
            "implausible",
        )

    def compress(self, data_list):  # clean() does the work; kept for MultiValueField
        return data_list


def error_part(form, name) -> str | None:
    """The box of a date field that shows its first error (None: not a date field)."""
    field = form.fields.get(name)
    if not isinstance(field, DateBoxesField):
        return None
    for error in form.errors.as_data().get(name, []):
        return getattr(error, "part", None) or field.parts[0]
    return None
