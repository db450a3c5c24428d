"""Progress reports of agreements on the web: the CSO reports (and fixes what it typed), the
officer returns it with a comment or accepts it; other organisations and agencies get a 404."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from contracts.agreements.models import ProgressReport
from tests.factories import award
from tests.helpers import at, member_of, officer_of

pytestmark = pytest.mark.django_db
INDICATOR = "ผู้สูงอายุที่ได้รับการเยี่ยมบ้าน"  # the target every factory proposal sets


@pytest.fixture
def web(client):
    """``web(user)``: the test client signed in as ``user``, reading English."""

    def sign_in(user, lang="en"):
        client.logout()
        client.force_login(user)
        client.cookies["django_language"] = lang
        return client

    return sign_in


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def report_url(agreement, seq=1):
    return reverse("report-detail", args=[agreement.pk, seq])


def report_data(narrative="เยี่ยมบ้านผู้สูงอายุ 40 ราย", actual="40 คน", spent="50,000.00"):
    return {
        "action": "submit",
        "narrative": narrative,
        "actual_0": actual,
        "spent_to_date": spent,
    }


# --- progress reports ---------------------------------------------------------------------


def test_cso_reports_officer_returns_cso_resubmits_officer_accepts(web):
    agreement = award()
    member, officer = member_of(agreement), officer_of(agreement)
    url = report_url(agreement)

    with time_machine.travel(at(2027, 4, 10)):
        thai = page(web(member, lang="th").get(url))
        assert "1 เมษายน พ.ศ. 2570" in thai, "the due date in the Buddhist Era, in Thai"

        client = web(member)
        html = page(client.get(url))
        assert "1 April 2570 BE" in html
        assert "Overdue" in html and "tag-overdue" in html
        assert INDICATOR in html and "120 คน" in html, "the agreement's targets"
        assert 'name="actual_0"' in html and 'name="spent_to_date"' in html
        # Only what the evaluation needs: no other inputs.
        assert html.count("<textarea") == 1

        # No narrative: refused, with the rest of what was typed kept.
        html = page(client.post(url, report_data(narrative="")))
        assert "There is a problem" in html
        assert "Say what was done in this period." in html
        assert 'value="40 คน"' in html and 'value="50,000.00"' in html
        assert 'aria-invalid="true"' in html

        # A negative or a non-numeric amount spent: refused, the narrative kept.
        for spent in ("-5", "ห้าหมื่น", "12.345"):
            html = page(client.post(url, report_data(spent=spent)))
            assert "Give the amount spent so far in baht" in html, spent
            assert "เยี่ยมบ้านผู้สูงอายุ 40 ราย" in html
            assert f'value="{spent}"' in html
        # A target left without its result, and every problem listed at once.
        html = page(client.post(url, report_data(narrative="", actual="", spent="abc")))
        assert "Give the result for this indicator" in html
        assert "Say what was done in this period." in html
        assert "Give the amount spent so far in baht" in html
        assert 'id="id_actual_0_error"' in html and 'value="abc"' in html
        assert ProgressReport.objects.get(agreement=agreement, seq=1).status == "due"

        response = client.post(url, report_data())
        assert response.status_code == 302
        report = ProgressReport.objects.get(agreement=agreement, seq=1)
        assert report.status == "submitted"
        assert report.spent_to_date == Decimal("50000.00")
        assert report.indicators == [
            {"indicator": INDICATOR, "target": "120 คน", "actual": "40 คน", "note": ""}
        ]
        html = page(client.get(url))
        assert "Your report was sent to the agency." in html
        assert 'value="submit"' not in html, "a sent report waits for the agency"
        assert "Overdue" not in html

        # The officer returns it; a comment is required.
        client = web(officer)
        html = page(client.get(url))
        assert "เยี่ยมบ้านผู้สูงอายุ 40 ราย" in html and "50,000.00 baht" in html
        assert 'value="accept"' in html and 'value="return"' in html
        html = page(client.post(url, {"action": "return", "return-comment": "  "}))
        assert "Say what the organisation should change." in html
        assert ProgressReport.objects.get(pk=report.pk).status == "submitted"
        response = client.post(url, {"action": "return", "return-comment": "แนบภาพกิจกรรม"})
        assert response.status_code == 302
        assert ProgressReport.objects.get(pk=report.pk).status == "returned"

        # The CSO reads the comment, finds its answers kept, and sends the report again.
        client = web(member)
        html = page(client.get(url))
        assert "The agency returned this report" in html and "แนบภาพกิจกรรม" in html
        assert "เยี่ยมบ้านผู้สูงอายุ 40 ราย" in html and 'value="50000.00"' in html
        assert 'value="40 คน"' in html
        data = report_data(narrative="เยี่ยมบ้าน 40 ราย พร้อมภาพกิจกรรม", spent="52000")
        assert client.post(url, data).status_code == 302
        report = ProgressReport.objects.get(pk=report.pk)
        assert (report.status, report.spent_to_date) == ("submitted", Decimal("52000.00"))

        # The officer accepts, with an optional comment the CSO reads.
        client = web(officer)
        assert client.post(url, {"action": "accept", "accept-comment": ""}).status_code == 302
        assert ProgressReport.objects.get(pk=report.pk).status == "accepted"
        html = page(web(member).get(url))
        assert "Accepted" in html
        assert 'name="action"' not in html, "an accepted report is read-only"
        assert "พร้อมภาพกิจกรรม" in html


def test_reports_are_private_to_the_cso_and_the_agency(web, other_member, other_officer):
    agreement = award()
    url = report_url(agreement)
    for outsider in (other_member, other_officer):
        client = web(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, report_data()).status_code == 404
    assert web(member_of(agreement)).get(report_url(agreement, 99)).status_code == 404
    # Each side only does its own part.
    assert web(officer_of(agreement)).post(url, report_data()).status_code == 403
    response = web(member_of(agreement)).post(url, {"action": "accept"})
    assert response.status_code == 403
    assert ProgressReport.objects.get(agreement=agreement, seq=1).status == "due"


def test_no_report_before_the_offer_is_signed(web):
    agreement = award(sign=False)
    client = web(member_of(agreement))
    html = page(client.get(report_url(agreement)))
    assert 'value="submit"' not in html
    response = client.post(report_url(agreement), report_data(), follow=True)
    assert "Reports are sent while the agreement runs." in page(response)
    assert ProgressReport.objects.get(agreement=agreement, seq=1).status == "due"
