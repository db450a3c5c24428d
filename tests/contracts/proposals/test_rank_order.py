"""Selecting in rank order through the services: selecting a proposal ranked below one not
yet decided, or one whose reviews are missing, needs a written reason, which the decision,
the CSO's notice and the audit row keep. (The API: test_api_rank_order.py; the pages:
tests/assessments/reviews/test_web_rank_order.py.)"""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from assessments.reviews import services as review_services
from contracts.calls.models import CRITERIA
from contracts.proposals import services as proposal_services
from contracts.proposals.models import Proposal
from contracts.proposals.rules import Standing, out_of_order_problems
from portal.audit import audit_history
from portal.models import Notice
from portal.notices.delivery import send_notice_email
from portal.workflow import InvalidTransition
from tests.factories import ranked_call
from tests.helpers import fresh, has_thai

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PS = Proposal.Status


def select(proposal, officer, reason=""):
    return proposal_services.proposal_select(proposal=proposal, officer=officer, reason=reason)


def score(proposal, evaluator, value):
    review_services.review_save(
        proposal=proposal,
        evaluator=evaluator,
        scores=dict.fromkeys(CRITERIA, value),
        no_conflict_of_interest=True,
        submit=True,
    )


def refusal(proposal, officer, reason="") -> str:
    """The message on ``reason`` when selecting without one is refused."""
    with pytest.raises(ValidationError) as exc:
        select(proposal, officer, reason)
    assert set(exc.value.message_dict) == {"reason"}, exc.value.message_dict
    assert fresh(proposal).status == PS.SUBMITTED
    assert not audit_history(proposal).filter(action="select").exists()
    return exc.value.message_dict["reason"][0]


# --- the rule, worded ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("standing", "says"),
    [
        (Standing(rank=1), []),
        (Standing(rank=2, ranked_above=(1, 1)), ["it is ranked 2nd while the proposals "
                                                 "ranked 1st are not decided"]),
        (Standing(rank=3, ranked_above=(1,)), ["it is ranked 3rd while the proposal ranked "
                                               "1st is not decided"]),
        (Standing(rank=12, ranked_above=(2, 11)), ["it is ranked 12th while the proposals "
                                                   "ranked 2nd and 11th are not decided"]),
        (Standing(rank=None, ranked_above=(1, 2, 3), missing_reviews=2, expected_reviews=2),
         ["it has no score yet while the proposals ranked 1st, 2nd and 3rd are not decided",
          "2 of 2 reviews are missing"]),
        (Standing(rank=1, missing_reviews=1, expected_reviews=3), ["1 of 3 reviews is missing"]),
    ],
)  # fmt: skip
def test_the_problems_say_why_in_words(standing, says):
    assert out_of_order_problems(standing) == says


def test_the_problems_speak_thai():
    with translation.override("th"):
        problems = out_of_order_problems(
            Standing(rank=3, ranked_above=(1, 2), missing_reviews=2, expected_reviews=3)
        )
    assert len(problems) == 2 and all(has_thai(p) for p in problems)
    assert problems[0] == "ข้อเสนอนี้อยู่อันดับที่ 3 ขณะที่ข้อเสนออันดับที่ 1 และที่ 2 ยังไม่ได้ตัดสิน"
    assert problems[1] == "ผลการประเมินยังขาด 2 จาก 3 ฉบับ"


# --- selecting -----------------------------------------------------------------------------


def test_the_top_proposal_is_selected_without_a_reason(officer):
    _call, [first, _second, _third], _panel = ranked_call(officer)

    select(first, officer)

    first = fresh(first)
    assert (first.status, first.decision_reason) == (PS.SELECTED, "")
    row = audit_history(first).get(action="select")
    assert row.reason == "" and "out_of_rank_order" not in row.data


def test_selecting_below_undecided_proposals_needs_a_reason_that_everyone_keeps(
    officer, django_capture_on_commit_callbacks
):
    _call, [_first, _second, third], _panel = ranked_call(officer)

    message = refusal(third, officer, reason="   ")
    assert message == (
        "Selecting this proposal needs a written reason: it is ranked 3rd while the "
        "proposals ranked 1st and 2nd are not decided."
    )

    with django_capture_on_commit_callbacks(execute=True):
        select(third, officer, reason=" เป็นองค์กรเดียวที่ทำงานในพื้นที่ห่างไกล ")

    third = fresh(third)
    assert third.status == PS.SELECTED
    assert third.decision_reason == "เป็นองค์กรเดียวที่ทำงานในพื้นที่ห่างไกล"
    row = audit_history(third).get(action="select")
    assert row.actor == officer
    assert row.reason == "เป็นองค์กรเดียวที่ทำงานในพื้นที่ห่างไกล"
    assert row.data == {
        "out_of_rank_order": {
            "rank": 3,
            "ranked_above": [1, 2],
            "missing_reviews": 0,
            "expected_reviews": 2,
        }
    }
    # The CSO is told, with the reason, in the portal and by email.
    notice = Notice.objects.get(kind="proposal_decided", object_id=str(third.pk))
    assert "เป็นองค์กรเดียวที่ทำงานในพื้นที่ห่างไกล" in notice.body
    mail.outbox.clear()
    send_notice_email(notice.pk)
    assert "เป็นองค์กรเดียวที่ทำงานในพื้นที่ห่างไกล" in mail.outbox[0].body


