"""/api/v1/calls/<id>/ranking/: the ranking worked out by hand, who may read it, and its
query count."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.reviews import services as review_services
from contracts.calls import services as call_services
from contracts.calls.models import Call
from contracts.proposals import services as proposal_services
from tests.factories import (
    CallFactory,
    EvaluatorFactory,
    ProposalFactory,
)
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db
S = Call.Status
LIST = "/api/v1/calls/"
WEIGHTS = {
    "expertise": 30,
    "standards": 25,
    "service_area": 20,
    "track_record": 15,
    "networking": 10,
}
A_SCORES = {"expertise": 5, "standards": 4, "service_area": 3, "track_record": 2, "networking": 1}
B_SCORES = dict.fromkeys(WEIGHTS, 4)


def url(call, action=""):
    return f"{LIST}{call.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def draft(officer, mission):
    return CallFactory(officer=officer, mission=mission, status=S.DRAFT)


@pytest.fixture
def roles(officer, other_officer, approved_member, evaluator, staff_admin):
    """Every kind of caller except the anonymous one, by name."""
    return {
        "officer": officer,
        "other_officer": other_officer,
        "member": approved_member,
        "evaluator": evaluator,
        "staff": staff_admin,
    }


# --- the ranking -----------------------------------------------------------------------


def review(proposal, evaluator, scores, *, submit=True):
    return review_services.review_save(
        proposal=proposal,
        evaluator=evaluator,
        scores=scores,
        comment="ความเห็นโดยรวม",
        no_conflict_of_interest=True,
        submit=submit,
    )


@pytest.fixture
def ranked(officer, mission):
    """Weights 30/25/20/15/10; P1 scored by A (70.00) and B (80.00); P2 by A only, all 5s
    (100.00); P3 unscored; evaluator C on the panel has scored nothing."""
    call = CallFactory(officer=officer, mission=mission, criteria_weights=WEIGHTS)
    p1, p2, p3 = (ProposalFactory(call=call, status="submitted") for _ in range(3))
    a = EvaluatorFactory(username="eva_a")
    b = EvaluatorFactory(username="eva_b")
    c = EvaluatorFactory(username="eva_c")
    call_services.call_assign_evaluators(
        call=call, user=officer, usernames=["eva_a", "eva_b", "eva_c"]
    )
    review(p1, a, A_SCORES)
    review(p1, b, B_SCORES)
    review(p2, a, dict.fromkeys(WEIGHTS, 5))
    review(p2, b, dict.fromkeys(WEIGHTS, 5), submit=False)  # a draft does not count
    return call, (p1, p2, p3), (a, b, c)


def test_the_ranking_is_worked_out_exactly(api_as, officer, ranked):
    call, (p1, p2, p3), _ = ranked

    response = api_as(officer).get(url(call, "ranking"))

    assert response.status_code == 200, response.content
    rows = response.json()
    assert [row["proposal"] for row in rows] == [p2.pk, p1.pk, p3.pk]
    top, second, unscored = rows
    assert (top["weighted_score"], top["rank"]) == ("100.00", 1)
    assert (second["weighted_score"], second["rank"]) == ("75.00", 2)
    assert (unscored["weighted_score"], unscored["rank"]) == (None, None)

    assert second["cso"] == p1.cso_id
    assert second["cso_name_th"] == p1.cso.name_th
    assert second["status"] == "submitted"
    assert second["reference"] == p1.reference
    assert [(r["evaluator"], r["weighted_score"]) for r in second["reviews"]] == [
        ("eva_a", "70.00"),
        ("eva_b", "80.00"),
    ]
    assert second["reviews"][0]["scores"] == A_SCORES
    assert second["reviews"][0]["comment"] == "ความเห็นโดยรวม"
    assert second["criterion_means"] == {
        "expertise": "4.50",
        "standards": "4.00",
        "service_area": "3.50",
        "track_record": "3.00",
        "networking": "2.50",
    }
    assert second["spreads"] == {
        "expertise": 1,
        "standards": 0,
        "service_area": 1,
        "track_record": 2,
        "networking": 3,
    }
    assert second["score_spread"] == "10.00"
    assert second["disputed"] == ["track_record", "networking"]
    assert second["missing_reviews"] == ["eva_c"]
    assert top["missing_reviews"] == ["eva_b", "eva_c"]
    assert unscored["missing_reviews"] == ["eva_a", "eva_b", "eva_c"]
    assert unscored["reviews"] == []


def test_the_ranking_skips_drafts_and_withdrawn_proposals(api_as, officer, ranked):
    call, _, _ = ranked
    draft = ProposalFactory(call=call)
    withdrawn = ProposalFactory(call=call, status="submitted")
    proposal_services.proposal_withdraw(proposal=withdrawn, user=withdrawn.cso.members.get())

    rows = api_as(officer).get(url(call, "ranking")).json()

    assert {draft.pk, withdrawn.pk}.isdisjoint({row["proposal"] for row in rows})


def test_staff_see_the_ranking(api_as, staff_admin, ranked):
    response = api_as(staff_admin).get(url(ranked[0], "ranking"))

    assert response.status_code == 200
    assert len(response.json()) == 3


@pytest.mark.parametrize("who", ["other_officer", "member", "evaluator"])
def test_only_the_agency_and_staff_see_the_ranking(api_as, roles, ranked, who):
    assert_error(api_as(roles[who]).get(url(ranked[0], "ranking")), 403, "permission_denied")


def test_a_panel_evaluator_does_not_see_the_ranking(api_as, ranked):
    _, _, (a, _, _) = ranked

    assert_error(api_as(a).get(url(ranked[0], "ranking")), 403, "permission_denied")


def test_an_anonymous_caller_must_sign_in_for_the_ranking(api_client, ranked):
    assert_error(api_client.get(url(ranked[0], "ranking")), 401, "not_authenticated")


# --- query counts ----------------------------------------------------------------------


def _queries(client, path, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params or {})
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response.json()


def test_the_ranking_costs_the_same_queries_for_2_or_6_proposals(api_as, officer, mission):
    call = CallFactory(officer=officer, mission=mission, criteria_weights=WEIGHTS)
    evaluators = [EvaluatorFactory() for _ in range(3)]
    call_services.call_assign_evaluators(
        call=call, user=officer, usernames=[e.username for e in evaluators]
    )
    client = api_as(officer)

    def add(n):
        for _ in range(n):
            proposal = ProposalFactory(call=call, status="submitted")
            for evaluator in evaluators[:2]:
                review(proposal, evaluator, A_SCORES)

    add(2)
    few, rows_few = _queries(client, url(call, "ranking"))
    add(4)
    many, rows_many = _queries(client, url(call, "ranking"))

    assert (len(rows_few), len(rows_many)) == (2, 6)
    assert many == few
    assert {row["weighted_score"] for row in rows_many} == {"70.00"}
    assert Decimal(rows_many[0]["weighted_score"]) == Decimal("70.00")
