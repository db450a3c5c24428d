"""Selecting in rank order on the pages: the ranking marks the selections that need a
written reason and offers the reason field; without one the decision page names the field
and says why; with one the CSO reads it on its proposal's page."""

import re

import pytest
from django.urls import reverse

from contracts.proposals.models import Proposal
from portal.audit import audit_history
from tests import factories
from tests.factories import ranked_call
from tests.helpers import fresh

pytestmark = pytest.mark.django_db
PS = Proposal.Status


@pytest.fixture
def web(client):
    """``web(user)``: the test client signed in as ``user``, reading English."""

    def sign_in(user):
        client.force_login(user)
        client.cookies["django_language"] = "en"
        return client

    return sign_in


def ranking_url(call):
    return reverse("call-ranking", args=[call.pk])


def decide_url(proposal):
    return reverse("proposal-decide", args=[proposal.pk])


def row_of(page, proposal) -> str:
    match = re.search(rf'<tr id="proposal-{proposal.pk}">(.*?)</tr>', page, re.S)
    assert match, f"no row for proposal {proposal.pk}"
    return match.group(1)


def select_url(proposal):
    """The page that asks to confirm the selection, with the reason it needs."""
    return reverse("proposal-decision", args=[proposal.pk, "select"])


def select_form_of(client, proposal) -> str:
    page = client.get(select_url(proposal)).content.decode()
    match = re.search(r'<form method="post".*?</form>', page, re.S)
    assert match, f"no select form for proposal {proposal.pk}"
    return match.group(0)


def test_the_ranking_marks_the_selections_that_need_a_reason(web, officer):
    call, [first, second, third], _panel = ranked_call(officer)

    client = web(officer)
    page = client.get(ranking_url(call)).content.decode()

    assert "Selecting needs a reason" not in row_of(page, first)
    assert "Selecting needs a reason" in row_of(page, second)
    assert "Selecting needs a reason" in row_of(page, third)
    assert f'href="{select_url(first)}"' in page and f'href="{select_url(third)}"' in page
    top = select_form_of(client, first)
    assert "Reason (optional)" in top and 'name="select-reason"' in top
    below = select_form_of(client, third)
    assert 'name="select-reason"' in below and 'aria-required="true"' in below
    assert (
        "Selecting this proposal needs a written reason: it is ranked 3rd while the "
        "proposals ranked 1st and 2nd are not decided." in below
    )
    assert "Yes, select this proposal" in below


def test_selecting_from_the_ranking_without_a_reason_names_the_field(web, officer):
    call, [_first, _second, third], _panel = ranked_call(officer)
    client = web(officer)

    response = client.post(decide_url(third), {"action": "select", "select-reason": " "})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_select-reason"' in page  # the error summary points at the field
    assert re.search(r'id="id_select-reason_error"[^>]*>[^<]*ranked 3rd while', page)
    assert fresh(third).status == PS.SUBMITTED


def test_with_a_reason_the_cso_reads_it_on_its_proposal(web, officer):
    call, [_first, _second, third], _panel = ranked_call(officer)

    response = web(officer).post(
        decide_url(third), {"action": "select", "select-reason": "ทำงานในพื้นที่ห่างไกลมา 10 ปี"}
    )

    assert response.status_code == 302
    third = fresh(third)
    assert (third.status, third.decision_reason) == (PS.SELECTED, "ทำงานในพื้นที่ห่างไกลมา 10 ปี")
    assert audit_history(third).get(action="select").reason == "ทำงานในพื้นที่ห่างไกลมา 10 ปี"
    decided = web(officer).get(decide_url(third)).content.decode()
    assert "ทำงานในพื้นที่ห่างไกลมา 10 ปี" in decided  # and in the history below
    mine = web(third.cso.members.get()).get(reverse("proposal-detail", args=[third.pk]))
    assert "ทำงานในพื้นที่ห่างไกลมา 10 ปี" in mine.content.decode()
    # Decided: the ranking no longer offers to select it.
    page = web(officer).get(ranking_url(call)).content.decode()
    assert select_url(third) not in page


def test_the_decision_page_says_why_before_the_officer_tries(web, officer):
    _call, [first, second], _panel = ranked_call(officer, scores=(5, None))

    page = web(officer).get(select_url(second)).content.decode()
    assert "it has no score yet while the proposal ranked 1st is not decided" in page
    assert "2 of 2 reviews are missing" in page

    page = web(officer).get(select_url(first)).content.decode()
    assert "Reason (optional)" in page and "needs a written reason" not in page


def test_the_ranking_speaks_thai_by_default(client, officer):
    call, [_first, _second, third], _panel = ranked_call(officer)
    client.force_login(officer)

    assert "ยังไม่ได้ตัดสิน" in client.get(ranking_url(call)).content.decode()
    form = select_form_of(client, third)
    hint = re.search(r'<p class="hint"[^>]*>(.*?)</p>', form, re.S).group(1)

    assert "ข้อเสนอนี้อยู่อันดับที่ 3 ขณะที่ข้อเสนออันดับที่ 1 และที่ 2 ยังไม่ได้ตัดสิน" in hint


def test_only_the_calls_officers_get_the_select_forms(web, officer, other_officer):
    call, [_first, _second, third], panel = ranked_call(officer)

    staff = web(factories.StaffAdminFactory()).get(ranking_url(call))
    assert staff.status_code == 200
    assert select_url(third) not in staff.content.decode()
    assert web(factories.StaffAdminFactory()).get(select_url(third)).status_code == 403
    assert web(panel[0]).get(ranking_url(call)).status_code == 403
    assert web(other_officer).get(ranking_url(call)).status_code in {403, 404}
    assert web(panel[0]).post(decide_url(third), {"action": "select"}).status_code == 403
    assert fresh(third).status == PS.SUBMITTED


def test_an_open_call_offers_no_selection_yet(web, officer):
    call, [proposal] = factories.make_call(officer, close=False)

    page = web(officer).get(ranking_url(call)).content.decode()

    assert select_url(proposal) not in page
    assert "decisions wait until the call closes" in page
    assert fresh(proposal).status == PS.SUBMITTED
