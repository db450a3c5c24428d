"""Two-stage calls (issue 17, item 2): organisations first send a short concept note (a
summary and a budget estimate); once the call closes, the officer invites the best to a
full proposal with a deadline and declines the rest with reasons; the invited full proposal
starts from its concept note, which the history keeps as version 1."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from contracts.calls import services as call_services
from contracts.calls.models import Call
from contracts.proposals import permissions, rules, selectors, services
from contracts.proposals.models import Proposal
from portal.audit import audit_history
from portal.models import Notice
from portal.workflow import InvalidTransition
from tests.factories import (
    CallFactory,
    EvaluatorFactory,
    ProposalFactory,
    complete_answers,
    concept_note,
    sample_file,
    two_stage_call,
)
from tests.helpers import fresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PS = Proposal.Status


def _due(days=10):
    return timezone.now() + datetime.timedelta(days=days)


def _complete_full(proposal):
    """The invited organisation completes the parts a full proposal adds, and sends it."""
    member = proposal.cso.members.first()
    answers = complete_answers(proposal.call)
    answers.pop("summary"), answers.pop("outcomes")
    proposal = services.proposal_update(proposal=proposal, user=member, **answers)
    for title in proposal.call.required_documents:
        services.proposal_document_add(
            proposal=proposal,
            user=member,
            title=title,
            upload=sample_file("registration.pdf", content_type="application/pdf"),
        )
    return services.proposal_submit(proposal=proposal, user=member)


def test_a_concept_note_has_two_parts_and_is_sent_with_an_estimate():
    call = CallFactory(stages=2)
    draft = concept_note(call=call, send=False, amount="420000.00")
    assert draft.stage == Proposal.Stage.CONCEPT
    assert rules.parts_of(draft) == ["summary", "estimate"]
    assert rules.part_states(draft) == {"summary": "completed", "estimate": "completed"}
    member = draft.cso.members.first()
    # A concept note has no budget lines; an estimate above the ceiling is refused.
    with pytest.raises(ValidationError) as refused:
        services.proposal_update(proposal=draft, user=member, budget_lines=[])
    assert "budget estimate" in refused.value.message_dict["budget_lines"][0]
    with pytest.raises(ValidationError) as refused:
        services.proposal_update(proposal=draft, user=member, requested_amount="900000.00")
    assert "ceiling" in refused.value.message_dict["requested_amount"][0]
    sent = services.proposal_submit(proposal=draft, user=member)
    assert sent.status == PS.CONCEPT_SENT and sent.reference
    assert fresh(sent).requested_amount == 420000
    assert Notice.objects.filter(recipient=member, kind="concept_received").count() == 1
    assert [e.action for e in audit_history(sent)][-1] == "submit_concept"


def test_a_one_stage_proposal_keeps_its_amount_from_the_lines():
    call = CallFactory()
    proposal = ProposalFactory(call=call)
    assert proposal.stage == Proposal.Stage.FULL
    with pytest.raises(ValidationError) as refused:
        services.proposal_update(
            proposal=proposal, user=proposal.cso.members.first(), requested_amount="1000.00"
        )
    assert "sum of the budget lines" in refused.value.message_dict["requested_amount"][0]


def test_invited_full_proposal_starts_from_the_concept_note_and_keeps_it_as_version_1(
    officer,
):
    call, (chosen, other) = two_stage_call(officer=officer)
    due = _due()
    invited = services.concept_invite(
        proposal=chosen, officer=officer, due_at=due, note="Add a volunteer training plan"
    )
    assert invited.status == PS.DRAFT and invited.stage == Proposal.Stage.FULL
    assert invited.full_due_at == due and invited.invitation_note.startswith("Add")
    # What the concept note said is where the full proposal starts.
    assert invited.summary == chosen.summary and invited.requested_amount == 350000
    version = invited.versions.get()
    assert (version.number, version.kind, version.stage) == (1, "concept", "concept")
    assert version.content["summary"] == chosen.summary
    assert rules.parts_of(invited) == rules.PARTS
    member = invited.cso.members.first()
    notice = Notice.objects.get(recipient=member, kind="concept_invited")
    assert "Add a volunteer training plan" in notice.body
    # The officer follows the invited draft; it cannot be deleted, only withdrawn.
    assert permissions.can_view_proposal(officer, invited)[0]
    assert not permissions.can_delete_draft(member, invited)[0]

    sent = _complete_full(invited)
    assert sent.status == PS.SUBMITTED
    assert sent.requested_amount == 190020  # now the sum of its budget lines


def test_a_concept_note_is_declined_with_a_reason(officer):
    call, (note, _other) = two_stage_call(officer=officer)
    with pytest.raises(ValidationError):
        services.concept_decline(proposal=note, officer=officer, reason=" ")
    declined = services.concept_decline(
        proposal=note, officer=officer, reason="Outside the call's provinces"
    )
    assert declined.status == PS.NOT_SELECTED and declined.stage == Proposal.Stage.CONCEPT
    notice = Notice.objects.get(recipient=note.cso.members.first(), kind="concept_declined")
    assert "Outside the call's provinces" in notice.body
    # Declined is final: it cannot be invited afterwards.
    with pytest.raises(InvalidTransition):
        services.concept_invite(proposal=note, officer=officer, due_at=_due())


def test_refusals(officer, approved_member, other_officer):
    call, (note, _other) = two_stage_call(officer=officer, close=False)
    with pytest.raises(InvalidTransition):  # the call is still open
        services.concept_invite(proposal=note, officer=officer, due_at=_due())
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(PermissionDenied):
        services.concept_invite(proposal=note, officer=approved_member, due_at=_due())
    with pytest.raises(PermissionDenied):
        services.concept_invite(proposal=note, officer=other_officer, due_at=_due())
    for due in (None, timezone.now() + datetime.timedelta(hours=2), _due(400)):
        with pytest.raises(ValidationError) as refused:
            services.concept_invite(proposal=note, officer=officer, due_at=due)
        assert "due_at" in refused.value.message_dict
    assert fresh(note).status == PS.CONCEPT_SENT
    one_stage = CallFactory(officer=officer)
    full = ProposalFactory(call=one_stage, status="submitted")
    Call.objects.filter(pk=one_stage.pk).update(status=Call.Status.CLOSED)
    with pytest.raises(InvalidTransition) as refused:
        services.concept_invite(proposal=full, officer=officer, due_at=_due())
    assert "two stages" in refused.value.message


def test_a_full_proposal_cannot_be_sent_after_its_deadline(officer):
    call, (note, _other) = two_stage_call(officer=officer)
    invited = services.concept_invite(proposal=note, officer=officer, due_at=_due(2))
    assert invited.is_taking_submission()
    with time_machine.travel(_due(3)):
        assert not fresh(invited).is_taking_submission()
        with pytest.raises(InvalidTransition) as refused:
            _complete_full(invited)
        assert "was due by" in refused.value.message


def test_decisions_on_full_proposals_wait_for_every_concept_and_invitation(officer):
    call, (first, second, third) = two_stage_call(officer=officer, notes=3)
    first = _complete_full(services.concept_invite(proposal=first, officer=officer, due_at=_due(2)))
    # A concept note still unanswered: no full proposal is judged yet.
    with pytest.raises(InvalidTransition) as refused:
        services.proposal_select(proposal=first, officer=officer, reason="Strong plan")
    assert "concept note" in refused.value.message
    services.concept_decline(proposal=third, officer=officer, reason="Too small a reach")
    services.concept_invite(proposal=second, officer=officer, due_at=_due(2))
    # The second organisation may still send its full proposal.
    with pytest.raises(InvalidTransition) as refused:
        services.proposal_select(proposal=first, officer=officer, reason="Strong plan")
    assert "until" in refused.value.message
    with time_machine.travel(_due(3)):
        selected = services.proposal_select(proposal=first, officer=officer, reason="Strong plan")
        assert selected.status == PS.SELECTED
        # The invited draft that was never sent does not hold the award back.
        assert fresh(call).status == Call.Status.AWARDED


def test_evaluators_score_full_proposals_only(officer):
    evaluator = EvaluatorFactory()
    call, (note, declined) = two_stage_call(officer=officer)
    call_services.call_assign_evaluators(call=call, user=officer, usernames=[evaluator.username])
    assert not permissions.can_view_proposal(evaluator, note)[0]
    services.concept_decline(proposal=declined, officer=officer, reason="Not this time")
    full = _complete_full(services.concept_invite(proposal=note, officer=officer, due_at=_due()))
    assert permissions.can_view_proposal(evaluator, full)[0]
    visible = set(selectors.proposals_visible_to(evaluator).values_list("pk", flat=True))
    assert visible == {full.pk}


def test_several_concept_notes_answered_at_once_or_none(officer):
    call, (first, second, third) = two_stage_call(officer=officer, notes=3)
    services.concept_decline(proposal=third, officer=officer, reason="Already answered")
    with pytest.raises(InvalidTransition) as refused:
        services.concepts_decide(
            call=call, officer=officer, due_at=_due(),
            invited=[(first.pk, "")], declined=[(third.pk, "Again")],
        )  # fmt: skip
    assert third.title in refused.value.message
    assert fresh(first).status == PS.CONCEPT_SENT  # nothing half done
    done = services.concepts_decide(
        call=call, officer=officer, due_at=_due(),
        invited=[(first.pk, "Keep the budget")], declined=[(second.pk, "Overlaps another")],
    )  # fmt: skip
    assert done == {"invited": 1, "declined": 1}
    assert (fresh(first).status, fresh(second).status) == (PS.DRAFT, PS.NOT_SELECTED)
    assert [e.action for e in audit_history(call)][-1] == "answer_concepts"
    with pytest.raises(ValidationError):  # invitations need a deadline
        services.concepts_decide(call=call, officer=officer, invited=[(third.pk, "")], declined=[])


def test_cancelling_the_call_answers_the_waiting_concept_notes(officer):
    call, (note, _other) = two_stage_call(officer=officer)
    call_services.call_cancel(call=call, user=officer, reason="Budget withdrawn")
    assert fresh(note).status == PS.NOT_SELECTED
