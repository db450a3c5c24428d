"""Scoring on the five criteria: who may score, conflicts of interest, drafts and submission,
the weighted score and the ranking worked out by hand."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from assessments.reviews import services as review_services
from assessments.reviews.models import Review
from assessments.reviews.scoring import weighted_score
from assessments.reviews.selectors import call_ranking, proposal_feedback
from contracts.calls import services as call_services
from contracts.proposals import services as proposal_services
from portal.audit import audit_history
from portal.roles import Role
from portal.workflow import Conflict, InvalidTransition
from tests.factories import (
    CallFactory,
    CSOFactory,
    EvaluatorFactory,
    MissionFactory,
    OfficerFactory,
    ProposalFactory,
    grant,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

WEIGHTS = {
    "expertise": 30,
    "standards": 25,
    "service_area": 20,
    "track_record": 15,
    "networking": 10,
}
A_SCORES = {"expertise": 5, "standards": 4, "service_area": 3, "track_record": 2, "networking": 1}
B_SCORES = dict.fromkeys(WEIGHTS, 4)


def weighted_call(**kwargs):
    officer = OfficerFactory()
    return CallFactory(
        officer=officer,
        mission=MissionFactory(officer=officer),
        criteria_weights=WEIGHTS,
        **kwargs,
    )


def panel(call, *evaluators):
    call_services.call_assign_evaluators(
        call=call, user=call.created_by, usernames=[e.username for e in evaluators]
    )


def score(proposal, evaluator, scores, *, submit=True, **kwargs):
    return review_services.review_save(
        proposal=proposal,
        evaluator=evaluator,
        scores=scores,
        no_conflict_of_interest=True,
        submit=submit,
        **kwargs,
    )


@pytest.fixture
def setting():
    """A call with weights 30/25/20/15/10, one submitted proposal, two evaluators on the panel."""
    call = weighted_call()
    proposal = ProposalFactory(call=call, status="submitted")
    a, b = EvaluatorFactory(), EvaluatorFactory()
    panel(call, a, b)
    return call, proposal, a, b


def test_the_weighted_score_by_hand():
    # 30×5 + 25×4 + 20×3 + 15×2 + 10×1 = 350; / 5 = 70
    assert weighted_score(WEIGHTS, A_SCORES) == Decimal("70.00")
    assert weighted_score(WEIGHTS, B_SCORES) == Decimal("80.00")
    assert weighted_score(WEIGHTS, dict.fromkeys(WEIGHTS, 5)) == Decimal("100.00")
    assert weighted_score(WEIGHTS, dict.fromkeys(WEIGHTS, 0)) == Decimal("0.00")
    # 30×1 + 25×0 + 20×0 + 15×0 + 10×0 = 30; / 5 = 6
    assert weighted_score(WEIGHTS, {**dict.fromkeys(WEIGHTS, 0), "expertise": 1}) == Decimal("6")


def test_the_ranking_worked_example(setting, django_assert_max_num_queries):
    call, proposal, a, b = setting
    best = ProposalFactory(call=call, status="submitted")
    unscored = ProposalFactory(call=call, status="submitted")
    score(proposal, a, A_SCORES, comments={"expertise": "ประสบการณ์ 10 ปี"})
    score(proposal, b, B_SCORES)
    score(best, a, dict.fromkeys(WEIGHTS, 5))

    with django_assert_max_num_queries(5):
        rows = call_ranking(call)

    assert [(r.proposal, r.rank, r.score) for r in rows] == [
        (best, 1, Decimal("100.00")),
        (proposal, 2, Decimal("75.00")),  # (70 + 80) / 2
        (unscored, None, None),
    ]
    ranked = rows[1]
    assert [(r.evaluator, r.weighted) for r in ranked.reviews] == sorted(
        [(a, Decimal("70.00")), (b, Decimal("80.00"))], key=lambda x: x[0].username
    )
    assert ranked.spreads == {
        "expertise": 1,
        "standards": 0,
        "service_area": 1,
        "track_record": 2,
        "networking": 3,
    }
    assert ranked.disputed == ["track_record", "networking"]
    assert ranked.score_spread == Decimal("10.00")
    assert ranked.criterion_means["expertise"] == Decimal("4.50")
    assert rows[0].missing == [b]  # b has not scored the best proposal yet
    assert rows[2].missing == sorted([a, b], key=lambda e: e.pk)


def test_the_mean_is_rounded_half_up_to_the_hundredth():
    call = weighted_call()
    proposal = ProposalFactory(call=call, status="submitted")
    evaluators = [EvaluatorFactory() for _ in range(3)]
    panel(call, *evaluators)
    score(proposal, evaluators[0], A_SCORES)  # 70.00
    score(proposal, evaluators[1], B_SCORES)  # 80.00
    score(proposal, evaluators[2], {**B_SCORES, "networking": 5})  # 82.00

    # (70 + 80 + 82) / 3 = 77.333…
    assert call_ranking(call)[0].score == Decimal("77.33")


def test_ties_share_a_rank():
    call = weighted_call()
    first = ProposalFactory(call=call, status="submitted")
    second = ProposalFactory(call=call, status="submitted")
    third = ProposalFactory(call=call, status="submitted")
    evaluator = EvaluatorFactory()
    panel(call, evaluator)
    score(first, evaluator, B_SCORES)
    score(second, evaluator, B_SCORES)
    score(third, evaluator, A_SCORES)

    assert [r.rank for r in call_ranking(call)] == [1, 1, 3]


def test_the_ranking_costs_the_same_queries_for_more_proposals_and_reviews(
    django_assert_max_num_queries,
):
    call = weighted_call()
    evaluators = [EvaluatorFactory() for _ in range(3)]
    panel(call, *evaluators)

    def add(n):
        for _ in range(n):
            proposal = ProposalFactory(call=call, status="submitted")
            for evaluator in evaluators:
                score(proposal, evaluator, A_SCORES)

    add(1)
    with django_assert_max_num_queries(5):
        assert len(call_ranking(call)) == 1
    add(4)
    with django_assert_max_num_queries(5):
        assert len(call_ranking(call)) == 5


def test_a_draft_is_kept_and_submitted_later(setting):
    call, proposal, a, b = setting
    review = score(proposal, a, {"expertise": 4, "standards": None}, submit=False, comment="ร่าง")
    assert review.status == Review.Status.DRAFT
    assert call_ranking(call)[0].score is None  # drafts do not count

    review = score(proposal, a, A_SCORES)

    review = Review.objects.get(pk=review.pk)
    assert review.status == Review.Status.SUBMITTED and review.submitted_at
    assert review.scores == A_SCORES
    assert Review.objects.filter(proposal=proposal, evaluator=a).count() == 1
    assert [(r.action, r.to_status) for r in audit_history(review)] == [("submit", "submitted")]


def test_a_submitted_review_is_final(setting):
    _, proposal, a, _ = setting
    score(proposal, a, A_SCORES)
    with pytest.raises(Conflict):
        score(proposal, a, B_SCORES)
    assert Review.objects.get(proposal=proposal, evaluator=a).scores == A_SCORES


def test_submitting_needs_every_criterion(setting):
    _, proposal, a, _ = setting
    with pytest.raises(ValidationError) as exc:
        score(proposal, a, {"expertise": 5, "standards": 4})
    assert set(exc.value.message_dict) == {
        "scores.service_area",
        "scores.track_record",
        "scores.networking",
    }
    assert not Review.objects.exists()


@pytest.mark.parametrize("bad", [6, -1, "five", True, 2.5, [3]])
def test_a_score_is_a_whole_number_from_0_to_5(setting, bad):
    _, proposal, a, _ = setting
    with pytest.raises(ValidationError) as exc:
        score(proposal, a, {**A_SCORES, "standards": bad})
    assert list(exc.value.message_dict) == ["scores.standards"]


def test_an_unknown_criterion_is_refused(setting):
    _, proposal, a, _ = setting
    with pytest.raises(ValidationError) as exc:
        score(proposal, a, {**A_SCORES, "price": 5})
    assert "price" in exc.value.message_dict["scores"][0]


def test_the_declaration_comes_first(setting):
    _, proposal, a, _ = setting
    with pytest.raises(ValidationError) as exc:
        review_services.review_save(proposal=proposal, evaluator=a, scores=A_SCORES, submit=True)
    assert list(exc.value.message_dict) == ["no_conflict_of_interest"]
    assert not Review.objects.exists()


def test_only_the_panel_scores(setting, other_officer):
    call, proposal, _, _ = setting
    outsider = EvaluatorFactory()
    for user in (outsider, call.created_by, other_officer, proposal.cso.members.get()):
        with pytest.raises(PermissionDenied):
            score(proposal, user, A_SCORES)
    assert not Review.objects.exists()


def test_a_member_of_the_cso_may_not_review_it(setting):
    call, proposal, _, _ = setting
    insider = proposal.cso.members.get()
    grant(insider, [Role.EVALUATOR])
    panel(call, insider)

    with pytest.raises(PermissionDenied) as exc:
        score(proposal, insider, A_SCORES)
    assert "member of this organisation" in str(exc.value)
    # and the ranking does not wait for a review they may not give
    assert insider not in call_ranking(call)[0].missing


@pytest.mark.parametrize("direction", ["declared_by_applicant", "declared_by_reviewer"])
def test_a_member_of_a_network_cso_may_not_review_it(setting, direction):
    call, proposal, _, _ = setting
    partner = CSOFactory(status="approved")
    if direction == "declared_by_applicant":
        proposal.cso.network_csos.add(partner)
    else:
        partner.network_csos.add(proposal.cso)
    evaluator = partner.members.get()
    grant(evaluator, [Role.EVALUATOR])
    panel(call, evaluator)

    with pytest.raises(PermissionDenied) as exc:
        score(proposal, evaluator, A_SCORES)
    assert "network" in str(exc.value)


def test_an_evaluator_from_an_unrelated_cso_may_review(setting):
    call, proposal, _, _ = setting
    evaluator = CSOFactory(status="approved").members.get()
    grant(evaluator, [Role.EVALUATOR])
    panel(call, evaluator)

    assert score(proposal, evaluator, A_SCORES).status == Review.Status.SUBMITTED


def test_a_recused_evaluator_is_no_longer_awaited(setting):
    call, proposal, a, b = setting
    with pytest.raises(ValidationError):
        review_services.review_recuse(proposal=proposal, evaluator=a, reason="")
    review_services.review_recuse(proposal=proposal, evaluator=a, reason="เคยเป็นที่ปรึกษาขององค์กร")

    assert call_ranking(call)[0].missing == [b]
    with pytest.raises(Conflict):
        score(proposal, a, A_SCORES)


def test_no_scoring_of_a_draft_or_decided_proposal(setting):
    call, proposal, a, _ = setting
    draft = ProposalFactory(call=call)
    with pytest.raises(InvalidTransition):
        score(draft, a, A_SCORES)
    call_services.call_close(call=call, user=call.created_by)
    proposal_services.proposal_select(
        proposal=proposal,
        officer=call.created_by,
        reason="เร่งด่วน",  # reviews missing
    )
    with pytest.raises(InvalidTransition):
        score(proposal, a, A_SCORES)


def test_feedback_shows_means_and_comments_without_names(setting):
    _, proposal, a, b = setting
    score(proposal, a, A_SCORES, comments={"expertise": "ประสบการณ์ตรง"}, comment="แผนชัดเจน")
    score(proposal, b, B_SCORES, comments={"networking": "เครือข่ายยังน้อย"})

    feedback = proposal_feedback(proposal)

    assert feedback["score"] == Decimal("75.00")
    assert feedback["review_count"] == 2
    by_code = {c["code"]: c for c in feedback["criteria"]}
    assert by_code["expertise"]["mean"] == Decimal("4.50")
    assert by_code["expertise"]["weight"] == 30
    assert by_code["expertise"]["comments"] == ["ประสบการณ์ตรง"]
    assert by_code["networking"]["comments"] == ["เครือข่ายยังน้อย"]
    assert feedback["comments"] == ["แผนชัดเจน"]
    assert a.username not in str(feedback) and b.username not in str(feedback)


@pytest.mark.django_db(transaction=True)
def test_two_evaluators_at_once_and_one_evaluator_twice_at_once():
    call = weighted_call()
    proposal = ProposalFactory(call=call, status="submitted")
    a, b = EvaluatorFactory(), EvaluatorFactory()
    panel(call, a, b)
    start = threading.Barrier(4, timeout=10)
    outcomes = []

    def submit(evaluator, scores):
        try:
            start.wait()
            outcomes.append(score(proposal, evaluator, scores))
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(evaluator, scores))
        for evaluator, scores in ((a, A_SCORES), (a, B_SCORES), (b, B_SCORES), (b, B_SCORES))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    saved = [o for o in outcomes if isinstance(o, Review)]
    refused = [o for o in outcomes if not isinstance(o, Review)]
    assert len(saved) == 2 and len(refused) == 2, outcomes
    assert all(isinstance(o, Conflict) for o in refused), refused
    assert Review.objects.filter(proposal=proposal, evaluator=a).count() == 1
    assert Review.objects.filter(proposal=proposal, evaluator=b).count() == 1
    assert Review.objects.filter(status="submitted").count() == 2
