"""The three agreement workflows through the services, end to end, and every refusal: wrong
role, wrong order, tranche 2 before completion, short end notice, early settlement, a second
payment, and two releases at once."""

import datetime
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from assessments.evaluations import services as evaluation_services
from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement, MoneyMovement, Tranche
from portal.audit import audit_history
from portal.workflow import Conflict, InvalidTransition
from tests.factories import ApiClientFactory, award, selected_proposal, send_reports
from tests.helpers import at, fresh, member_of, officer_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
AS = Agreement.Status


# --- award ---------------------------------------------------------------------------------


def test_a_performance_contract_is_offered_with_80_20_tranches_and_two_evaluations():
    agreement = award(instrument="performance_contract", sign=False)

    assert agreement.status == AS.OFFERED
    assert agreement.kind == "performance_contract"
    assert agreement.number.startswith("PC-")
    assert agreement.amount == Decimal("190020.00")
    assert [(t.seq, t.share_percent, t.amount, t.status) for t in agreement.tranches.all()] == [
        (1, Decimal("80.00"), Decimal("152016.00"), "scheduled"),
        (2, Decimal("20.00"), Decimal("38004.00"), "scheduled"),
    ]
    assert [(e.kind, e.due_on) for e in agreement.evaluations.order_by("due_on")] == [
        ("midterm", datetime.date(2027, 7, 2)),
        ("final", datetime.date(2028, 3, 31)),
    ]
    assert [r.due_on for r in agreement.reports.all()] == [
        datetime.date(2027, 4, 1),
        datetime.date(2027, 7, 1),
        datetime.date(2027, 10, 1),
        datetime.date(2027, 12, 31),
    ]
    assert [r.action for r in audit_history(agreement)] == ["award"]


def test_a_grant_may_have_its_own_schedule_of_shares():
    agreement = award(terms={"shares": ["40", "30", "30"]}, sign=False)
    tranches = list(agreement.tranches.all())
    assert [t.amount for t in tranches] == [
        Decimal("76008.00"),
        Decimal("57006.00"),
        Decimal("57006.00"),
    ]
    assert sum(t.amount for t in tranches) == agreement.amount
    assert tranches[0].condition == "on_signing"
    assert tranches[1].condition == "on_schedule"


@pytest.mark.parametrize(
    ("shares", "message"),
    [(["50", "49"], "now 99"), (["100.001"], "2 decimal places"), (["0", "100"], "above zero")],
)
def test_shares_must_sum_to_100(shares, message):
    proposal = selected_proposal()
    with pytest.raises(ValidationError) as exc:
        agreement_services.agreement_award(
            proposal=proposal, officer=proposal.call.created_by, shares=shares
        )
    assert message in exc.value.message_dict["shares"][0]
    assert not Agreement.objects.exists()


def test_a_performance_contract_cannot_change_its_80_20():
    proposal = selected_proposal(instrument="performance_contract")
    with pytest.raises(ValidationError) as exc:
        agreement_services.agreement_award(
            proposal=proposal, officer=proposal.call.created_by, shares=["50", "50"]
        )
    assert "shares" in exc.value.message_dict


def test_only_a_selected_proposal_is_awarded_once_by_its_agency(other_officer):
    proposal = selected_proposal()
    with pytest.raises(PermissionDenied):
        agreement_services.agreement_award(proposal=proposal, officer=other_officer)
    agreement_services.agreement_award(proposal=proposal, officer=proposal.call.created_by)
    with pytest.raises(Conflict):
        agreement_services.agreement_award(proposal=proposal, officer=proposal.call.created_by)
    assert Agreement.objects.count() == 1


def test_an_agreement_cannot_be_for_more_than_requested():
    proposal = selected_proposal()
    with pytest.raises(ValidationError) as exc:
        agreement_services.agreement_award(
            proposal=proposal, officer=proposal.call.created_by, amount="190020.01"
        )
    assert "amount" in exc.value.message_dict


# --- signing ------------------------------------------------------------------------------


def test_signing_records_the_typed_name_the_account_and_the_time():
    agreement = award(sign=False)
    member = member_of(agreement)

    with pytest.raises(ValidationError) as exc:
        agreement_services.agreement_accept(
            agreement=agreement, user=member, signed_name="", confirm=False
        )
    assert set(exc.value.message_dict) == {"signed_name", "confirm"}

    agreement_services.agreement_accept(
        agreement=agreement, user=member, signed_name="  สมหญิง   ใจดี ", confirm=True
    )
    agreement = fresh(agreement)
    assert agreement.status == AS.ACTIVE
    assert (agreement.signed_name, agreement.signed_by) == ("สมหญิง ใจดี", member)
    assert agreement.signed_at is not None
    with pytest.raises(InvalidTransition):
        agreement_services.agreement_decline(agreement=agreement, user=member, reason="เปลี่ยนใจ")


