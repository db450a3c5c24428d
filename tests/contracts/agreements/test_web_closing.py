"""Spending, completion and settlement on the web: the report page flags spending beyond what
was paid and shows why spending went down; the agreement's page says what still stands in the
way of completing or settling (each missing report, evaluation and payment, dates in B.E.)
instead of offering a button that would be refused, and shows what was spent beyond what was
paid in the settlement."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement, ProgressReport
from tests.factories import award, send_reports
from tests.helpers import at, fresh, member_of, officer_of, page, text

pytestmark = pytest.mark.django_db
END = datetime.date(2027, 12, 31)


@pytest.fixture
def web(client):
    """``web(user, lang="en")``: the test client signed in as ``user``."""

    def sign_in(user, lang="en"):
        client.logout()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        return client

    return sign_in


def detail_url(agreement):
    return reverse("agreement-detail", args=[agreement.pk])


def confirm_url(agreement, action):
    """The page that asks to confirm the action (the detail page links to it when allowed)."""
    return reverse("agreement-action", args=[agreement.pk, action])


def report_url(agreement, seq):
    return reverse("report-detail", args=[agreement.pk, seq])


def pay_first(agreement, finance):
    tranche = agreement.tranches.get(seq=1)
    agreement_services.tranche_release(tranche=tranche, officer=officer_of(agreement))
    agreement_services.tranche_pay(
        tranche=tranche, user=finance, payment_reference="GFMIS-1", paid_on=timezone.localdate()
    )


def report_form(spent, explanation=None):
    data = {
        "action": "submit",
        "narrative": "เยี่ยมบ้านผู้สูงอายุ",
        "actual_0": "40 คน",
        "spent_to_date": spent,
    }
    if explanation is not None:
        data["spending_explanation"] = explanation
    return data


# --- spending on the report page and the agreement's page -------------------------------------


def test_spending_beyond_what_was_paid_is_flagged_to_the_officer(web, finance):
    agreement = award(terms={"shares": ["60", "40"]})
    pay_first(agreement, finance)  # 114,012.00 paid
    client = web(member_of(agreement))
    response = client.post(report_url(agreement, 1), report_form("150,000.00"))
    assert response.status_code == 302

    flag = (
        "Spent more than was paid: spent 150,000.00 of 114,012.00 paid when the report was "
        "sent (35,988.00 baht more)."
    )
    client = web(officer_of(agreement))
    assert flag in text(client.get(report_url(agreement, 1)))
    body = text(client.get(detail_url(agreement)))
    assert "Spent to date (baht)" in body and "150,000.00 More than paid" in body
    assert flag in body
    assert "ใช้จ่าย 150,000.00 บาท จากเงินที่ได้รับโอน 114,012.00 บาท" in text(
        web(officer_of(agreement), lang="th").get(report_url(agreement, 1))
    )


def test_spending_above_the_amount_is_refused_on_the_form(web):
    agreement = award()
    client = web(member_of(agreement))
    html = page(client.post(report_url(agreement, 1), report_form("190,020.01")))
    assert "There is a problem" in html
    assert "The amount spent cannot be more than the agreement&#x27;s amount" in html
    assert 'id="id_spent_to_date_error"' in html and 'value="190,020.01"' in html
    assert ProgressReport.objects.get(agreement=agreement, seq=1).status == "due"


def test_lower_spending_asks_for_an_explanation_the_officer_reads(web):
    agreement = award()
    client = web(member_of(agreement))
    assert 'name="spending_explanation"' not in page(client.get(report_url(agreement, 1)))
    assert client.post(report_url(agreement, 1), report_form("100000")).status_code == 302

    html = page(client.get(report_url(agreement, 2)))
    assert 'name="spending_explanation"' in html
    assert (
        "Needed only if the amount is lower than the 100,000.00 baht of progress report 1." in html
    )
    html = page(client.post(report_url(agreement, 2), report_form("90000", "")))
    assert "There is a problem" in html
    assert 'id="id_spending_explanation_error"' in html
    assert "explain why spending to date is now lower (90,000.00 baht)" in html
    assert 'aria-invalid="true"' in html
    assert ProgressReport.objects.get(agreement=agreement, seq=2).status == "due"

    response = client.post(report_url(agreement, 2), report_form("90000", "คืนเงินค่าวัสดุที่ซื้อซ้ำ"))
    assert response.status_code == 302
    body = text(web(officer_of(agreement)).get(report_url(agreement, 2)))
    assert "Why spending to date is lower than in the previous report คืนเงินค่าวัสดุที่ซื้อซ้ำ" in body


# --- completion ---------------------------------------------------------------------------------


def test_the_page_says_why_delivery_cannot_be_completed_yet(web):
    agreement = award()
    with time_machine.travel(at(2027, 7, 2)):
        client = web(officer_of(agreement))
        html = page(client.get(detail_url(agreement)))
        body = text(client.get(detail_url(agreement)))
        assert "Record delivery as complete Delivery cannot be recorded as complete yet:" in body
        assert "Progress report 1, due 1 April 2570 BE, has not been sent." in body
        assert "Progress report 2, due 1 July 2570 BE, has not been sent." in body
        assert confirm_url(agreement, "complete") not in html  # no button that would be refused

        thai = text(web(officer_of(agreement), lang="th").get(detail_url(agreement)))
        assert "รายงานความก้าวหน้าฉบับที่ 2 กำหนดส่ง 1 กรกฎาคม พ.ศ. 2570 ยังไม่ได้ส่ง" in thai

        # Posting anyway: the service refuses with the same list.
        client = web(officer_of(agreement))
        response = client.post(detail_url(agreement), {"action": "complete"}, follow=True)
        assert "Progress report 2, due 1 July 2570 BE, has not been sent." in text(response)
        assert fresh(agreement).status == Agreement.Status.ACTIVE

        assert "cannot be recorded as complete" not in text(
            web(member_of(agreement)).get(detail_url(agreement))
        )

        send_reports(agreement, due_before=timezone.localdate())
        client = web(officer_of(agreement))
        assert confirm_url(agreement, "complete") in page(client.get(detail_url(agreement)))
        assert client.post(detail_url(agreement), {"action": "complete"}).status_code == 302
    assert fresh(agreement).status == Agreement.Status.COMPLETED


# --- settlement --------------------------------------------------------------------------------


def test_the_page_lists_what_is_missing_before_settling(web, finance):
    agreement = award()
    pay_first(agreement, finance)
    with time_machine.travel(at(2027, 12, 31)):
        send_reports(agreement, due_before=END)
        agreement_services.agreement_complete(agreement=agreement, officer=officer_of(agreement))
    with time_machine.travel(at(2028, 1, 10)):
        client = web(officer_of(agreement))
        html = page(client.get(detail_url(agreement)))
        body = text(client.get(detail_url(agreement)))
        assert "Settle and close The agreement cannot be settled yet. Still missing:" in body
        for missing in (
            "The organisation has not stated its settlement yet.",
            "Progress report 1, due 1 April 2570 BE, is not accepted (it is “Submitted”).",
            "Progress report 4, due 31 December 2570 BE, is not accepted (it is “Due”).",
        ):
            assert missing in body
        assert confirm_url(agreement, "settle") not in html
        response = client.post(detail_url(agreement), {"action": "settle"}, follow=True)
        assert "The organisation has not stated its settlement yet." in text(response)
        assert fresh(agreement).status == Agreement.Status.COMPLETED


def test_the_settlement_shows_what_was_spent_beyond_what_was_paid(web, finance):
    agreement = award(terms={"shares": ["60", "40"]})
    pay_first(agreement, finance)  # 114,012.00 of 190,020.00
    with time_machine.travel(at(2028, 1, 15)):
        client = web(member_of(agreement))
        response = client.post(
            detail_url(agreement), {"action": "settlement", "settlement-spent_total": "200,000.00"}
        )
        assert response.status_code == 302
        body = text(client.get(detail_url(agreement)))
    assert "Disbursed 114,012.00 baht" in body
    assert "Spent 200,000.00 baht" in body
    assert "Refund due 0.00 baht" in body
    assert (
        "Spent beyond what was paid 85,988.00 baht (not covered by the agreement's payments: "
        "borne by the organisation itself)"
    ) in body.replace("&#x27;", "'")


def test_no_uncovered_line_when_spending_stayed_within_what_was_paid(web, finance):
    agreement = award()
    pay_first(agreement, finance)
    with time_machine.travel(at(2028, 1, 15)):
        agreement_services.settlement_submit(
            agreement=agreement, user=member_of(agreement), spent_total="180000.00"
        )
        body = text(web(officer_of(agreement)).get(detail_url(agreement)))
    assert "Refund due 10,020.00 baht" in body
    assert "Spent beyond what was paid" not in body


def test_what_is_missing_costs_no_query_per_report_or_tranche(web, finance):
    """The page lists missing reports and flags spending from the prefetched rows."""
    small = award(terms={"report_every_months": 6, "shares": ["50", "50"]})
    large = award(terms={"report_every_months": 1, "shares": ["10"] * 10})
    counts = []
    for agreement in (small, large):
        pay_first(agreement, finance)  # half or a tenth: the report spends more
        with time_machine.travel(at(2027, 12, 31, 9)):
            first = agreement.reports.get(seq=1)
            agreement_services.report_submit(
                report=first,
                user=member_of(agreement),
                narrative="ครึ่งปีแรก",
                indicators=[],
                spent_to_date="190020.00",
            )
        with time_machine.travel(at(2028, 1, 2)):
            client = web(officer_of(agreement))
            client.get(detail_url(agreement))  # the session and the roles, once
            with CaptureQueriesContext(connection) as queries:
                body = text(client.get(detail_url(agreement)))
        assert "More than paid" in body
        assert "cannot be recorded as complete yet" in body
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
