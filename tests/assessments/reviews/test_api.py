"""Reviews of proposals through /api/v1/proposals/: drafts and submission, conflicts of
interest, who reads which review, the weighted score and the CSO's feedback."""

import pytest

from assessments.reviews import services as review_services
from assessments.reviews.models import Review
from contracts.calls import services as call_services
from contracts.proposals import services as proposal_services
from portal.roles import Role
from tests.factories import (
    CallFactory,
    CSOFactory,
    EvaluatorFactory,
    MemberFactory,
    MissionFactory,
    ProposalFactory,
    grant,
)
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db
LIST = "/api/v1/proposals/"
WEIGHTS = {
    "expertise": 30,
    "standards": 25,
    "service_area": 20,
    "track_record": 15,
    "networking": 10,
}
A_SCORES = {"expertise": 5, "standards": 4, "service_area": 3, "track_record": 2, "networking": 1}
B_SCORES = dict.fromkeys(WEIGHTS, 4)
CODES = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}


def url(proposal, action=""):
    return f"{LIST}{proposal.pk}/" + (f"{action}/" if action else "")


def member_of(proposal):
    return proposal.cso.members.get()


@pytest.fixture
def call(officer):
    return CallFactory(
        officer=officer, mission=MissionFactory(officer=officer), criteria_weights=WEIGHTS
    )


@pytest.fixture
def panel(call, officer):
    """The evaluator on the call's panel."""
    assigned = EvaluatorFactory(username="eva_panel")
    call_services.call_assign_evaluators(call=call, user=officer, usernames=[assigned.username])
    return assigned


@pytest.fixture
def submitted(call):
    return ProposalFactory(call=call, status="submitted")


@pytest.fixture
def draft(call):
    return ProposalFactory(call=call)


@pytest.fixture
def roles(officer, other_officer, submitted, panel, evaluator, staff_admin):
    """Every kind of caller, for ``submitted``: ``member`` belongs to its CSO."""
    return {
        None: None,
        "officer": officer,
        "other_officer": other_officer,
        "member": member_of(submitted),
        "other_member": CSOFactory(status="approved").members.get(),
        "assigned": panel,
        "unassigned": evaluator,
        "staff": staff_admin,
    }


def close(call):
    return call_services.call_close(call=call, user=call.created_by)


def review(proposal, evaluator, scores, *, submit=True):
    return review_services.review_save(
        proposal=proposal,
        evaluator=evaluator,
        scores=scores,
        comments={"expertise": "ประสบการณ์ตรง"},
        comment="ความเห็นโดยรวม",
        no_conflict_of_interest=True,
        submit=submit,
    )


# --- reviews ---------------------------------------------------------------------------


def post_review(client, proposal, scores, **extra):
    data = {"scores": scores, "comment": "ชัดเจน", "no_conflict_of_interest": True, **extra}
    return client.post(url(proposal, "reviews"), data, format="json")


def test_an_evaluator_saves_a_draft_then_submits_once(api_as, submitted, panel):
    client = api_as(panel)

    saved = post_review(client, submitted, {"expertise": 5}, draft=True)
    assert saved.status_code == 201, saved.content
    assert saved.json()["status"] == "draft"
    assert saved.json()["scores"]["expertise"] == 5
    assert saved.json()["scores"]["networking"] is None
    assert saved.json()["weighted_score"] is None

    done = post_review(client, submitted, A_SCORES, comments={"networking": "เครือข่ายน้อย"})
    assert done.status_code == 200, done.content
    row = done.json()
    assert row["status"] == "submitted"
    assert row["weighted_score"] == "70.00"
    assert row["evaluator"] == "eva_panel"
    assert row["comments"] == {"networking": "เครือข่ายน้อย"}
    assert row["submitted_at"] is not None

    assert_error(post_review(client, submitted, B_SCORES), 409, "conflict")
    assert_error(post_review(client, submitted, B_SCORES, draft=True), 409, "conflict")
    assert Review.objects.get().scores == A_SCORES


def test_the_contracts_body_submits_at_once(api_as, submitted, panel):
    response = post_review(api_as(panel), submitted, B_SCORES)

    assert response.status_code == 201
    assert (response.json()["status"], response.json()["weighted_score"]) == ("submitted", "80.00")


@pytest.mark.parametrize(
    "scores, extra, field",
    [
        ({**A_SCORES, "expertise": 6}, {}, "scores.expertise"),
        ({**A_SCORES, "standards": "four"}, {}, "scores.standards"),
        ({"expertise": 5}, {}, "scores.standards"),
        ({**A_SCORES, "charisma": 5}, {}, "scores"),
        ("all fives", {}, "scores"),
        (A_SCORES, {"no_conflict_of_interest": False}, "no_conflict_of_interest"),
        (A_SCORES, {"comments": {"charisma": "ดี"}}, "comments"),
        (A_SCORES, {"comment": "ก" * 5001}, "comment"),
    ],
)
def test_a_review_with_wrong_answers_is_refused_by_field(
    api_as, submitted, panel, scores, extra, field
):
    response = post_review(api_as(panel), submitted, scores, **extra)

    assert_error(response, 400, "validation_error", fields=[field])
    assert not Review.objects.exists()


def test_a_review_without_the_declaration_is_refused(api_as, submitted, panel):
    response = api_as(panel).post(url(submitted, "reviews"), {"scores": A_SCORES}, format="json")

    assert_error(response, 400, "validation_error", fields=["no_conflict_of_interest"])