def test_once_those_above_are_decided_the_next_is_selected_without_a_reason(officer):
    _call, [first, second, third], _panel = ranked_call(officer)
    refusal(second, officer)

    proposal_services.proposal_reject(proposal=first, officer=officer, reason="งบประมาณสูงเกิน")
    select(second, officer)

    assert fresh(second).status == PS.SELECTED
    # The third is below the selected second, which is decided: no reason is asked.
    select(third, officer)
    assert fresh(third).status == PS.SELECTED


def test_a_withdrawn_proposal_above_does_not_hold_the_selection(officer):
    _call, [first, second, _third], _panel = ranked_call(officer)

    proposal_services.proposal_withdraw(proposal=first, user=first.cso.members.get())
    select(second, officer)

    assert fresh(second).status == PS.SELECTED


def test_equal_scores_share_the_rank_and_either_is_selected_without_a_reason(officer):
    _call, [one, other, _last], _panel = ranked_call(officer, scores=(4, 4, 2))

    select(other, officer)

    assert fresh(other).status == PS.SELECTED
    assert fresh(one).status == PS.SUBMITTED


def test_missing_reviews_need_a_reason(officer):
    _call, [first, second], [a, _b] = ranked_call(officer, scores=(5, None))
    score(second, a, 5)  # equal first now, but the second evaluator has not scored it

    message = refusal(second, officer)
    assert message.endswith("needs a written reason: 1 of 2 reviews is missing.")

    select(second, officer, reason="ผู้ประเมินคนที่สองลาป่วยยาว")
    assert audit_history(second).get(action="select").data["out_of_rank_order"] == {
        "rank": 1,
        "ranked_above": [],
        "missing_reviews": 1,
        "expected_reviews": 2,
    }
    assert fresh(first).status == PS.SUBMITTED


def test_an_unscored_proposal_is_below_every_scored_one(officer):
    _call, [_first, _second, unscored], _panel = ranked_call(officer, scores=(5, 4, None))

    assert refusal(unscored, officer) == (
        "Selecting this proposal needs a written reason: it has no score yet while the "
        "proposals ranked 1st and 2nd are not decided; 2 of 2 reviews are missing."
    )


def test_a_recused_evaluator_is_not_a_missing_review(officer):
    _call, [first, _second], [a, b] = ranked_call(officer, scores=(None, 3))
    score(first, a, 5)
    review_services.review_recuse(proposal=first, evaluator=b, reason="ญาติทำงานที่องค์กรนี้")

    select(first, officer)

    assert fresh(first).status == PS.SELECTED


def test_a_call_without_a_panel_selects_without_a_reason(officer):
    _call, [only], _panel = ranked_call(officer, scores=(None,), panel=0)

    select(only, officer)

    assert fresh(only).status == PS.SELECTED


def test_a_performance_contract_judges_the_presented_proposal_against_the_ranking(officer):
    call, [first, second], _panel = ranked_call(
        officer, scores=(5, 3), instrument="performance_contract"
    )
    proposal_services.proposal_shortlist(proposal=second, officer=officer)
    proposal_services.proposal_schedule_presentation(
        proposal=second,
        officer=officer,
        at=timezone.now() + datetime.timedelta(days=1),
        location="ห้องประชุม 2",
    )
    proposal_services.proposal_mark_presented(proposal=second, officer=officer)

    with pytest.raises(ValidationError) as exc:
        select(second, officer)
    assert "ranked 2nd while the proposal ranked 1st is not decided" in str(exc.value)
    assert call.pk == second.call_id and fresh(first).status == PS.SUBMITTED


# --- what is refused before the reason ------------------------------------------------------


@pytest.mark.parametrize("who", ["other_officer", "evaluator", "staff_admin", "approved_member"])
def test_only_the_calls_officers_select_whatever_the_reason(who, request, officer):
    _call, [_first, _second, third], _panel = ranked_call(officer)
    user = request.getfixturevalue(who)

    for reason in ("", "เหตุผล"):
        with pytest.raises(PermissionDenied):
            select(third, user, reason)
    assert fresh(third).status == PS.SUBMITTED


def test_a_decided_proposal_is_refused_for_its_status_not_for_the_reason(officer):
    _call, [first, second, _third], _panel = ranked_call(officer)
    proposal_services.proposal_reject(proposal=second, officer=officer, reason="ซ้ำซ้อน")

    with pytest.raises(InvalidTransition):
        select(second, officer)
    assert fresh(first).status == PS.SUBMITTED
