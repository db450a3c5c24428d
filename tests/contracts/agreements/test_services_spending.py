"""What a progress report says was spent, through the services: never more than the
agreement's amount; more than was paid so far is accepted and flagged to the officer; less
than the previous report said only with a written explanation, kept in the audit row."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from contracts.agreements import rules
from contracts.agreements import services as agreement_services
from contracts.agreements.models import ProgressReport
from portal.audit import audit_history
from tests.factories import award
from tests.helpers import at, fresh, member_of, officer_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# A grant of 190,020.00 baht in two tranches: 114,012.00 on signing, 76,008.00 from 2 July 2027.
SHARES = {"shares": ["60", "40"]}


def send(report, spent, explanation="", user=None):
    return agreement_services.report_submit(
        report=report,
        user=user or member_of(report.agreement),
        narrative="เยี่ยมบ้านผู้สูงอายุ",
        indicators=[],
        spent_to_date=spent,
        spending_explanation=explanation,
    )


def pay(agreement, seq, finance):
    tranche = agreement.tranches.get(seq=seq)
    agreement_services.tranche_release(tranche=tranche, officer=officer_of(agreement))
    agreement_services.tranche_pay(
        tranche=tranche,
        user=finance,
        payment_reference=f"GFMIS-{seq}",
        paid_on=timezone.localdate(),
    )


def report(agreement, seq):
    return agreement.reports.get(seq=seq)


def submit_row(report):
    return audit_history(report).filter(action="submit").last()


# --- never more than the agreement's amount --------------------------------------------


def test_spending_above_the_agreements_amount_is_refused_on_its_field():
    agreement = award()
    first = report(agreement, 1)
    with pytest.raises(ValidationError) as exc:
        send(first, "190020.01")
    assert exc.value.message_dict == {
        "spent_to_date": [
            "The amount spent cannot be more than the agreement's amount (190,020.00 baht)."
        ]
    }
    assert fresh(first).status == ProgressReport.Status.DUE
    assert not audit_history(first).exists()

    send(first, "190020.00")  # the whole amount is fine
    assert fresh(first).spent_to_date == Decimal("190020.00")


def test_the_refusal_is_in_thai_for_a_thai_reader():
    from django.utils import translation

    agreement = award()
    with translation.override("th"), pytest.raises(ValidationError) as exc:
        send(report(agreement, 1), "200000")
    assert exc.value.message_dict["spent_to_date"] == [
        "ยอดใช้จ่ายต้องไม่เกินวงเงินตามข้อตกลง (190,020.00 บาท)"
    ]


# --- more than was paid: accepted, flagged -------------------------------------------------


def test_spending_above_what_was_paid_is_accepted_and_flagged(finance):
    agreement = award(terms=SHARES)
    pay(agreement, 1, finance)  # 114,012.00 paid
    first = send(report(agreement, 1), "150000.00")

    assert first.status == ProgressReport.Status.SUBMITTED
    agreement = fresh(agreement)
    first = report(agreement, 1)
    assert rules.report_overspent_by(first, agreement) == Decimal("35988.00")
    assert rules.overspending_note(first, agreement) == (
        "Spent more than was paid: spent 150,000.00 of 114,012.00 paid when the report was "
        "sent (35,988.00 baht more)."
    )
    row = submit_row(first)
    assert row.data == {
        "spent_to_date": "150000.00",
        "paid_to_date": "114012.00",
        "overspent_by": "35988.00",
        "previous_spent_to_date": None,
        "spending_explanation": "",
    }

    # The flag is about what was paid when the report was sent: a later payment does not
    # clear it, and the next report, sent after that payment, is within what was paid.
    with time_machine.travel(at(2027, 7, 3)):
        pay(agreement, 2, finance)
        second = send(report(agreement, 2), "150000.00")
    agreement = fresh(agreement)
    assert rules.report_overspent_by(report(agreement, 1), agreement) == Decimal("35988.00")
    assert rules.report_overspent_by(report(agreement, 2), agreement) == Decimal("0.00")
    assert rules.overspending_note(report(agreement, 2), agreement) == ""
    assert submit_row(second).data["paid_to_date"] == "190020.00"


def test_a_report_not_sent_has_no_overspending_to_flag():
    agreement = award()
    assert rules.report_overspent_by(report(agreement, 1), agreement) is None
    send(report(agreement, 1), "0")
    agreement = fresh(agreement)
    assert rules.report_overspent_by(report(agreement, 1), agreement) == Decimal("0.00")


# --- never lower without an explanation -----------------------------------------------------


def test_spending_lower_than_the_previous_report_needs_an_explanation():
    agreement = award()
    send(report(agreement, 1), "100000.00")
    second = report(agreement, 2)
    for explanation in ("", "   "):
        with pytest.raises(ValidationError) as exc:
            send(second, "90000.00", explanation)
        assert exc.value.message_dict == {
            "spending_explanation": [
                "Progress report 1 said 100,000.00 baht was spent; explain why spending to "
                "date is now lower (90,000.00 baht)."
            ]
        }
    assert fresh(second).status == ProgressReport.Status.DUE

    with pytest.raises(ValidationError) as exc:
        send(second, "90000.00", "ก" * 5001)
    assert set(exc.value.message_dict) == {"spending_explanation"}

    send(second, "90000.00", "  คืนเงินค่าวัสดุที่ซื้อซ้ำ 10,000 บาท  ")
    second = fresh(second)
    assert (second.status, second.spent_to_date, second.spending_explanation) == (
        "submitted",
        Decimal("90000.00"),
        "คืนเงินค่าวัสดุที่ซื้อซ้ำ 10,000 บาท",
    )
    row = submit_row(second)
    assert row.actor == member_of(agreement)
    assert row.data["spending_explanation"] == "คืนเงินค่าวัสดุที่ซื้อซ้ำ 10,000 บาท"
    assert row.data["previous_spent_to_date"] == "100000.00"


def test_the_same_or_more_needs_no_explanation_and_the_last_sent_report_counts():
    agreement = award()
    send(report(agreement, 1), "100000.00")
    send(report(agreement, 2), "100000.00")  # the same: nothing to explain
    # Report 3 not sent: report 4 compares with report 2, the last one sent before it.
    with pytest.raises(ValidationError) as exc:
        send(report(agreement, 4), "99999.99")
    assert (
        "Progress report 2 said 100,000.00 baht"
        in exc.value.message_dict["spending_explanation"][0]
    )
    send(report(agreement, 4), "120000.00")
    assert fresh(report(agreement, 4)).spending_explanation == ""


def test_both_rules_come_with_the_reports_other_problems():
    agreement = award()
    send(report(agreement, 1), "100000.00")
    with pytest.raises(ValidationError) as exc:
        agreement_services.report_submit(
            report=report(agreement, 2),
            user=member_of(agreement),
            narrative="",
            indicators=[],
            spent_to_date="50000",
        )
    assert set(exc.value.message_dict) == {"narrative", "spending_explanation"}


# --- who sends it -------------------------------------------------------------------------


def test_only_the_organisations_members_report_spending(other_member, other_officer):
    agreement = award()
    first = report(agreement, 1)
    for user in (officer_of(agreement), other_officer, other_member):
        with pytest.raises(PermissionDenied):
            send(first, "190020.01", user=user)  # the role first, before the amount
    assert fresh(first).status == ProgressReport.Status.DUE
    send(first, "1000.00")
    assert fresh(first).status == ProgressReport.Status.SUBMITTED


def test_a_returned_report_sent_again_is_checked_again():
    agreement = award()
    send(report(agreement, 1), "100000.00")
    second = send(report(agreement, 2), "120000.00")
    agreement_services.report_return(
        report=second, officer=officer_of(agreement), comment="ยอดไม่ตรงกับใบเสร็จ"
    )
    with pytest.raises(ValidationError):
        send(report(agreement, 2), "80000.00")
    send(report(agreement, 2), "80000.00", "ยอดเดิมรวมใบเสร็จของงวดถัดไปผิดพลาด")
    assert fresh(report(agreement, 2)).spent_to_date == Decimal("80000.00")
