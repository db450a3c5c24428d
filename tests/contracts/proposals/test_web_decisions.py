"""The officers' decisions on proposals on the web: shortlist, schedule the presentation,
select or reject, once the call has closed; and who may decide."""

import zoneinfo
from datetime import datetime

import pytest
from django.urls import reverse

from contracts.calls.models import Call
from contracts.proposals.models import Proposal
from tests import factories
from tests.factories.assessments import make_call
from tests.helpers import BKK, date_boxes

pytestmark = pytest.mark.django_db


@pytest.fixture
def web(client):
    """``web(user)``: the test client signed in as ``user``, reading English."""

    def sign_in(user):
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return sign_in


def decide_url(proposal):
    return reverse("proposal-decide", args=[proposal.pk])


def decision_link(proposal, action):
    """The link to the page that asks to confirm selecting or not selecting."""
    return f'href="{reverse("proposal-decision", args=[proposal.pk, action])}"'


# --- decisions ----------------------------------------------------------------------------


def test_performance_contract_shortlist_schedule_present_select_then_awarded(web, officer):
    call, [chosen, other] = make_call(officer, n=2, instrument="performance_contract")
    client = web(officer)

    page = client.get(decide_url(chosen)).content.decode()
    assert 'value="shortlist"' in page and decision_link(chosen, "reject") in page
    assert decision_link(chosen, "select") not in page, "only a presented CSO can be selected"

    # Selecting before the presentation is refused by the service, as a message.
    response = client.post(decide_url(chosen), {"action": "select"}, follow=True)
    assert "only a CSO that has presented can be selected" in response.content.decode()
    chosen.refresh_from_db()
    assert chosen.status == Proposal.Status.SUBMITTED

    assert client.post(decide_url(chosen), {"action": "shortlist"}).status_code == 302
    chosen.refresh_from_db()
    assert chosen.status == Proposal.Status.SHORTLISTED

    response = client.post(
        decide_url(chosen),
        {
            "action": "schedule",
            **date_boxes("schedule-at", datetime(2020, 1, 1, 10, 0, tzinfo=BKK), language="en"),
            "schedule-location": "ห้องประชุม 2 ศาลากลาง",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a time in the future." in page and 'href="#id_schedule-at_day"' in page
    assert 'value="ห้องประชุม 2 ศาลากลาง"' in page and 'name="schedule-at_year" value="2020"' in page

    response = client.post(
        decide_url(chosen),
        {
            "action": "schedule",
            **date_boxes("schedule-at", datetime(2030, 5, 1, 10, 0, tzinfo=BKK), language="en"),
            "schedule-location": "https://meet.example.org/vision",
        },
    )
    assert response.status_code == 302
    chosen.refresh_from_db()
    bangkok = zoneinfo.ZoneInfo("Asia/Bangkok")
    assert chosen.presentation_at == datetime(2030, 5, 1, 10, 0, tzinfo=bangkok)
    page = client.get(decide_url(chosen)).content.decode()
    assert "2573" in page, "the presentation date is shown in B.E."
    # The time can be moved: its boxes show it as typed, in Bangkok time.
    for box, typed in (("day", "1"), ("year", "2030"), ("hour", "10"), ("minute", "00")):
        assert f'name="schedule-at_{box}" value="{typed}"' in page
    assert '<option value="5" selected>May</option>' in page
    assert 'value="mark_presented"' in page

    assert client.post(decide_url(chosen), {"action": "mark_presented"}).status_code == 302
    assert client.post(decide_url(chosen), {"action": "select"}).status_code == 302
    chosen.refresh_from_db()
    call.refresh_from_db()
    assert chosen.status == Proposal.Status.SELECTED
    assert call.status == Call.Status.CLOSED, "another proposal still waits"

    response = client.post(decide_url(other), {"action": "reject", "reject-reason": " "})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Give a reason; the organisation will see it." in page
    other.refresh_from_db()
    assert other.status == Proposal.Status.SUBMITTED

    response = client.post(
        decide_url(other), {"action": "reject", "reject-reason": "พื้นที่บริการไม่ครอบคลุม"}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    call.refresh_from_db()
    assert other.status == Proposal.Status.NOT_SELECTED
    assert other.decision_reason == "พื้นที่บริการไม่ครอบคลุม"
    assert call.status == Call.Status.AWARDED
    page = client.get(decide_url(other)).content.decode()
    assert "No decision is open" in page and 'name="action"' not in page
    assert decision_link(other, "reject") not in page


def test_a_grant_call_cannot_shortlist_and_selects_directly(web, officer):
    _call, [proposal] = make_call(officer, instrument="grant")
    client = web(officer)
    page = client.get(decide_url(proposal)).content.decode()
    assert 'value="shortlist"' not in page and decision_link(proposal, "select") in page

    response = client.post(decide_url(proposal), {"action": "shortlist"}, follow=True)
    assert "Only performance contracts shortlist" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED

    response = client.post(decide_url(proposal), {"action": "select", "select-reason": ""})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SELECTED
    assert Call.objects.get(pk=proposal.call_id).status == Call.Status.AWARDED


def test_decisions_wait_until_the_call_closes(web, officer):
    call, [proposal] = make_call(officer, close=False)
    client = web(officer)
    page = client.get(decide_url(proposal)).content.decode()
    assert "decisions wait until the call closes" in page
    assert 'name="action"' not in page and decision_link(proposal, "reject") not in page
    ranking = client.get(reverse("call-ranking", args=[call.pk])).content.decode()
    assert "decisions wait until the call closes" in ranking

    response = client.post(
        decide_url(proposal), {"action": "reject", "reject-reason": "ไม่ตรงพันธกิจ"}, follow=True
    )
    assert "once the call has closed" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_only_the_calls_officers_decide(web, officer, other_officer):
    evaluator = factories.EvaluatorFactory()
    _call, [proposal] = make_call(officer, evaluators=[evaluator])
    assert web(other_officer).get(decide_url(proposal)).status_code == 404
    assert web(evaluator).get(decide_url(proposal)).status_code == 403
    response = web(evaluator).post(decide_url(proposal), {"action": "select"})
    assert response.status_code == 403
    assert web(factories.StaffAdminFactory()).get(decide_url(proposal)).status_code == 403
    response = web(officer).post(decide_url(proposal), {"action": "delete"}, follow=True)
    assert "Choose one of the decisions" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
