"""The one date field: day, month by name and year (พ.ศ. on Thai pages, C.E. on English ones),
hours:minutes in Bangkok, or the year alone; every refusal on the box that shows it, and
what was typed kept."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.utils import translation

from portal.date_fields import DateBoxesField
from portal.forms import PortalForm

BANGKOK = ZoneInfo("Asia/Bangkok")


class DatesForm(PortalForm):
    start = DateBoxesField(label="Start date")
    opens_at = DateBoxesField(label="Opens at", mode="datetime", required=False)
    founded = DateBoxesField(label="Founded", mode="year", min_year=1800, required=False)
    optional = DateBoxesField(label="Optional", required=False)


def boxes(name, day="", month="", year="", hour=None, minute=None) -> dict:
    data = {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}
    if hour is not None:
        data.update({f"{name}_hour": hour, f"{name}_minute": minute})
    return data


def submit(language, **data):
    with translation.override(language):
        form = DatesForm(
            {**boxes("start", "2", "8", "2570" if language == "th" else "2027"), **data}
        )
        form.is_valid()
        html = str(form["start"]) + str(form["opens_at"]) + str(form["founded"])
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
        parts = {name: form.fields[name].widget.error_part for name in form.errors}
        return form, errors, parts, html


# --- what it takes ------------------------------------------------------------------------


def test_thai_page_takes_the_buddhist_era_year():
    form, errors, _parts, _html = submit(
        "th", **boxes("opens_at", "1", "9", "2570", "9", "30"), founded_year="2558"
    )
    assert errors == {}
    assert form.cleaned_data["start"] == datetime.date(2027, 8, 2)
    assert form.cleaned_data["opens_at"] == datetime.datetime(2027, 9, 1, 9, 30, tzinfo=BANGKOK)
    assert form.cleaned_data["founded"] == 2015
    assert form.cleaned_data["optional"] is None


def test_english_page_takes_the_common_era_year():
    form, errors, _parts, _html = submit(
        "en", **boxes("opens_at", "1", "9", "2027", "23", "05"), founded_year="2015"
    )
    assert errors == {}
    assert form.cleaned_data["start"] == datetime.date(2027, 8, 2)
    assert form.cleaned_data["opens_at"] == datetime.datetime(2027, 9, 1, 23, 5, tzinfo=BANGKOK)
    assert form.cleaned_data["founded"] == 2015


def test_thai_digits_are_read():
    form, errors, _parts, _html = submit("th", **boxes("start", "๒", "8", "๒๕๗๐"))
    assert errors == {} and form.cleaned_data["start"] == datetime.date(2027, 8, 2)


# --- how it is shown ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language,month,year_label,year",
    [("th", "สิงหาคม", "ปี (พ.ศ.)", "2570"), ("en", "August", "Year (C.E.)", "2027")],
)
def test_shown_with_month_names_and_the_pages_era(language, month, year_label, year):
    moment = datetime.datetime(2027, 8, 2, 2, 30, tzinfo=datetime.UTC)  # 09:30 in Bangkok
    with translation.override(language):
        form = DatesForm(initial={"start": datetime.date(2027, 8, 2), "opens_at": moment})
        html = str(form["start"]) + str(form["opens_at"])
        hint = str(form.fields["start"].help_text)
    assert f'<option value="8" selected>{month}</option>' in html
    assert f'name="start_year" value="{year}"' in html and year_label in html
    assert 'name="opens_at_hour" value="09"' in html  # Bangkok time, 24-hour
    assert 'name="opens_at_minute" value="30"' in html
    assert 'type="date' not in html and "AM" not in html and "PM" not in html
    assert 'inputmode="numeric"' in html
    assert '<label for="id_start_day">' in html and 'id="id_start_day"' in html
    assert 'aria-describedby="id_start_hint"' in html
    assert year in hint


def test_a_year_only_field_has_one_box():
    with translation.override("th"):
        html = str(DatesForm(initial={"founded": 2015})["founded"])
    assert 'name="founded_year" value="2558"' in html
    assert "founded_day" not in html and "founded_month" not in html


# --- every refusal, on its box, with what was typed kept ------------------------------------


@pytest.mark.parametrize(
    "language,data,field,part,message",
    [
        ("th", boxes("start"), "start", "day", "โปรดระบุวันที่"),
        ("en", boxes("start"), "start", "day", "Give the date."),
        ("en", boxes("start", "2", "", "2027"), "start", "month", "Give the day, the month"),
        ("en", boxes("start", "", "8", "2027"), "start", "day", "Give the day, the month"),
        ("en", boxes("start", "2", "8", ""), "start", "year", "Give the day, the month"),
        ("en", boxes("start", "2x", "8", "2027"), "start", "day", "Type digits only"),
        ("en", boxes("start", "2", "13", "2027"), "start", "month", "Choose the month."),
        ("en", boxes("start", "31", "2", "2027"), "start", "day", "February has no day 31."),
        ("th", boxes("start", "31", "2", "2570"), "start", "day", "กุมภาพันธ์ไม่มีวันที่ 31"),
        ("en", boxes("start", "29", "2", "2027"), "start", "day", "February has no day 29."),
        ("en", boxes("start", "2", "8", "2570"), "start", "year", "did you mean 2027?"),
        ("th", boxes("start", "2", "8", "2027"), "start", "year", "ท่านหมายถึง 2570 ใช่หรือไม่"),
        ("en", boxes("start", "2", "8", "3113"), "start", "year", "3113 is not a plausible year"),
        ("th", boxes("start", "2", "8", "3113"), "start", "year", "ปี 3113 ไม่น่าจะถูกต้อง"),
        ("en", boxes("start", "2", "8", "27"), "start", "year", "27 is not a plausible year"),
        ("en", boxes("opens_at", "1", "9", "2027", "", ""), "opens_at", "hour", "Give the time"),
        ("en", boxes("opens_at", "1", "9", "2027", "9", ""), "opens_at", "minute", "Give the time"),
        ("en", boxes("opens_at", "1", "9", "2027", "24", "00"), "opens_at", "hour", "0 to 23"),
        ("en", boxes("opens_at", "1", "9", "2027", "9", "60"), "opens_at", "minute", "0 to 59"),
        ("en", {"founded_year": "2558"}, "founded", "year", "did you mean 2015?"),
        ("th", {"founded_year": "2015"}, "founded", "year", "ท่านหมายถึง 2558 ใช่หรือไม่"),
        ("th", {"founded_year": "1500"}, "founded", "year", "ระหว่าง 2343 ถึง 2743"),
    ],
)
def test_refusals(language, data, field, part, message):
    form, errors, parts, html = submit(language, **data)
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert parts[field] == part
    # Only the box in error is marked invalid; the others keep their value.
    assert f'id="id_{field}_{part}" aria-invalid="true"' in html.replace(
        f'aria-invalid="true" id="id_{field}_{part}"', f'id="id_{field}_{part}" aria-invalid="true"'
    )
    assert html.count('aria-invalid="true"') == 1
    for name, typed in data.items():
        if typed and not name.endswith("_month"):
            assert f'name="{name}" value="{typed}"' in html


def test_the_form_renders_a_fieldset_with_legend_hint_and_error():
    from django.template.loader import render_to_string

    with translation.override("th"):
        form = DatesForm(boxes("start", "31", "2", "2570"))
        form.is_valid()
        html = render_to_string("includes/field.html", {"field": form["start"]})
        summary = render_to_string("includes/error_summary.html", {"form": form})
    assert '<fieldset class="field date-field field-error" id="id_start">' in html
    assert "<legend>Start date" in html
    assert 'id="id_start_hint"' in html and 'id="id_start_error"' in html
    assert 'aria-describedby="id_start_hint id_start_error"' in html
    assert 'href="#id_start_day"' in summary


def test_bad_mode_is_a_mistake_in_the_code():
    with pytest.raises(ValueError):
        DateBoxesField(label="x", mode="week")
    assert isinstance(DateBoxesField(label="x").widget, forms.MultiWidget)