def test_only_the_csos_members_sign_or_decline(other_member):
    agreement = award(sign=False)
    for user in (other_member, officer_of(agreement)):
        with pytest.raises(PermissionDenied):
            agreement_services.agreement_accept(
                agreement=agreement, user=user, signed_name="ใครก็ได้", confirm=True
            )
    agreement_services.agreement_decline(
        agreement=agreement, user=member_of(agreement), reason="ไม่พร้อม"
    )
    assert fresh(agreement).status == AS.DECLINED


def test_the_database_refuses_an_active_agreement_without_a_signature():
    agreement = award(sign=False)
    agreement.status = AS.ACTIVE
    with pytest.raises(IntegrityError), transaction.atomic():
        agreement.save(update_fields=["status"])


# --- the performance contract, end to end -----------------------------------------------


def test_a_performance_contract_from_offer_to_settlement(finance):
    agreement = award(instrument="performance_contract")
    officer, member = officer_of(agreement), member_of(agreement)
    first, last = agreement.tranches.all()

    agreement_services.tranche_release(tranche=first, officer=officer)
    agreement_services.tranche_pay(
        tranche=first, user=finance, payment_reference="GFMIS-0001", paid_on=timezone.localdate()
    )
    with pytest.raises(InvalidTransition) as exc:
        agreement_services.tranche_release(tranche=last, officer=officer)
    assert "delivery is complete" in exc.value.message
    assert "mid-term" in exc.value.message

    with time_machine.travel(at(2027, 7, 5)):
        report = agreement.reports.get(seq=1)
        agreement_services.report_submit(
            report=report,
            user=member,
            narrative="เยี่ยมบ้านครบ 60 ราย",
            indicators=[{"indicator": "ผู้สูงอายุที่ได้รับการเยี่ยมบ้าน", "actual": "60 คน"}],
            spent_to_date="90000.00",
        )
        agreement_services.report_accept(report=report, officer=officer)
        midterm = agreement.evaluations.get(kind="midterm")
        evaluation_services.evaluation_submit(
            evaluation=midterm, user=officer, score="82.50", findings="ดำเนินงานตามแผน"
        )
        with pytest.raises(InvalidTransition):  # still delivering
            agreement_services.tranche_release(tranche=last, officer=officer)

    with time_machine.travel(at(2027, 12, 31)):
        with pytest.raises(InvalidTransition) as exc:  # reports 2 and 3 are missing
            agreement_services.agreement_complete(agreement=agreement, officer=officer)
        assert exc.value.message == (
            "Progress report 2, due 1 July 2570 BE, has not been sent. "
            "Progress report 3, due 1 October 2570 BE, has not been sent."
        )
        send_reports(agreement, due_before=timezone.localdate())
        agreement_services.agreement_complete(agreement=agreement, officer=officer)
        agreement_services.tranche_release(tranche=last, officer=officer)
        agreement_services.tranche_pay(
            tranche=last, user=finance, payment_reference="GFMIS-0002", paid_on=timezone.localdate()
        )
        with pytest.raises(InvalidTransition) as exc:  # on the end date itself
            agreement_services.settlement_submit(
                agreement=agreement, user=member, spent_total="1.00"
            )
        assert "after the end date" in exc.value.message

    with time_machine.travel(at(2028, 2, 20)):
        settlement = agreement_services.settlement_submit(
            agreement=agreement, user=member, spent_total="180000.00", note="เหลือค่าวัสดุ"
        )
        assert (settlement.disbursed_total, settlement.spent_total, settlement.refund_due) == (
            Decimal("190020.00"),
            Decimal("180000.00"),
            Decimal("10020.00"),
        )
        with pytest.raises(InvalidTransition) as exc:
            agreement_services.agreement_settle(agreement=agreement, officer=officer)
        assert exc.value.message == (
            "Progress report 2, due 1 July 2570 BE, is not accepted (it is “Submitted”). "
            "Progress report 3, due 1 October 2570 BE, is not accepted (it is “Submitted”). "
            "Progress report 4, due 31 December 2570 BE, is not accepted (it is “Due”). "
            "Post-completion evaluation, due 31 March 2571 BE, is not recorded."
        )
        send_reports(agreement, due_before=timezone.localdate(), accept=True)
        final = agreement.evaluations.get(kind="final")
        evaluation_services.evaluation_submit(
            evaluation=final, user=officer, score="90", findings="บรรลุเป้าหมาย"
        )
        agreement_services.agreement_settle(agreement=agreement, officer=officer)

    agreement = fresh(agreement)
    assert agreement.status == AS.SETTLED
    assert MoneyMovement.objects.filter(tranche__agreement=agreement).count() == 4
    assert [r.action for r in audit_history(agreement)] == [
        "award",
        "sign",
        "complete",
        "settlement",
        "settle",
    ]
    paid = audit_history(first).get(action="pay")
    assert (paid.actor, paid.from_status, paid.to_status) == (finance, "released", "paid")
    assert paid.data["amount"] == "152016.00"


