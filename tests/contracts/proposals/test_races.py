"""A proposal submitted while its call is being cancelled: submitting locks the call first, as
cancelling does, so a proposal is either refused or, if it came first, decided with the
cancellation; none is left submitted under a cancelled call. Run with threads on
PostgreSQL, once with the worst interleaving forced and many times freely."""

import threading

import pytest

from contracts.calls import services as call_services
from contracts.calls.models import Call
from contracts.proposals import services as proposal_services
from contracts.proposals.models import Proposal
from portal.audit import audit_history
from portal.workflow import InvalidTransition
from tests.factories import CallFactory, ProposalFactory
from tests.helpers import pause_after, run_together

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("english")]

ROUNDS = 12


def _assert_none_left_waiting(call, outcomes):
    call.refresh_from_db()
    assert call.status == Call.Status.CANCELLED, outcomes
    waiting = call.proposals.filter(status__in=Proposal.IN_REVIEW)
    assert not waiting.exists(), (list(waiting.values_list("status", flat=True)), outcomes)
    for outcome in outcomes:
        assert isinstance(outcome, Proposal | Call | InvalidTransition), repr(outcome)


@pytest.mark.django_db(transaction=True)
def test_a_submit_in_progress_holds_a_cancellation_until_it_is_done(monkeypatch):
    call = CallFactory()
    proposal = ProposalFactory(call=call)
    member = proposal.cso.members.get()
    checked, cancelled = threading.Event(), threading.Event()
    # The submit pauses after its eligibility check; the cancellation tries to slip in.
    pause_after(monkeypatch, proposal_services, "eligibility_problems", checked, cancelled)

    def submit():
        return proposal_services.proposal_submit(proposal=proposal, user=member)

    def cancel():
        checked.wait(timeout=5)
        try:
            return call_services.call_cancel(call=call, user=call.created_by, reason="งบถูกตัด")
        finally:
            cancelled.set()

    outcomes = run_together(submit, cancel)
    assert isinstance(outcomes[0], Proposal), outcomes
    assert isinstance(outcomes[1], Call), outcomes
    _assert_none_left_waiting(call, outcomes)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.NOT_SELECTED
    assert "งบถูกตัด" in proposal.decision_reason


@pytest.mark.django_db(transaction=True)
def test_submits_and_a_cancellation_at_once_leave_no_proposal_waiting():
    for _ in range(ROUNDS):
        call = CallFactory()
        proposals = [ProposalFactory(call=call) for _ in range(2)]
        start = threading.Barrier(3, timeout=10)

        def submitter(proposal, start=start):
            member = proposal.cso.members.get()

            def submit():
                start.wait()
                return proposal_services.proposal_submit(proposal=proposal, user=member)

            return submit

        def cancel(call=call, start=start):
            start.wait()
            return call_services.call_cancel(call=call, user=call.created_by, reason="งบถูกตัด")

        _assert_none_left_waiting(call, run_together(*(submitter(p) for p in proposals), cancel))


@pytest.mark.django_db(transaction=True)
def test_an_answer_and_the_questions_withdrawn_at_once_leave_one_outcome():
    """The organisation sends its answer while the officer withdraws the questions: one
    wins, the other is refused; the request is answered or withdrawn, never both, and the
    proposal is back in review once."""
    import datetime

    from django.utils import timezone

    from contracts.proposals.models import InformationRequest
    from tests.factories import OfficerFactory, make_call

    for _ in range(ROUNDS // 2):
        officer = OfficerFactory()
        _call, (proposal,) = make_call(officer, n=1)
        proposal_services.proposal_request_information(
            proposal=proposal, officer=officer, questions="?", parts=["summary"],
            reply_by=timezone.now() + datetime.timedelta(days=3),
        )  # fmt: skip
        member = proposal.cso.members.get()
        proposal_services.proposal_update(proposal=proposal, user=member, summary="ฉบับแก้")
        proposal = Proposal.objects.get(pk=proposal.pk)
        start = threading.Barrier(2, timeout=10)

        def answer(proposal=proposal, member=member, start=start):
            start.wait()
            return proposal_services.proposal_submit(
                proposal=proposal, user=member, answer="ตอบแล้ว"
            )

        def withdraw(proposal=proposal, officer=officer, start=start):
            start.wait()
            return proposal_services.information_request_cancel(
                proposal=proposal, officer=officer, reason="ถามผิด"
            )

        outcomes = run_together(answer, withdraw)
        refused = [o for o in outcomes if isinstance(o, InvalidTransition)]
        assert len(refused) == 1, outcomes
        request = InformationRequest.objects.get(proposal=proposal)
        proposal.refresh_from_db()
        assert proposal.status == Proposal.Status.SUBMITTED
        if isinstance(outcomes[0], Proposal):  # answered: the change stays
            assert request.answered_at and not request.cancelled_at
            assert proposal.summary == "ฉบับแก้"
        else:  # withdrawn: put back as it was sent
            assert request.cancelled_at and not request.answered_at
            assert proposal.summary != "ฉบับแก้"
        actions = [row.action for row in audit_history(proposal)]
        assert actions.count("resubmit") + actions.count("cancel_information_request") == 1
