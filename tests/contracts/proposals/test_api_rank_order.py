"""Selecting in rank order through the API: ``POST /proposals/<id>/select/`` out of rank
order or with reviews missing answers 400 naming ``reason``, in the caller's language; the
ranking's ``select_needs_reason`` says beforehand which selections need one."""

import pytest

from contracts.proposals import services as proposal_services
from contracts.proposals.models import Proposal
from tests.factories import ranked_call
from tests.helpers import assert_error, fresh, has_thai

pytestmark = pytest.mark.django_db
PS = Proposal.Status


def select_url(proposal):
    return f"/api/v1/proposals/{proposal.pk}/select/"


def ranking(client, call):
    response = client.get(f"/api/v1/calls/{call.pk}/ranking/")
    assert response.status_code == 200, response.content[:300]
    return {row["proposal"]: row for row in response.json()}


def test_selecting_out_of_order_without_a_reason_is_a_400_on_reason(api_as, officer):
    _call, [_first, _second, third], _panel = ranked_call(officer)

    error = assert_error(
        api_as(officer, lang="en").post(select_url(third), {}, format="json"),
        400,
        "validation_error",
        fields=["reason"],
    )

    assert error["fields"]["reason"] == [
        "Selecting this proposal needs a written reason: it is ranked 3rd while the "
        "proposals ranked 1st and 2nd are not decided."
    ]
    assert fresh(third).status == PS.SUBMITTED


def test_the_refusal_speaks_thai(api_as, officer):
    _call, [_first, unscored], _panel = ranked_call(officer, scores=(5, None))

    error = assert_error(
        api_as(officer).post(select_url(unscored), {"reason": ""}, format="json"),
        400,
        "validation_error",
        fields=["reason"],
    )

    assert has_thai(error["fields"]["reason"][0])
    assert "2" in error["fields"]["reason"][0]  # 2 of 2 reviews missing


def test_with_a_reason_the_selection_is_made_and_the_cso_reads_why(api_as, officer):
    _call, [_first, _second, third], _panel = ranked_call(officer)

    response = api_as(officer).post(
        select_url(third), {"reason": "ครอบคลุมพื้นที่ห่างไกลที่สุด"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "selected"
    mine = api_as(third.cso.members.get()).get(f"/api/v1/proposals/{third.pk}/").json()
    assert mine["decision_reason"] == "ครอบคลุมพื้นที่ห่างไกลที่สุด"


def test_the_top_proposal_needs_no_reason(api_as, officer):
    _call, [first, _second, _third], _panel = ranked_call(officer)

    response = api_as(officer).post(select_url(first), {}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "selected"


@pytest.mark.parametrize(
    ("who", "code", "error"),
    [
        ("other_officer", 404, "not_found"),
        ("member", 403, "permission_denied"),
        ("evaluator", 403, "permission_denied"),
        ("staff", 403, "permission_denied"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
def test_others_are_refused_for_who_they_are_not_for_the_reason(
    api_as, officer, other_officer, staff_admin, who, code, error
):
    _call, [_first, _second, third], panel = ranked_call(officer)
    user = {
        "other_officer": other_officer,
        "member": third.cso.members.get(),
        "evaluator": panel[0],
        "staff": staff_admin,
        "anonymous": None,
    }[who]

    assert_error(api_as(user).post(select_url(third), {}, format="json"), code, error)
    assert fresh(third).status == PS.SUBMITTED


def test_the_ranking_says_which_selections_need_a_reason(api_as, officer):
    call, [first, second, third], _panel = ranked_call(officer)
    client = api_as(officer, lang="en")

    rows = ranking(client, call)
    assert rows[first.pk]["select_needs_reason"] == []
    assert rows[second.pk]["select_needs_reason"] == [
        "it is ranked 2nd while the proposal ranked 1st is not decided"
    ]
    assert rows[third.pk]["select_needs_reason"] == [
        "it is ranked 3rd while the proposals ranked 1st and 2nd are not decided"
    ]

    proposal_services.proposal_select(proposal=first, officer=officer)
    rows = ranking(client, call)
    assert rows[first.pk]["select_needs_reason"] == []  # decided
    assert rows[second.pk]["select_needs_reason"] == []
    assert rows[third.pk]["select_needs_reason"] == [
        "it is ranked 3rd while the proposal ranked 2nd is not decided"
    ]


def test_the_ranking_names_missing_reviews_in_thai_by_default(api_as, officer, staff_admin):
    call, [first, unscored], _panel = ranked_call(officer, scores=(5, None))

    rows = ranking(api_as(staff_admin), call)

    assert rows[first.pk]["select_needs_reason"] == []
    assert len(rows[unscored.pk]["select_needs_reason"]) == 2
    assert all(has_thai(why) for why in rows[unscored.pk]["select_needs_reason"])
