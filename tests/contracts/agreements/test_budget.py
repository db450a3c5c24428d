"""A call's total budget: what all the agreements under it may add up to. An award that would
pass it is refused, even when two officers award at the same moment; a declined offer gives
its money back; the ranking page shows what is left as the officer selects."""

import datetime
import threading
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contracts.agreements import selectors as agreement_selectors
from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement
from contracts.calls import services as call_services
from contracts.proposals import services as proposal_services
from tests.factories import CallFactory, MissionFactory, OfficerFactory, ProposalFactory
from tests.helpers import assert_error, member_of, pause_after, run_together

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

REQUESTED = Decimal("190020.00")  # what ProposalFactory's budget lines add up to


def selected_under(call, n):
    """``n`` proposals sent to ``call``, the call closed, every one selected."""
    proposals = [ProposalFactory(call=call, status="submitted") for _ in range(n)]
    officer = call.created_by
    call_services.call_close(call=call, user=officer)
    return [proposal_services.proposal_select(proposal=p, officer=officer) for p in proposals]


def award(proposal, **terms):
    return agreement_services.agreement_award(
        proposal=proposal, officer=proposal.call.created_by, **terms
    )


def test_an_award_past_the_calls_total_is_refused_and_says_what_is_left():
    call = CallFactory(budget_ceiling=Decimal("200000.00"), budget_total=Decimal("300000.00"))
    first, second = selected_under(call, 2)
    award(first)

    with pytest.raises(ValidationError) as refused:
        award(second)

    assert refused.value.message_dict["amount"] == [
        "Only 109,980.00 baht of the call's total budget of 300,000.00 baht is left "
        "(190,020.00 baht is already awarded)."
    ]
    assert Agreement.objects.filter(proposal__call=call).count() == 1
    # For less, it fits.
    agreement = award(second, amount="109980.00")
    assert agreement.amount == Decimal("109980.00")
    assert agreement_selectors.call_budget(call).left == Decimal("0.00")


def test_a_declined_offer_gives_its_money_back_to_the_call():
    call = CallFactory(budget_ceiling=Decimal("200000.00"), budget_total=Decimal("300000.00"))
    first, second = selected_under(call, 2)
    offer = award(first)
    agreement_services.agreement_decline(
        agreement=offer, user=member_of(offer), reason="ไม่พร้อมดำเนินการ"
    )

    assert agreement_selectors.call_budget(call).awarded == Decimal("0.00")
    assert award(second).amount == REQUESTED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_award_checking_the_budget_holds_a_second_award_until_it_is_done(monkeypatch):
    call = CallFactory(budget_ceiling=Decimal("200000.00"), budget_total=Decimal("300000.00"))
    first, second = selected_under(call, 2)
    checked, other_done = threading.Event(), threading.Event()
    # The first award pauses after reading the budget; the second tries to slip in meanwhile.
    pause_after(monkeypatch, agreement_selectors, "call_budget", checked, other_done)

    def award_second():
        checked.wait(timeout=5)
        try:
            return award(second)
        finally:
            other_done.set()

    outcomes = run_together(lambda: award(first), award_second)

    assert isinstance(outcomes[0], Agreement), outcomes
    assert isinstance(outcomes[1], ValidationError), outcomes
    assert agreement_selectors.call_budget(call).awarded == REQUESTED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_awards_at_once_never_pass_the_total_together():
    for _ in range(4):
        call = CallFactory(budget_ceiling=Decimal("200000.00"), budget_total=Decimal("300000.00"))
        first, second = selected_under(call, 2)

        outcomes = run_together(partial(award, first), partial(award, second))

        agreements = [o for o in outcomes if isinstance(o, Agreement)]
        refusals = [o for o in outcomes if isinstance(o, ValidationError)]
        assert (len(agreements), len(refusals)) == (1, 1), outcomes
        assert agreement_selectors.call_budget(call).awarded == REQUESTED


# --- the call's terms ----------------------------------------------------------------------


def _terms(**overrides):
    now = timezone.now()
    terms = {
        "instrument": "grant",
        "title": "ทุนดูแลผู้สูงอายุ",
        "budget_ceiling": Decimal("300000.00"),
        "opens_at": now,
        "closes_at": now + datetime.timedelta(days=10),
        "costing_method": "per_person",
    }
    terms.update(overrides)
    return terms


def test_the_total_defaults_to_the_ceiling_and_follows_it_until_set_apart():
    officer = OfficerFactory()
    mission = MissionFactory(officer=officer)
    call = call_services.call_create(user=officer, mission=mission, **_terms())
    assert call.budget_total == Decimal("300000.00")

    call = call_services.call_update(call=call, user=officer, budget_ceiling="400000.00")
    assert call.budget_total == Decimal("400000.00")

    call = call_services.call_update(call=call, user=officer, budget_total="2000000.00")
    call = call_services.call_update(call=call, user=officer, budget_ceiling="500000.00")
    assert call.budget_total == Decimal("2000000.00")


def test_a_total_below_one_proposals_ceiling_is_refused():
    officer = OfficerFactory()
    mission = MissionFactory(officer=officer)

    with pytest.raises(ValidationError) as refused:
        call_services.call_create(user=officer, mission=mission, **_terms(budget_total="100000.00"))

    assert refused.value.message_dict == {
        "budget_total": [
            "The total budget cannot be less than what one proposal may ask for (300,000.00 baht)."
        ]
    }


def test_the_api_reads_and_checks_the_total(api_as):
    call = CallFactory(status="draft", budget_total=Decimal("1500000.00"))
    client = api_as(call.created_by, lang="en")

    assert client.get(f"/api/v1/calls/{call.pk}/").json()["budget_total"] == "1500000.00"
    response = client.patch(f"/api/v1/calls/{call.pk}/", {"budget_total": "1000.00"}, format="json")
    assert_error(response, 400, "validation_error", fields=["budget_total"])
    call.refresh_from_db()
    assert call.budget_total == Decimal("1500000.00")


def test_the_ranking_page_shows_what_is_left_once_the_selected_are_awarded(client):
    call = CallFactory(budget_ceiling=Decimal("200000.00"), budget_total=Decimal("300000.00"))
    first, second = selected_under(call, 2)
    award(first)
    client.force_login(call.created_by)

    page = client.get(reverse("call-ranking", args=[call.pk])).content.decode()

    assert "300,000.00" in page  # the total
    assert "190,020.00" in page  # awarded so far, and selected but not yet awarded
    assert "-80,040.00" in page  # 300,000 − 190,020 − 190,020
    assert "ข้อเสนอที่คัดเลือกแล้วขอเงินรวมเกินงบประมาณที่เหลือ" in page
