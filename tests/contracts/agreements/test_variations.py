"""Variations (issue 17, item 7): either side of a running agreement proposes a change
(amount, period, scope, targets, tranche dates) with a reason; the other side agrees (the
organisation's signatory signs) or declines. An agreed variation changes the agreement,
re-plans the tranches still to be released so they sum to the new amount exactly, moves
what is scheduled after a new end date, and respects the call's budget."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contracts.agreements import services
from contracts.agreements.models import Tranche, Variation
from contracts.calls import services as call_services
from contracts.proposals import services as proposal_services
from portal.audit import audit_history
from portal.models import Notice
from portal.workflow import Conflict, InvalidTransition
from tests.factories import CallFactory, MemberFactory, ProposalFactory, award
from tests.helpers import fresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
VS = Variation.Status


@pytest.fixture
def running():
    """An active grant of 190,020.00 in two tranches (60 % released, 40 % scheduled),
    2027-01-01 to 2027-12-31, under a call with 5,000,000 in all."""
    agreement = award(terms={"shares": ["60", "40"]})
    officer = agreement.proposal.call.created_by
    services.tranche_release(tranche=agreement.tranches.get(seq=1), officer=officer)
    return fresh(agreement), officer, agreement.cso.members.get()


def test_the_agency_proposes_and_the_signatory_signs_the_new_amount(running):
    agreement, officer, signatory = running
    variation = services.variation_propose(
        agreement=agreement, user=officer, reason="ขยายพื้นที่บริการ", amount="250000.00",
        scope="ขยายบริการไปอีกสองตำบล",
    )  # fmt: skip
    assert variation.number == 1 and variation.status == VS.PROPOSED
    assert variation.proposed_side == "agency"
    assert variation.changes == {"amount": "250000.00", "scope": "ขยายบริการไปอีกสองตำบล"}
    assert Notice.objects.filter(recipient=signatory, kind="variation_proposed").count() == 1
    assert fresh(agreement).amount == Decimal("190020.00")  # nothing changes until agreed
    with pytest.raises(PermissionDenied):  # the proposer does not answer itself
        services.variation_agree(variation=variation, user=officer, confirm=True)
    with pytest.raises(ValidationError) as refused:
        services.variation_agree(variation=variation, user=signatory, signed_name="", confirm=True)
    assert "signed_name" in refused.value.message_dict

    agreed = services.variation_agree(
        variation=variation, user=signatory, signed_name="สมหญิง ใจดี", confirm=True
    )
    assert agreed.status == VS.AGREED and agreed.signed_name == "สมหญิง ใจดี"
    assert agreed.previous["amount"] == "190020.00"
    agreement = fresh(agreement)
    assert agreement.amount == Decimal("250000.00") and agreement.scope == "ขยายบริการไปอีกสองตำบล"
    first, second = agreement.tranches.order_by("seq")
    # The released tranche stays; the scheduled one takes the rest, to the satang.
    assert first.amount == Decimal("114012.00") and first.status == Tranche.Status.RELEASED
    assert second.amount == Decimal("135988.00")
    assert first.amount + second.amount == agreement.amount
    assert first.share_percent + second.share_percent == 100
    assert [row.action for row in audit_history(agreement)][-1] == "vary"
    assert [row.action for row in audit_history(second)][-1] == "replan"
    assert Notice.objects.filter(recipient=officer, kind="variation_agreed").count() == 1


def test_the_organisation_proposes_a_later_end_and_the_officer_agrees(running):
    agreement, officer, signatory = running
    member = MemberFactory(cso=agreement.cso)  # not the signatory
    with pytest.raises(PermissionDenied):
        services.variation_propose(
            agreement=agreement, user=member, reason="x", end_date=datetime.date(2028, 3, 31)
        )
    variation = services.variation_propose(
        agreement=agreement, user=signatory, reason="ฝนตกหนักทำให้กิจกรรมล่าช้า",
        end_date=datetime.date(2028, 3, 31),
        tranches=[{"seq": 2, "planned_on": datetime.date(2028, 1, 15)}],
    )  # fmt: skip
    assert variation.proposed_side == "cso"
    with pytest.raises(Conflict):  # one waiting at a time
        services.variation_propose(
            agreement=agreement, user=officer, reason="อีกฉบับ", scope="ขอบเขตใหม่"
        )
    with pytest.raises(PermissionDenied):  # only the agency answers the organisation's
        services.variation_agree(variation=variation, user=signatory, confirm=True)
    services.variation_agree(variation=variation, user=officer, confirm=True)
    agreement = fresh(agreement)
    assert agreement.end_date == datetime.date(2028, 3, 31)
    assert agreement.tranches.get(seq=2).planned_on == datetime.date(2028, 1, 15)
    # What is scheduled follows the longer period: reports reach the new end.
    due = sorted(r.due_on for r in agreement.reports.filter(status="due"))
    assert due[-1] == datetime.date(2028, 3, 31)


def test_declined_or_withdrawn_nothing_changes(running):
    agreement, officer, signatory = running
    variation = services.variation_propose(
        agreement=agreement, user=officer, reason="ลดขอบเขต", scope="ขอบเขตเล็กลง"
    )
    with pytest.raises(ValidationError):
        services.variation_decline(variation=variation, user=signatory, reason="")
    declined = services.variation_decline(
        variation=variation, user=signatory, reason="ขอบเขตเดิมจำเป็น"
    )
    assert declined.status == VS.DECLINED and fresh(agreement).scope != "ขอบเขตเล็กลง"
    notice = Notice.objects.get(recipient=officer, kind="variation_declined")
    assert "ขอบเขตเดิมจำเป็น" in notice.body
    again = services.variation_propose(
        agreement=agreement, user=officer, reason="ลองใหม่", scope="ขอบเขตใหม่"
    )
    assert again.number == 2
    with pytest.raises(PermissionDenied):
        services.variation_withdraw(variation=again, user=signatory)
    assert services.variation_withdraw(variation=again, user=officer).status == VS.WITHDRAWN


def test_the_amount_respects_the_released_money_and_the_calls_budget(running):
    agreement, officer, signatory = running
    for amount, words in [
        ("100000.00", "more than the 114,012.00 baht already released"),
        # Exactly what was released would leave the scheduled tranche with no share.
        ("114012.00", "each tranche still to be released carries a share"),
        ("6000000.00", "The call's budget has"),
        ("abc", "baht"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.variation_propose(
                agreement=agreement, user=officer, reason="ปรับ", amount=amount
            )
        assert words in " ".join(refused.value.message_dict["amount"]), amount
    with pytest.raises(ValidationError) as refused:  # nothing new
        services.variation_propose(
            agreement=agreement, user=officer, reason="ปรับ", amount="190020.00"
        )
    assert "changes" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.variation_propose(
            agreement=agreement, user=officer, reason="ปรับ",
            end_date=datetime.date(2020, 1, 1),
        )  # fmt: skip
    assert "end_date" in refused.value.message_dict


def test_the_budget_is_checked_again_when_agreed():
    """Proposed within the call's budget; a second award takes the room meanwhile; agreeing
    is then refused and nothing changes."""
    call = CallFactory(budget_total="500000.00")
    first, second = (ProposalFactory(call=call, status="submitted") for _ in range(2))
    officer = call.created_by
    call_services.call_close(call=call, user=officer)
    for proposal in (first, second):
        proposal_services.proposal_select(proposal=proposal, officer=officer, reason="ดี")
    agreement = services.agreement_award(proposal=first, officer=officer)
    signatory = first.cso.members.get()
    agreement = services.agreement_accept(
        agreement=agreement, user=signatory, signed_name="สมหญิง ใจดี", confirm=True
    )
    variation = services.variation_propose(
        agreement=agreement, user=officer, reason="เพิ่มงบ", amount="400000.00"
    )  # 209,980 more, with 309,980 left
    services.agreement_award(proposal=second, officer=officer)  # now 119,960 left
    with pytest.raises(ValidationError) as refused:
        services.variation_agree(
            variation=variation, user=signatory, signed_name="สมหญิง ใจดี", confirm=True
        )
    assert "119,960.00 baht left" in refused.value.message_dict["amount"][0]
    assert fresh(variation).status == VS.PROPOSED
    assert fresh(agreement).amount == Decimal("190020.00")


def test_only_a_running_agreement_is_varied():
    offered = award(sign=False)
    with pytest.raises(InvalidTransition):
        services.variation_propose(
            agreement=offered, user=offered.proposal.call.created_by, reason="x", scope="y"
        )


def test_web_propose_keep_what_was_typed_then_sign(client, running):
    from django.conf import settings

    from tests.helpers import text

    agreement, officer, signatory = running
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(officer)
    url = f"/agreements/{agreement.pk}/variations/"
    assert "Variations of the agreement" in text(client.get(f"/agreements/{agreement.pk}/"))
    page = text(client.get(url))
    assert "This agreement has no variation." in page and "Propose a variation" in page
    refused = client.post(
        url, {"action": "propose", "propose-amount": "6000000", "propose-reason": "เพิ่มงบ"}
    )
    assert refused.status_code == 400
    assert "The call's budget has" in text(refused)
    assert 'value="6000000"' in refused.content.decode()
    done = client.post(
        url,
        {"action": "propose", "propose-amount": "200,000.00 บาท", "propose-reason": "เพิ่มงบ",
         "propose-scope": "เพิ่มกิจกรรมอบรม"},
        follow=True,
    )  # fmt: skip
    page = text(done)
    assert "The variation was proposed" in page and "Variation 1" in page
    assert "190,020.00" in page and "200,000.00" in page  # before and after
    assert "Sign and agree" not in page  # the agency does not answer its own

    client.force_login(signatory)
    page = text(client.get(url))
    assert "Variation 1 waits for your answer" in page and "Sign and agree" in page
    unsigned = client.post(url, {"action": "agree", "agree-confirm": "on"})
    assert unsigned.status_code == 400 and "Type your full name to sign." in text(unsigned)
    signed = client.post(
        url,
        {"action": "agree", "agree-signed_name": "สมหญิง ใจดี", "agree-confirm": "on"},
        follow=True,
    )
    page = text(signed)
    assert "The variation was agreed" in page and "Signed for the organisation by สมหญิง ใจดี" in page
    assert fresh(agreement).amount == Decimal("200000.00")


def test_a_later_start_must_take_the_scheduled_tranches_with_it():
    """Before the period begins, the start may move; a tranche still planned before it is
    named, and moving it with the variation is accepted."""
    agreement = award(sign=True, terms={"shares": ["60", "40"]})
    officer = agreement.proposal.call.created_by
    second = agreement.tranches.get(seq=2)
    assert second.planned_on is not None and second.planned_on < datetime.date(2027, 12, 1)
    with pytest.raises(ValidationError) as refused:
        services.variation_propose(
            agreement=agreement, user=officer, reason="เลื่อนเริ่ม",
            start_date=datetime.date(2027, 12, 1),
        )  # fmt: skip
    assert "Tranche 2 is planned outside the new period" in " ".join(
        refused.value.message_dict["tranches"]
    )
    variation = services.variation_propose(
        agreement=agreement, user=officer, reason="เลื่อนเริ่ม",
        start_date=datetime.date(2027, 12, 1),
        tranches=[
            {"seq": 1, "planned_on": datetime.date(2027, 12, 1)},
            {"seq": 2, "planned_on": datetime.date(2027, 12, 20)},
        ],
    )  # fmt: skip
    assert variation.changes["start_date"] == "2027-12-01"