@pytest.mark.parametrize(
    "who, code",
    [
        (None, 401),
        ("officer", 403),
        ("other_officer", 404),
        ("member", 403),
        ("other_member", 404),
        ("unassigned", 404),
        ("staff", 403),
    ],
)
def test_only_the_panel_scores_and_is_told_first(api_as, roles, submitted, who, code):
    response = post_review(api_as(roles[who]), submitted, "not scores")

    assert_error(response, code, CODES[code])
    assert not Review.objects.exists()


def test_an_evaluator_who_is_a_member_of_the_cso_may_not_review_it(api_as, officer, call):
    insider = MemberFactory()
    grant(insider, [Role.EVALUATOR])
    cso = CSOFactory(status="approved", member=insider)
    proposal = ProposalFactory(call=call, cso=cso, status="submitted")
    call_services.call_assign_evaluators(call=call, user=officer, usernames=[insider.username])

    error = assert_error(
        post_review(api_as(insider, lang="en"), proposal, A_SCORES), 403, "permission_denied"
    )

    assert "member of this organisation" in error["message"]
    assert not Review.objects.exists()


@pytest.mark.parametrize("declared_by", ["proposer", "partner"])
def test_an_evaluator_from_a_network_cso_may_not_review(
    api_as, officer, call, submitted, declared_by
):
    partner = CSOFactory(status="approved")
    if declared_by == "proposer":
        submitted.cso.network_csos.add(partner)
    else:
        partner.network_csos.add(submitted.cso)
    evaluator = partner.members.get()
    grant(evaluator, [Role.EVALUATOR])
    call_services.call_assign_evaluators(call=call, user=officer, usernames=[evaluator.username])

    error = assert_error(
        post_review(api_as(evaluator, lang="en"), submitted, A_SCORES), 403, "permission_denied"
    )

    assert "network" in error["message"]


def test_a_decided_proposal_is_not_scored(api_as, officer, call, submitted, panel):
    close(call)
    # Selected before the panel scored it, so with a reason.
    proposal_services.proposal_select(proposal=submitted, officer=officer, reason="เร่งด่วน")

    assert_error(post_review(api_as(panel), submitted, A_SCORES), 409, "invalid_transition")


def test_officers_read_every_review_and_evaluators_their_own(
    api_as, officer, staff_admin, call, submitted, panel
):
    second = EvaluatorFactory(username="eva_second")
    call_services.call_assign_evaluators(
        call=call, user=officer, usernames=[panel.username, second.username]
    )
    review(submitted, panel, A_SCORES)
    review(submitted, second, B_SCORES, submit=False)

    for user in (officer, staff_admin):
        rows = api_as(user).get(url(submitted, "reviews")).json()
        assert [(r["evaluator"], r["status"]) for r in rows] == [
            ("eva_panel", "submitted"),
            ("eva_second", "draft"),
        ]
    own = api_as(second).get(url(submitted, "reviews")).json()
    assert [(r["evaluator"], r["scores"]) for r in own] == [("eva_second", B_SCORES)]
    assert own[0]["weighted_score"] == "80.00"


@pytest.mark.parametrize(
    "who, code", [(None, 401), ("member", 403), ("other_officer", 404), ("unassigned", 404)]
)
def test_others_do_not_read_reviews(api_as, roles, submitted, panel, who, code):
    review(submitted, panel, A_SCORES)

    assert_error(api_as(roles[who]).get(url(submitted, "reviews")), code, CODES[code])


# --- scores and feedback -----------------------------------------------------------------


@pytest.fixture
def scored(officer, call, submitted, panel):
    """``submitted`` scored 70.00 by the panel evaluator and 80.00 by a second one."""
    second = EvaluatorFactory(username="eva_second")
    call_services.call_assign_evaluators(
        call=call, user=officer, usernames=[panel.username, second.username]
    )
    review(submitted, panel, A_SCORES)
    review(submitted, second, B_SCORES)
    return submitted


def test_the_weighted_score_is_for_the_agency_until_the_decision(
    api_as, roles, officer, call, scored
):
    def score(who):
        return api_as(roles[who]).get(url(scored)).json()["weighted_score"]

    assert score("officer") == "75.00"
    assert score("staff") == "75.00"
    assert score("member") is None
    assert score("assigned") is None

    close(call)
    proposal_services.proposal_select(proposal=scored, officer=officer, reason="")

    assert score("member") == "75.00"
    assert score("assigned") is None


def test_the_cso_reads_its_feedback_after_the_decision(api_as, roles, officer, call, scored):
    member = api_as(roles["member"])
    assert_error(member.get(url(scored, "feedback")), 403, "permission_denied")
    assert api_as(officer).get(url(scored, "feedback")).status_code == 200

    close(call)
    proposal_services.proposal_reject(proposal=scored, officer=officer, reason="คะแนนไม่ถึงเกณฑ์")
    response = member.get(url(scored, "feedback"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["score"] == "75.00"
    assert body["review_count"] == 2
    assert body["criteria"][0] == {
        "code": "expertise",
        "weight": 30,
        "mean": "4.50",
        "comments": ["ประสบการณ์ตรง", "ประสบการณ์ตรง"],
    }
    assert body["comments"] == ["ความเห็นโดยรวม", "ความเห็นโดยรวม"]
    assert "eva_panel" not in response.content.decode()


@pytest.mark.parametrize(
    "who, code", [(None, 401), ("assigned", 403), ("other_officer", 404), ("other_member", 404)]
)
def test_others_do_not_read_the_feedback(api_as, roles, officer, call, scored, who, code):
    close(call)
    proposal_services.proposal_select(proposal=scored, officer=officer, reason="")

    assert_error(api_as(roles[who]).get(url(scored, "feedback")), code, CODES[code])