def test_nothing_is_released_before_signing_nor_by_the_wrong_people(other_officer, finance):
    agreement = award(instrument="performance_contract", sign=False)
    first = agreement.tranches.get(seq=1)
    with pytest.raises(InvalidTransition):
        agreement_services.tranche_release(tranche=first, officer=officer_of(agreement))
    for user in (other_officer, finance, member_of(agreement)):
        with pytest.raises(PermissionDenied):
            agreement_services.tranche_release(tranche=first, officer=user)
    assert not MoneyMovement.objects.exists()


def test_a_tranche_is_paid_once_by_the_finance_system_only(finance):
    agreement = award(instrument="performance_contract")
    first = agreement.tranches.get(seq=1)
    today = timezone.localdate()
    with pytest.raises(InvalidTransition):  # not released yet
        agreement_services.tranche_pay(
            tranche=first, user=finance, payment_reference="X", paid_on=today
        )
    agreement_services.tranche_release(tranche=first, officer=officer_of(agreement))

    no_payments = ApiClientFactory(scopes=["read"]).user
    for user in (officer_of(agreement), no_payments):
        with pytest.raises(PermissionDenied):
            agreement_services.tranche_pay(
                tranche=first, user=user, payment_reference="X", paid_on=today
            )
    with pytest.raises(ValidationError) as exc:
        agreement_services.tranche_pay(
            tranche=first,
            user=finance,
            payment_reference="",
            paid_on=today + datetime.timedelta(days=1),
        )
    assert set(exc.value.message_dict) == {"payment_reference", "paid_on"}

    agreement_services.tranche_pay(
        tranche=first, user=finance, payment_reference="GFMIS-1", paid_on=today
    )
    with pytest.raises(InvalidTransition):
        agreement_services.tranche_pay(
            tranche=first, user=finance, payment_reference="GFMIS-2", paid_on=today
        )
    assert fresh(first).payment_reference == "GFMIS-1"
    assert MoneyMovement.objects.filter(kind="payment").count() == 1


def test_the_ledger_refuses_a_second_payment_row():
    agreement = award(instrument="performance_contract")
    first = agreement.tranches.get(seq=1)
    MoneyMovement.objects.create(tranche=first, kind="release", amount=first.amount)
    with pytest.raises(IntegrityError), transaction.atomic():
        MoneyMovement.objects.create(tranche=first, kind="release", amount=first.amount)


@pytest.mark.django_db(transaction=True)
def test_two_releases_at_once_give_one_success_and_one_ledger_row():
    agreement = award(instrument="performance_contract")
    first = agreement.tranches.get(seq=1)
    officer = officer_of(agreement)
    start = threading.Barrier(2, timeout=10)
    outcomes = []

    def release():
        try:
            start.wait()
            outcomes.append(agreement_services.tranche_release(tranche=first, officer=officer))
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=release) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    done = [o for o in outcomes if isinstance(o, Tranche)]
    refused = [o for o in outcomes if not isinstance(o, Tranche)]
    assert len(done) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], InvalidTransition | Conflict), repr(refused[0])
    assert MoneyMovement.objects.filter(tranche=first, kind="release").count() == 1
    assert audit_history(first).filter(action="release").count() == 1


# --- grants --------------------------------------------------------------------------------


