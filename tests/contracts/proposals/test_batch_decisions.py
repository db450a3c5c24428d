"""Batch decisions (issue 17, item 5): on a closed call the officer selects several proposals
and rejects others in one confirmed step, each with its reason (a shared reason for the
rejections, with per-proposal edits); all are decided or none, even when another officer
decides at the same moment."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from contracts.proposals import services
from contracts.proposals.models import Proposal
from portal.audit import audit_history
from portal.workflow import InvalidTransition
from tests.factories import ranked_call
from tests.helpers import run_together, text

pytestmark = pytest.mark.usefixtures("english")
PS = Proposal.Status


def _statuses(proposals):
    return [Proposal.objects.get(pk=p.pk).status for p in proposals]


@pytest.mark.django_db
def test_several_selected_and_the_rest_rejected_in_one_step(officer):
    call, (first, second, third), _panel = ranked_call(officer, scores=(5, 4, 3))
    done = services.proposals_decide(
        call=call, officer=officer,
        selected=[(second.pk, ""), (first.pk, "")],
        rejected=[(third.pk, "Outside the service area")],
    )  # fmt: skip
    assert done == {"selected": 2, "rejected": 1}
    assert _statuses([first, second, third]) == [PS.SELECTED, PS.SELECTED, PS.NOT_SELECTED]
    assert Proposal.objects.get(pk=third.pk).decision_reason == "Outside the service area"
    assert [e.action for e in audit_history(call)][-1] == "decide_batch"


@pytest.mark.django_db
def test_a_refused_decision_leaves_every_proposal_undecided(officer):
    call, (first, second, third), _panel = ranked_call(officer, scores=(5, 4, 3))
    # Selecting the third over an undecided second needs a reason: the whole step is refused.
    with pytest.raises(ValidationError) as refused:
        services.proposals_decide(
            call=call, officer=officer, selected=[(first.pk, ""), (third.pk, "")], rejected=[]
        )
    assert third.title in " ".join(refused.value.messages)
    assert _statuses([first, second, third]) == [PS.SUBMITTED] * 3
    # Rejecting the second in the same step puts the third in order: no reason needed.
    services.proposals_decide(
        call=call, officer=officer, selected=[(first.pk, ""), (third.pk, "")],
        rejected=[(second.pk, "Budget too high")],
    )  # fmt: skip
    assert _statuses([first, second, third]) == [PS.SELECTED, PS.NOT_SELECTED, PS.SELECTED]

    with pytest.raises(ValidationError):  # nothing chosen
        services.proposals_decide(call=call, officer=officer, selected=[], rejected=[])


@pytest.mark.django_db
def test_refusals(officer, approved_member):
    call, (first, second, _third), _panel = ranked_call(officer, scores=(5, 4, 3))
    with pytest.raises(PermissionDenied):
        services.proposals_decide(
            call=call, officer=approved_member, selected=[(first.pk, "")], rejected=[]
        )
    with pytest.raises(ValidationError):  # twice in one step
        services.proposals_decide(
            call=call, officer=officer, selected=[(first.pk, "")], rejected=[(first.pk, "x")]
        )
    with pytest.raises(ValidationError):  # a rejection without a reason
        services.proposals_decide(
            call=call, officer=officer, selected=[], rejected=[(second.pk, "")]
        )
    other, (elsewhere, *_rest), _p = ranked_call(officer, scores=(5, 4))
    with pytest.raises(ValidationError):  # not a proposal of this call
        services.proposals_decide(
            call=call, officer=officer, selected=[(elsewhere.pk, "")], rejected=[]
        )
    assert _statuses([first, second, elsewhere]) == [PS.SUBMITTED] * 3


@pytest.mark.django_db
def test_the_page_checks_then_confirms_and_the_api_decides(officer, api_as):
    call, (first, second, third), _panel = ranked_call(officer, scores=(5, 4, 3))
    boss = Client()
    boss.cookies["django_language"] = "en"
    boss.force_login(officer)
    page = f"/calls/{call.pk}/decide/"
    form = text(boss.get(page))
    assert first.title in form and "Shared reason for the rejections" in form
    choices = {
        f"decision-{first.pk}": "select", f"decision-{second.pk}": "reject",
        f"decision-{third.pk}": "reject", f"reason-{third.pk}": "Outside the service area",
    }  # fmt: skip
    no_reason = boss.post(page, choices)
    assert no_reason.status_code == 400 and "one shared reason" in text(no_reason)
    assert 'value="Outside the service area"' in no_reason.content.decode()  # kept
    check = boss.post(page, {**choices, "shared_reason": "Lower scores"})
    assert check.status_code == 200 and "Confirm these decisions" in text(check)
    assert _statuses([first, second, third]) == [PS.SUBMITTED] * 3  # nothing yet
    done = boss.post(page, {**choices, "shared_reason": "Lower scores", "confirmed": "1"})
    assert done.status_code == 302
    assert _statuses([first, second, third]) == [PS.SELECTED, PS.NOT_SELECTED, PS.NOT_SELECTED]
    reasons = [Proposal.objects.get(pk=p.pk).decision_reason for p in (second, third)]
    assert reasons == ["Lower scores", "Outside the service area"]

    call2, (a, b), _p = ranked_call(officer, scores=(5, 4))
    url = f"/api/v1/calls/{call2.pk}/decide/"
    body = {"selected": [{"proposal": a.pk}], "rejected": [{"proposal": b.pk, "reason": "x"}]}
    assert api_as(None).post(url, body, format="json").status_code == 401
    assert api_as(second.cso.members.get()).post(url, body, format="json").status_code == 403
    decided = api_as(officer).post(url, body, format="json")
    assert decided.status_code == 200 and decided.json() == {"selected": 1, "rejected": 1}
    again = api_as(officer).post(url, body, format="json")
    assert again.status_code == 409  # decided already


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_never_half_decide(officer):
    from tests.factories import OfficerFactory

    colleague = OfficerFactory(agency=officer.agency)
    call, (first, second, third), _panel = ranked_call(officer, scores=(5, 4, 3))

    def mine():
        return services.proposals_decide(
            call=call, officer=officer, selected=[(first.pk, ""), (second.pk, "")],
            rejected=[(third.pk, "Lower score")],
        )  # fmt: skip

    def theirs():
        return services.proposals_decide(
            call=call, officer=colleague, selected=[(first.pk, "")],
            rejected=[(second.pk, "Too costly"), (third.pk, "Too costly")],
        )  # fmt: skip

    outcomes = run_together(mine, theirs)
    won = [o for o in outcomes if isinstance(o, dict)]
    lost = [o for o in outcomes if not isinstance(o, dict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert isinstance(lost[0], InvalidTransition), repr(lost[0])
    statuses = _statuses([first, second, third])
    # Exactly one officer's whole batch, never a mix of the two.
    assert statuses in (
        [PS.SELECTED, PS.SELECTED, PS.NOT_SELECTED],
        [PS.SELECTED, PS.NOT_SELECTED, PS.NOT_SELECTED],
    ), statuses
    reasons = {Proposal.objects.get(pk=p.pk).decision_reason for p in (second, third)} - {""}
    assert reasons in ({"Lower score"}, {"Too costly"}), reasons
