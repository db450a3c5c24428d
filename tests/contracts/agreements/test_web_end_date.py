"""The pages after an end notice given on the agreement's page: the agreement shows the moved
dates and each cancelled report and evaluation with its reason, the cancelled report's and
evaluation's own pages say so and offer nothing to do, a moved report's history shows its
dates in B.E.; in Thai too, without an ISO date."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from tests import factories
from tests.helpers import at, member_of, officer_of, page, text

pytestmark = pytest.mark.django_db

REASON = "ปรับแผนงบประมาณ"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def ended():
    """A 2027–2029 partnership whose officer gave notice on the page, on 30 Nov 2027 (2570
    BE), that it ends on 29 Feb 2028 (2571 BE)."""
    agreement = factories.award(
        instrument="commissioning",
        terms={"end_date": datetime.date(2029, 12, 31), "shares": ["40", "30", "30"]},
    )
    from django.test import Client

    client = Client()
    with time_machine.travel(at(2027, 11, 30)):
        client.force_login(officer_of(agreement))  # a session of that day
        response = client.post(
            reverse("agreement-detail", args=[agreement.pk]),
            {
                "action": "end_notice",
                "end_notice-end_day": "29",
                "end_notice-end_month": "2",
                "end_notice-end_year": "2571",
                "end_notice-reason": REASON,
            },
        )
    assert response.status_code == 302
    return agreement


def row_of(body, caption_id, first_cell):
    """The table row of a section whose first cell is ``first_cell``, as text."""
    section = body.split(f'id="{caption_id}"', 1)[1].split("</section>", 1)[0]
    for row in re.findall(r"<tr>(.*?)</tr>", section, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        if cells and re.sub(r"<[^>]+>", "", cells[0]).strip() == first_cell:
            return " ".join(re.sub(r"<[^>]+>", " ", row).split())
    raise AssertionError(f"no row {first_cell!r} in {caption_id}")


def test_the_agreement_page_shows_the_cancelled_items_with_their_reason(english, ended):
    with time_machine.travel(at(2027, 12, 1)):
        english.force_login(member_of(ended))
        body = page(english.get(reverse("agreement-detail", args=[ended.pk])))
    moved = row_of(body, "reports-title", "5")
    assert "29 February 2571 BE" in moved and "Cancelled" not in moved
    cancelled = row_of(body, "reports-title", "6")
    assert "1 July 2571 BE" in cancelled  # its own date, kept
    assert "Cancelled on 30 November 2570 BE, when the end of the agreement was brought " in (
        cancelled
    )
    assert f"Reason: {REASON}" in cancelled
    assert "Overdue" not in cancelled
    periodic = [
        " ".join(re.sub(r"<[^>]+>", " ", r).split())
        for r in re.findall(r"<tr>(.*?)</tr>", body.split('id="evaluations-title"')[1], re.S)
        if "Periodic evaluation" in r
    ]
    assert any("1 January 2572 BE" in r and f"Reason: {REASON}" in r for r in periodic)
    assert "31 March 2573 BE" not in body  # the post-completion evaluation moved ...
    assert "29 May 2571 BE" in row_of(body, "evaluations-title", "Post-completion evaluation")
    assert "29 February 2571 BE" in row_of(body, "money-title", "3")  # ... and tranche 3


def test_a_cancelled_report_says_why_and_offers_no_form(english, ended):
    with time_machine.travel(at(2027, 12, 1)):
        english.force_login(member_of(ended))
        response = english.get(reverse("report-detail", args=[ended.pk, 6]))
    body = text(response)
    assert "This report was cancelled" in body and f"Reason: {REASON}" in body
    assert "Send the report" not in body and 'name="action"' not in page(response)
    assert "Cancelled" in body  # the history: from Due to Cancelled, by the officer


def test_a_moved_reports_history_shows_both_dates_in_buddhist_era(english, ended):
    english.force_login(officer_of(ended))
    body = text(english.get(reverse("report-detail", args=[ended.pk, 5])))
    assert "Rescheduled" in body
    assert "1 April 2571 BE 29 February 2571 BE" in body  # from, to
    assert REASON in body


def test_a_cancelled_evaluation_says_why_and_cannot_be_planned(english, ended):
    evaluation = ended.evaluations.get(status="cancelled")
    english.force_login(officer_of(ended))
    response = english.get(reverse("evaluation-detail", args=[evaluation.pk]))
    body = text(response)
    assert "This evaluation was cancelled" in body and f"Reason: {REASON}" in body
    assert "Plan the evaluation" not in body and "Record the result" not in body


def test_in_thai_the_cancelled_items_read_in_thai_with_buddhist_dates(client, ended):
    client.force_login(member_of(ended))
    body = text(client.get(reverse("agreement-detail", args=[ended.pk])))
    assert "ยกเลิกเมื่อ 30 พฤศจิกายน พ.ศ. 2570" in body
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", body)
    body = text(client.get(reverse("report-detail", args=[ended.pk, 5])))
    assert "1 เมษายน พ.ศ. 2571" in body and not re.search(r"\b20\d\d-\d\d-\d\d\b", body)


def test_a_periodic_evaluation_after_the_end_is_refused_on_the_date(english, ended):
    english.force_login(officer_of(ended))
    add_url = reverse("evaluation-add", args=[ended.pk])
    response = english.post(
        add_url, {"mode": "internal", "due_day": "1", "due_month": "6", "due_year": "2028"}
    )
    assert response.status_code == 200
    body = page(response)
    assert re.search(
        r'id="id_due_error">The agreement ends on 29 February 2571 BE; this evaluation '
        r"must fall due by 29 February 2571 BE\.",
        body,
    )
    assert ended.evaluations.filter(kind="periodic").count() == 2  # nothing added