def test_a_grant_from_offer_to_reports_and_tranches_on_schedule(finance):
    agreement = award(terms={"shares": ["60", "40"], "report_every_months": 6})
    officer, member = officer_of(agreement), member_of(agreement)
    first, second = agreement.tranches.all()
    assert second.planned_on == datetime.date(2027, 7, 2)

    agreement_services.tranche_release(tranche=first, officer=officer)
    with pytest.raises(InvalidTransition) as exc:
        agreement_services.tranche_release(tranche=second, officer=officer)
    assert "planned for" in exc.value.message

    with time_machine.travel(at(2027, 7, 3)):
        with pytest.raises(InvalidTransition):  # released already
            agreement_services.tranche_release(tranche=first, officer=officer)
        agreement_services.tranche_release(tranche=second, officer=officer)
        report = agreement.reports.get(seq=1)
        assert report.due_on == datetime.date(2027, 7, 1)
        with pytest.raises(ValidationError) as exc:
            agreement_services.report_submit(
                report=report, user=member, narrative="", indicators="x", spent_to_date="-1"
            )
        assert set(exc.value.message_dict) == {"narrative", "indicators", "spent_to_date"}
        agreement_services.report_submit(
            report=report,
            user=member,
            narrative="ครึ่งปีแรก",
            indicators=[{"indicator": "ผู้สูงอายุที่ได้รับการเยี่ยมบ้าน", "actual": "55 คน"}],
            spent_to_date="100000.00",
        )
        report = fresh(report)
        assert report.indicators == [
            {
                "indicator": "ผู้สูงอายุที่ได้รับการเยี่ยมบ้าน",
                "target": "120 คน",
                "actual": "55 คน",
                "note": "",
            }
        ]
        with pytest.raises(ValidationError):
            agreement_services.report_return(report=report, officer=officer, comment="")
        agreement_services.report_return(report=report, officer=officer, comment="แนบภาพกิจกรรม")
        agreement_services.report_submit(
            report=report,
            user=member,
            narrative="ครึ่งปีแรก พร้อมภาพกิจกรรม",
            indicators=[],
            spent_to_date="100000.00",
        )
        agreement_services.report_accept(report=report, officer=officer)
    assert fresh(report).status == "accepted"
    assert [r.action for r in audit_history(report)] == ["submit", "return", "submit", "accept"]


def test_reports_are_the_csos_and_the_review_is_the_agencys(other_member):
    agreement = award()
    report = agreement.reports.get(seq=1)
    with pytest.raises(PermissionDenied):
        agreement_services.report_submit(
            report=report,
            user=officer_of(agreement),
            narrative="x",
            indicators=[],
            spent_to_date="0",
        )
    with pytest.raises(PermissionDenied):
        agreement_services.report_submit(
            report=report, user=other_member, narrative="x", indicators=[], spent_to_date="0"
        )
    with pytest.raises(InvalidTransition):  # nothing to accept yet
        agreement_services.report_accept(report=report, officer=officer_of(agreement))


# --- commissioning --------------------------------------------------------------------------


def test_commissioning_co_design_then_delivery_and_renewal():
    agreement = award(
        instrument="commissioning",
        sign=False,
        terms={
            "outcomes": "ผู้สูงอายุติดเตียงได้รับการดูแลต่อเนื่อง",
            "needs_assessment": "สำรวจผู้สูงอายุ 300 ครัวเรือน",
            "resources": "งบประมาณ 190,020 บาท บุคลากร 4 คน",
        },
    )
    officer, member = officer_of(agreement), member_of(agreement)
    assert agreement.number.startswith("CM-")
    assert [e.kind for e in agreement.evaluations.all()] == ["final"]  # a year-long partnership

    agreement_services.agreement_update_design(
        agreement=agreement,
        user=member,
        service_design="ผู้ดูแลเยี่ยมบ้านสัปดาห์ละครั้ง หน่วยงานส่งต่อผู้ป่วย",
        responsibilities=[
            {"task": "เยี่ยมบ้าน", "party": "cso"},
            {"task": "ส่งต่อโรงพยาบาล", "party": "agency"},
        ],
    )
    with pytest.raises(ValidationError):
        agreement_services.agreement_update_design(
            agreement=agreement, user=officer, responsibilities=[{"task": "x", "party": "mayor"}]
        )
    agreement_services.agreement_accept(
        agreement=agreement, user=member, signed_name="สมหญิง ใจดี", confirm=True
    )
    agreement_services.agreement_start_delivery(agreement=agreement, officer=officer)
    with pytest.raises(InvalidTransition):
        agreement_services.agreement_update_design(
            agreement=agreement, user=officer, service_design="ใหม่"
        )
    assert fresh(agreement).responsibilities[1] == {"task": "ส่งต่อโรงพยาบาล", "party": "agency"}

    agreement_services.agreement_renew(
        agreement=agreement, officer=officer, end_date=datetime.date(2029, 12, 31), reason="ผลดี"
    )
    agreement = fresh(agreement)
    assert (agreement.end_date, agreement.renewals) == (datetime.date(2029, 12, 31), 1)
    assert agreement.evaluations.get(kind="final").due_on == datetime.date(2030, 3, 31)
    assert agreement.reports.order_by("-seq").first().due_on == datetime.date(2029, 12, 31)


