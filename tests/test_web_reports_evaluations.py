"""Progress reports and evaluations of agreements on the web, as people use them: the CSO
reports (and fixes what it typed), the officer returns it with a comment or accepts it; the
officer plans an external evaluation with a committee, the named evaluator records the result,
the CSO reads the findings; and every refusal: other organisations and agencies get a 404,
an officer cannot grade an external evaluation, bad input comes back with what was typed."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.evaluations import services as evaluation_services
from assessments.evaluations.models import Evaluation
from contracts.agreements.models import ProgressReport

from . import factories
from .factories import award

pytestmark = pytest.mark.django_db

BKK = datetime.timezone(datetime.timedelta(hours=7))
INDICATOR = "ผู้สูงอายุที่ได้รับการเยี่ยมบ้าน"  # the target every factory proposal sets


def at(y, m, d, hour=10):
    """A moment in Bangkok, for time travel."""
    return datetime.datetime(y, m, d, hour, tzinfo=BKK)


@pytest.fixture
def web(client):
    """``web(user)``: the test client signed in as ``user``, reading English."""

    def sign_in(user, lang="en"):
        client.logout()
        client.force_login(user)
        client.cookies["django_language"] = lang
        return client

    return sign_in


def officer_of(agreement):
    return agreement.proposal.call.created_by


def member_of(agreement):
    return agreement.cso.members.first()


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def report_url(agreement, seq=1):
    return reverse("report-detail", args=[agreement.pk, seq])


def evaluation_url(evaluation):
    return reverse("evaluation-detail", args=[evaluation.pk])


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
            {"indicator": INDICATOR, "target": "120 คน", "actual": "40 คน"}
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


# --- evaluations --------------------------------------------------------------------------


def plan_data(evaluators=(), committee=(), rows=4, **extra):
    data = {"action": "plan", "mode": "external", "rows": str(rows), "evaluators": list(evaluators)}
    for i, (name, organisation, side) in enumerate(committee):
        data.update({f"name_{i}": name, f"organisation_{i}": organisation, f"side_{i}": side})
    data.update(extra)
    return data


COMMITTEE = [
    ("ผศ.ดร. วิภา", "มหาวิทยาลัยเชียงใหม่", "professional"),
    ("นายสมชาย", "กรมกิจการผู้สูงอายุ", "agency"),
    ("นางสมศรี", "มูลนิธิเพื่อนผู้สูงวัย", "cso"),
]


def test_officer_adds_and_plans_an_external_evaluation_the_evaluator_records_it(web):
    agreement = award(instrument="commissioning")
    officer, member = officer_of(agreement), member_of(agreement)
    university = factories.EvaluatorFactory(username="cmu-evaluation")

    # The officer adds a periodic evaluation (commissioning is evaluated periodically).
    client = web(officer)
    add_url = reverse("evaluation-add", args=[agreement.pk])
    html = page(client.get(add_url))
    assert "Year (B.E.)" in html
    html = page(client.post(add_url, {"mode": "external", "due_day": "31", "due_month": "2"}))
    assert "Give the day, the month and the year." in html
    assert 'value="31"' in html, "what was typed is kept"
    response = client.post(
        add_url, {"mode": "external", "due_day": "30", "due_month": "6", "due_year": "2570"}
    )
    evaluation = Evaluation.objects.get(agreement=agreement, kind="periodic", mode="external")
    assert response.url == evaluation_url(evaluation)
    assert evaluation.due_on == datetime.date(2027, 6, 30)

    url = evaluation_url(evaluation)
    html = page(client.get(url))
    assert "30 June 2570 BE" in html
    assert "cmu-evaluation" in html, "evaluator accounts are offered as checkboxes"
    assert 'name="name_3"' in html and 'name="name_4"' not in html

    # More rows without JavaScript: what was typed stays, three empty rows are added.
    typed = plan_data([university.username], COMMITTEE[:1], add_rows="1")
    html = page(client.post(url, typed))
    assert 'name="name_6"' in html and "ผศ.ดร. วิภา" in html
    assert 'value="cmu-evaluation"' in html and "checked" in html
    assert "There is a problem" not in html
    assert Evaluation.objects.get(pk=evaluation.pk).committee == []

    # A member without a side: refused, pointing at the row, everything kept.
    incomplete = [*COMMITTEE[:2], ("นางสมศรี", "มูลนิธิเพื่อนผู้สูงวัย", "")]
    due = {"due_day": "15", "due_month": "7", "due_year": "2570"}
    html = page(client.post(url, plan_data([university.username], incomplete, rows=7, **due)))
    assert "Choose whom the member represents." in html
    assert "นางสมศรี" in html and 'name="name_6"' in html

    response = client.post(
        url,
        plan_data([university.username], COMMITTEE, rows=7, **due),
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    assert evaluation.mode == "external"
    assert list(evaluation.evaluators.all()) == [university]
    assert [m["type"] for m in evaluation.committee] == ["professional", "agency", "cso"]
    assert evaluation.due_on == datetime.date(2027, 7, 15)
    html = page(client.get(url))
    assert "Professional body" in html and "Civil society organisation" in html
    assert "มหาวิทยาลัยเชียงใหม่" in html

    # The agency does not grade an external evaluation.
    assert 'value="record"' not in html
    response = client.post(url, {"action": "record", "score": "90", "findings": "ดี"})
    assert response.status_code == 403

    # The evaluator finds it on the work page and records the result.
    client = web(university)
    home = page(client.get(reverse("evaluator-home")))
    assert "Agreement evaluations" in home
    assert agreement.number in home and agreement.cso.name_en in home
    assert url in home and "15 July 2570 BE" in home and "Periodic evaluation" in home
    html = page(client.get(url))
    assert 'value="record"' in html and 'value="plan"' not in html
    findings = "บริการต่อเนื่อง ควรเพิ่มผู้ดูแล"
    html = page(client.post(url, {"action": "record", "score": "101", "findings": findings}))
    assert "Give a score from 0 to 100." in html
    assert findings in html and 'value="101"' in html
    html = page(client.post(url, {"action": "record", "score": "80.125", "findings": ""}))
    assert "Give a score from 0 to 100." in html and "Write the findings" in html
    assert 'value="80.125"' in html
    assert Evaluation.objects.get(pk=evaluation.pk).status == "scheduled"
    response = client.post(
        url,
        {
            "action": "record",
            "score": "76.50",
            "findings": findings,
            "users_views": "ผู้รับบริการพึงพอใจร้อยละ 88",
        },
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    assert (evaluation.status, evaluation.score) == ("submitted", Decimal("76.50"))

    # The CSO reads the score, the findings and the users' views, and has no form.
    html = page(web(member).get(url))
    assert "76.50" in html and findings in html and "ผู้รับบริการพึงพอใจร้อยละ 88" in html
    assert 'name="action"' not in html


def test_evaluations_are_private_and_periodic_ones_are_for_commissioning(
    web, other_member, other_officer
):
    agreement = award(instrument="performance_contract")
    midterm = agreement.evaluations.get(kind="midterm")
    outsider_evaluator = factories.EvaluatorFactory()
    for outsider in (other_member, other_officer, outsider_evaluator):
        client = web(outsider)
        assert client.get(evaluation_url(midterm)).status_code == 404
        assert client.post(evaluation_url(midterm), {"action": "record"}).status_code == 404
    assert web(member_of(agreement)).get(reverse("evaluation-detail", args=[0])).status_code == 404

    # Only the agency's officers plan; the organisation and the evaluators do not.
    named = factories.EvaluatorFactory()
    evaluation_services.evaluation_plan(
        evaluation=midterm, officer=officer_of(agreement), evaluators=[named.username]
    )
    for user in (member_of(agreement), named):
        response = web(user).post(evaluation_url(midterm), plan_data([named.username]))
        assert response.status_code == 403
    assert Evaluation.objects.get(pk=midterm.pk).mode == "internal"

    # A performance contract has its mid-term and final evaluations, no periodic ones.
    add_url = reverse("evaluation-add", args=[agreement.pk])
    assert web(officer_of(agreement)).get(add_url).status_code == 404
    commissioning = award(instrument="commissioning")
    add_url = reverse("evaluation-add", args=[commissioning.pk])
    assert web(member_of(commissioning)).get(add_url).status_code == 403
    assert web(other_officer).get(add_url).status_code == 404

    # Internal: the agency's officer records it; no date field for a mid-term evaluation.
    client = web(officer_of(agreement))
    html = page(client.get(evaluation_url(midterm)))
    assert 'value="record"' in html and 'value="plan"' in html
    assert 'name="due_day"' not in html
    assert "2 July 2570 BE" in html
    with time_machine.travel(at(2027, 7, 10)):
        client = web(officer_of(agreement))  # a session started in 2027
        assert "Overdue" in page(client.get(evaluation_url(midterm)))
        response = client.post(
            evaluation_url(midterm), {"action": "record", "score": "82.5", "findings": "ตามแผน"}
        )
    assert response.status_code == 302
    html = page(web(officer_of(agreement)).get(evaluation_url(midterm)))
    assert "82.50" in html and 'value="plan"' not in html and "Overdue" not in html


def _named_evaluations(agreement, evaluator, n):
    officer = officer_of(agreement)
    for i in range(n):
        evaluation = evaluation_services.evaluation_add(
            agreement=agreement,
            officer=officer,
            due_on=datetime.date(2027, 3 + i, 1),
            mode="external",
        )
        evaluation_services.evaluation_plan(
            evaluation=evaluation, officer=officer, evaluators=[evaluator.username]
        )


def test_evaluator_page_costs_the_same_queries_whatever_its_size(web):
    evaluator = factories.EvaluatorFactory()
    first = award(instrument="commissioning")
    _named_evaluations(first, evaluator, 1)
    client = web(evaluator)
    client.get(reverse("evaluator-home"))  # warm the session
    with CaptureQueriesContext(connection) as small:
        html = page(client.get(reverse("evaluator-home")))
    assert html.count("Record the result") == 1

    _named_evaluations(first, evaluator, 2)
    _named_evaluations(award(instrument="commissioning"), evaluator, 2)
    with CaptureQueriesContext(connection) as large:
        html = page(client.get(reverse("evaluator-home")))
    assert html.count("Record the result") == 5
    assert len(large) == len(small) <= 9
