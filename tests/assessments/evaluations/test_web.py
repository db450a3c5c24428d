"""Evaluations of agreements on the web, as people use them: the officer plans an external
evaluation with a committee, the named evaluator records the result, the CSO reads the
findings; and every refusal: other organisations and agencies get a 404, an officer cannot
grade an external evaluation, bad input comes back with what was typed."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.evaluations import services as evaluation_services
from assessments.evaluations.models import Evaluation
from tests import factories
from tests.factories import award
from tests.helpers import at, member_of, officer_of

pytestmark = pytest.mark.django_db


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


def evaluation_url(evaluation):
    return reverse("evaluation-detail", args=[evaluation.pk])


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
    assert "Year (C.E.)" in html  # the English page takes the C.E. year
    html = page(client.post(add_url, {"mode": "external", "due_day": "31", "due_month": "2"}))
    assert "Give the day, the month and the year." in html
    assert 'value="31"' in html, "what was typed is kept"
    response = client.post(
        add_url, {"mode": "external", "due_day": "30", "due_month": "6", "due_year": "2027"}
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
    due = {"due_day": "15", "due_month": "7", "due_year": "2027"}
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