def test_start_delivery_needs_the_design_and_the_split():
    agreement = award(instrument="commissioning")
    agreement.service_design = ""
    agreement.save(update_fields=["service_design"])
    with pytest.raises(ValidationError):
        agreement_services.agreement_start_delivery(
            agreement=agreement, officer=officer_of(agreement)
        )


# --- ending ---------------------------------------------------------------------------------


def test_an_end_notice_needs_three_calendar_months():
    agreement = award(instrument="commissioning", terms={"end_date": datetime.date(2029, 12, 31)})
    officer = officer_of(agreement)
    with time_machine.travel(at(2027, 11, 30)):
        with pytest.raises(ValidationError) as exc, translation.override("th"):
            agreement_services.agreement_end_notice(
                agreement=agreement,
                officer=officer,
                end_date=datetime.date(2028, 2, 28),
                reason="ปรับแผนงบประมาณ",
            )
        # The earliest end date, in the Buddhist Era as people read it (no ISO date).
        assert "29 กุมภาพันธ์ พ.ศ. 2571" in exc.value.message_dict["end_date"][0]
        agreement_services.agreement_end_notice(
            agreement=agreement,
            officer=officer,
            end_date=datetime.date(2028, 2, 29),
            reason="ปรับแผนงบประมาณ",
        )
    agreement = fresh(agreement)
    assert (agreement.end_date, agreement.end_notice_on) == (
        datetime.date(2028, 2, 29),
        datetime.date(2027, 11, 30),
    )
    assert agreement.evaluations.get(kind="final").due_on == datetime.date(2028, 5, 29)
    due = agreement.reports.exclude(status="cancelled")
    assert not due.filter(due_on__gt=datetime.date(2028, 2, 29)).exists()
    assert due.order_by("-seq").first().due_on == datetime.date(2028, 2, 29)
    assert agreement.reports.filter(status="cancelled", cancel_reason="ปรับแผนงบประมาณ").exists()
    row = audit_history(agreement).get(action="end_notice")
    assert (row.actor, row.reason) == (officer, "ปรับแผนงบประมาณ")


def test_end_notice_refusals(other_officer, django_capture_on_commit_callbacks):
    agreement = award(sign=False)
    officer = officer_of(agreement)
    later = timezone.localdate() + datetime.timedelta(days=200)
    with pytest.raises(InvalidTransition):  # not signed yet
        agreement_services.agreement_end_notice(
            agreement=agreement, officer=officer, end_date=later, reason="x"
        )
    with pytest.raises(PermissionDenied):
        agreement_services.agreement_end_notice(
            agreement=agreement, officer=other_officer, end_date=later, reason="x"
        )
    with pytest.raises(ValidationError):
        agreement_services.agreement_end_notice(
            agreement=agreement, officer=officer, end_date=later, reason=""
        )


def test_termination_needs_a_reason_and_ends_everything(finance):
    agreement = award(instrument="performance_contract")
    officer = officer_of(agreement)
    with pytest.raises(ValidationError):
        agreement_services.agreement_terminate(agreement=agreement, officer=officer, reason=" ")
    agreement_services.agreement_terminate(agreement=agreement, officer=officer, reason="ผิดสัญญา")
    with pytest.raises(InvalidTransition):
        agreement_services.tranche_release(tranche=agreement.tranches.get(seq=1), officer=officer)


def test_the_officer_of_another_agency_and_a_stranger_officer_are_refused(other_officer):
    agreement = award()
    for action in (
        lambda: agreement_services.agreement_complete(agreement=agreement, officer=other_officer),
        lambda: agreement_services.agreement_terminate(
            agreement=agreement, officer=other_officer, reason="x"
        ),
        lambda: agreement_services.agreement_settle(agreement=agreement, officer=other_officer),
    ):
        with pytest.raises(PermissionDenied):
            action()
    assert fresh(agreement).status == AS.ACTIVE


def test_settlement_is_stated_once_and_only_after_the_end():
    agreement = award()
    member = member_of(agreement)
    with pytest.raises(InvalidTransition):
        agreement_services.settlement_submit(agreement=agreement, user=member, spent_total="10.00")
    with time_machine.travel(at(2028, 1, 15)):
        with pytest.raises(ValidationError):
            agreement_services.settlement_submit(
                agreement=agreement, user=member, spent_total="ten"
            )
        agreement_services.settlement_submit(agreement=agreement, user=member, spent_total="0.00")
        with pytest.raises(Conflict):
            agreement_services.settlement_submit(
                agreement=agreement, user=member, spent_total="1.00"
            )
    assert fresh(agreement).settlement.refund_due == Decimal("0.00")  # nothing was paid
