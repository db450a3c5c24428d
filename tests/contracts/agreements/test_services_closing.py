"""Completing and settling an agreement through the services, as an audit unit would sign them
off: delivery is not complete while a progress report due is missing, and an agreement is not
settled while a report due is not accepted, an evaluation the instrument needs is not
recorded or a released tranche is not paid. Every refusal names everything missing, with
Buddhist Era dates in Thai; the page, the API and the service ask the same function."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from assessments.evaluations import services as evaluation_services
from contracts.agreements import permissions, rules
from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement
from portal.audit import audit_history
from portal.workflow import InvalidTransition
from tests.factories import award, send_reports
from tests.helpers import at, fresh, member_of, officer_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
AS = Agreement.Status
END = datetime.date(2027, 12, 31)  # every factory agreement runs through 2027


def pay(agreement, seq, finance):
    tranche = agreement.tranches.get(seq=seq)
    agreement_services.tranche_release(tranche=tranche, officer=officer_of(agreement))
    agreement_services.tranche_pay(
        tranche=tranche,
        user=finance,
        payment_reference=f"GFMIS-{seq}",
        paid_on=timezone.localdate(),
    )


def record(agreement, kind):
    evaluation_services.evaluation_submit(
        evaluation=agreement.evaluations.get(kind=kind),
        user=officer_of(agreement),
        score="80",
        findings="ตามแผน",
    )


def state_settlement(agreement, spent):
    return agreement_services.settlement_submit(
        agreement=agreement, user=member_of(agreement), spent_total=spent
    )


# --- completion -------------------------------------------------------------------------------


def test_delivery_is_not_complete_while_a_report_due_is_missing():
    agreement = award()  # reports due 1 Apr, 1 Jul, 1 Oct and 31 Dec 2027
    officer = officer_of(agreement)
    with time_machine.travel(at(2027, 10, 2)):
        send_reports(agreement, due_before=datetime.date(2027, 4, 2))  # report 1 only
        with pytest.raises(InvalidTransition) as exc:
            agreement_services.agreement_complete(agreement=agreement, officer=officer)
        assert exc.value.message == (
            "Progress report 2, due 1 July 2570 BE, has not been sent. "
            "Progress report 3, due 1 October 2570 BE, has not been sent."
        )
        assert fresh(agreement).status == AS.ACTIVE
        assert [r.action for r in audit_history(agreement)] == ["award", "sign"]

        allowed, why = permissions.can_complete(officer, agreement)
        assert not allowed and str(why) == exc.value.message  # one answer, page and service
        assert why.problems == [
            "Progress report 2, due 1 July 2570 BE, has not been sent.",
            "Progress report 3, due 1 October 2570 BE, has not been sent.",
        ]

        send_reports(agreement, due_before=timezone.localdate())
        # Report 4, due on the end date, is not missing yet.
        agreement_services.agreement_complete(agreement=agreement, officer=officer)
    agreement = fresh(agreement)
    assert agreement.status == AS.COMPLETED
    assert audit_history(agreement).filter(action="complete", actor=officer).count() == 1


def test_a_returned_report_not_sent_again_is_missing_too():
    agreement = award()
    officer = officer_of(agreement)
    with time_machine.travel(at(2027, 4, 5)):
        send_reports(agreement, due_before=timezone.localdate())
        agreement_services.report_return(
            report=agreement.reports.get(seq=1), officer=officer, comment="แนบใบเสร็จ"
        )
        with pytest.raises(InvalidTransition) as exc:
            agreement_services.agreement_complete(agreement=agreement, officer=officer)
    assert exc.value.message == (
        "Progress report 1, due 1 April 2570 BE, was returned for changes and has not been "
        "sent again."
    )


def test_delivery_is_not_complete_before_the_start_and_the_refusal_says_when():
    agreement = award()
    with time_machine.travel(at(2026, 12, 31)), pytest.raises(InvalidTransition) as exc:
        agreement_services.agreement_complete(agreement=agreement, officer=officer_of(agreement))
    assert exc.value.message == (
        "Delivery cannot be complete before the agreement starts (1 January 2570 BE)."
    )
    with time_machine.travel(at(2027, 1, 1)):
        agreement_services.agreement_complete(agreement=agreement, officer=officer_of(agreement))
    assert fresh(agreement).status == AS.COMPLETED


def test_the_refusal_names_reports_in_thai_with_buddhist_era_dates():
    agreement = award()
    officer = officer_of(agreement)
    with (
        time_machine.travel(at(2027, 7, 2)),
        translation.override("th"),
        pytest.raises(InvalidTransition) as exc,
    ):
        agreement_services.agreement_complete(agreement=agreement, officer=officer)
    assert exc.value.message == (
        "รายงานความก้าวหน้าฉบับที่ 1 กำหนดส่ง 1 เมษายน พ.ศ. 2570 ยังไม่ได้ส่ง "
        "รายงานความก้าวหน้าฉบับที่ 2 กำหนดส่ง 1 กรกฎาคม พ.ศ. 2570 ยังไม่ได้ส่ง"
    )
    assert "2027" not in exc.value.message


def test_only_the_agencys_officer_completes(other_officer):
    agreement = award()
    with time_machine.travel(at(2027, 2, 1)):
        for user in (member_of(agreement), other_officer):
            with pytest.raises(PermissionDenied):
                agreement_services.agreement_complete(agreement=agreement, officer=user)
            allowed, why = permissions.can_complete(user, agreement)
            assert not allowed and not isinstance(why, permissions.Missing)
        assert permissions.can_complete(officer_of(agreement), agreement) == (True, "")
        agreement_services.agreement_complete(agreement=agreement, officer=officer_of(agreement))
    assert fresh(agreement).status == AS.COMPLETED


# --- settlement -------------------------------------------------------------------------------


def completed_contract(finance, *, midterm=True, release_last=True):
    """A performance contract completed on its end date: tranche 1 paid, every report due
    sent (none accepted), the mid-term recorded and tranche 2 released, unless told not."""
    agreement = award(instrument="performance_contract")
    pay(agreement, 1, finance)
    with time_machine.travel(at(2027, 12, 31)):
        if midterm:
            record(agreement, "midterm")
        send_reports(agreement, due_before=END)
        agreement_services.agreement_complete(agreement=agreement, officer=officer_of(agreement))
        if release_last:
            agreement_services.tranche_release(
                tranche=agreement.tranches.get(seq=2), officer=officer_of(agreement)
            )
    return fresh(agreement)


def test_an_early_settlement_is_refused_naming_everything_missing(finance):
    agreement = completed_contract(finance)
    officer = officer_of(agreement)
    with time_machine.travel(at(2028, 1, 10)):
        with pytest.raises(InvalidTransition) as exc:
            agreement_services.agreement_settle(agreement=agreement, officer=officer)
        released = agreement.tranches.get(seq=2).released_at
        assert released is not None
        assert exc.value.message == (
            "The organisation has not stated its settlement yet. "
            "Progress report 1, due 1 April 2570 BE, is not accepted (it is “Submitted”). "
            "Progress report 2, due 1 July 2570 BE, is not accepted (it is “Submitted”). "
            "Progress report 3, due 1 October 2570 BE, is not accepted (it is “Submitted”). "
            "Progress report 4, due 31 December 2570 BE, is not accepted (it is “Due”). "
            "Post-completion evaluation, due 31 March 2571 BE, is not recorded. "
            "Tranche 2 (38,004.00 baht), released on 31 December 2570 BE, is not paid."
        )
        allowed, why = permissions.can_settle(officer, agreement)
        assert not allowed and str(why) == exc.value.message
        assert len(why.problems) == 7
    assert fresh(agreement).status == AS.COMPLETED
    assert not audit_history(agreement).filter(action="settle").exists()


def test_the_settlement_refusal_in_thai_has_buddhist_era_dates(finance):
    agreement = completed_contract(finance, midterm=False, release_last=False)
    with time_machine.travel(at(2028, 1, 10)), translation.override("th"):
        problems = rules.settle_problems(agreement)
    assert problems == [
        "องค์กรยังไม่ได้แจ้งการชำระบัญชี",
        "รายงานความก้าวหน้าฉบับที่ 1 กำหนดส่ง 1 เมษายน พ.ศ. 2570 ยังไม่ได้รับการตรวจรับ "
        "(สถานะ “ส่งแล้ว รอตรวจรับ”)",
        "รายงานความก้าวหน้าฉบับที่ 2 กำหนดส่ง 1 กรกฎาคม พ.ศ. 2570 ยังไม่ได้รับการตรวจรับ "
        "(สถานะ “ส่งแล้ว รอตรวจรับ”)",
        "รายงานความก้าวหน้าฉบับที่ 3 กำหนดส่ง 1 ตุลาคม พ.ศ. 2570 ยังไม่ได้รับการตรวจรับ "
        "(สถานะ “ส่งแล้ว รอตรวจรับ”)",
        "รายงานความก้าวหน้าฉบับที่ 4 กำหนดส่ง 31 ธันวาคม พ.ศ. 2570 ยังไม่ได้รับการตรวจรับ (สถานะ “รอส่ง”)",
        "การประเมินผลระหว่างดำเนินการ กำหนด 2 กรกฎาคม พ.ศ. 2570 ยังไม่ได้บันทึกผล",
        "การประเมินผลหลังสิ้นสุดโครงการ กำหนด 31 มีนาคม พ.ศ. 2571 ยังไม่ได้บันทึกผล",
    ]


def test_reports_not_yet_due_do_not_hold_up_settlement(finance):
    """Only reports due before today count: a grant settled once its reports due are
    accepted, its settlement stated and its tranche paid; a grant needs no evaluation."""
    agreement = award()
    pay(agreement, 1, finance)
    with time_machine.travel(at(2027, 12, 31)):
        send_reports(agreement, due_before=END, accept=True)
        agreement_services.agreement_complete(agreement=agreement, officer=officer_of(agreement))
    with time_machine.travel(at(2028, 1, 15)):
        state_settlement(agreement, "190020.00")
        assert rules.settle_problems(agreement) == [
            "Progress report 4, due 31 December 2570 BE, is not accepted (it is “Due”)."
        ]
        send_reports(agreement, due_before=timezone.localdate(), accept=True)
        assert rules.settle_problems(fresh(agreement)) == []
        agreement_services.agreement_settle(agreement=agreement, officer=officer_of(agreement))
    assert fresh(agreement).status == AS.SETTLED


def test_only_the_agencys_officer_settles_once_nothing_is_missing(finance, other_officer):
    agreement = completed_contract(finance)
    officer = officer_of(agreement)
    with time_machine.travel(at(2028, 1, 10)):
        agreement_services.tranche_pay(
            tranche=agreement.tranches.get(seq=2),
            user=finance,
            payment_reference="GFMIS-2",
            paid_on=timezone.localdate(),
        )
        send_reports(agreement, due_before=timezone.localdate(), accept=True)
        record(agreement, "final")
        state_settlement(agreement, "180000.00")
        for user in (member_of(agreement), other_officer):
            with pytest.raises(PermissionDenied):
                agreement_services.agreement_settle(agreement=agreement, officer=user)
        assert permissions.can_settle(officer, fresh(agreement)) == (True, "")
        agreement_services.agreement_settle(agreement=agreement, officer=officer)
        with pytest.raises(InvalidTransition):
            agreement_services.agreement_settle(agreement=agreement, officer=officer)
    agreement = fresh(agreement)
    assert agreement.status == AS.SETTLED
    assert audit_history(agreement).filter(action="settle", actor=officer).count() == 1


# --- the uncovered amount -----------------------------------------------------------------------


def test_spending_beyond_what_was_paid_is_the_uncovered_amount(finance):
    agreement = award(terms={"shares": ["60", "40"]})
    pay(agreement, 1, finance)  # 114,012.00 of 190,020.00
    with time_machine.travel(at(2028, 1, 15)):
        settlement = state_settlement(agreement, "200000.00")
    assert (settlement.disbursed_total, settlement.refund_due, settlement.uncovered) == (
        Decimal("114012.00"),
        Decimal("0.00"),
        Decimal("85988.00"),
    )
    row = audit_history(agreement).get(action="settlement")
    assert row.data == {
        "disbursed_total": "114012.00",
        "spent_total": "200000.00",
        "refund_due": "0.00",
        "uncovered": "85988.00",
    }


def test_nothing_is_uncovered_when_spending_stays_within_what_was_paid(finance):
    agreement = award()
    pay(agreement, 1, finance)
    with time_machine.travel(at(2028, 1, 15)):
        settlement = state_settlement(agreement, "180000.00")
    assert (settlement.refund_due, settlement.uncovered) == (Decimal("10020.00"), Decimal("0.00"))


def test_a_payment_after_the_settlement_was_stated_brings_its_refund_up_to_date(finance):
    """The organisation states its settlement while tranche 2 is released but not yet paid;
    when the payment is recorded, the settlement counts it: what was disbursed and the refund
    due follow, the spending stated stays, and the change has its audit row."""
    agreement = completed_contract(finance)  # tranche 1 (152,016.00) paid, tranche 2 released
    with time_machine.travel(at(2028, 1, 10)):
        settlement = state_settlement(agreement, "180000.00")
        assert (settlement.disbursed_total, settlement.refund_due, settlement.uncovered) == (
            Decimal("152016.00"),
            Decimal("0.00"),
            Decimal("27984.00"),
        )
        agreement_services.tranche_pay(
            tranche=agreement.tranches.get(seq=2),
            user=finance,
            payment_reference="GFMIS-2",
            paid_on=timezone.localdate(),
        )
    settlement = fresh(agreement).settlement
    assert (settlement.disbursed_total, settlement.spent_total, settlement.refund_due) == (
        Decimal("190020.00"),
        Decimal("180000.00"),
        Decimal("10020.00"),
    )
    assert settlement.uncovered == Decimal("0.00")
    row = audit_history(agreement).get(action="settlement_restated")
    assert row.actor == finance
    assert row.data == {
        "disbursed_total": ["152016.00", "190020.00"],
        "refund_due": ["0.00", "10020.00"],
        "uncovered": "0.00",
    }


def test_a_payment_before_any_settlement_restates_nothing(finance):
    agreement = award()
    pay(agreement, 1, finance)
    assert not audit_history(agreement).filter(action="settlement_restated").exists()
