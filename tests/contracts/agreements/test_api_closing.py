"""Completing and settling through /api/v1/agreements/<id>/complete/ and settle/: a 409 that
names every missing report, evaluation and payment (in the caller's language, Buddhist Era
dates in Thai), and the settlement's ``uncovered`` amount."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from assessments.evaluations import services as evaluation_services
from contracts.agreements import services as agreement_services
from tests.factories import award, send_reports
from tests.helpers import assert_error, at, member_of, officer_of

pytestmark = pytest.mark.django_db
END = datetime.date(2027, 12, 31)


def url(agreement, action=""):
    return f"/api/v1/agreements/{agreement.pk}/" + (f"{action}/" if action else "")


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:600])
    return response.json()


def pay(agreement, seq, finance):
    tranche = agreement.tranches.get(seq=seq)
    agreement_services.tranche_release(tranche=tranche, officer=officer_of(agreement))
    agreement_services.tranche_pay(
        tranche=tranche,
        user=finance,
        payment_reference=f"GFMIS-{seq}",
        paid_on=timezone.localdate(),
    )


# --- complete ---------------------------------------------------------------------------------


def test_complete_is_a_409_naming_each_missing_report(api_as, other_officer):
    agreement = award()
    officer = api_as(officer_of(agreement), lang="en")
    with time_machine.travel(at(2027, 7, 2)):
        assert_error(
            api_as(member_of(agreement)).post(url(agreement, "complete")), 403, "permission_denied"
        )
        assert_error(api_as(other_officer).post(url(agreement, "complete")), 404, "not_found")
        error = assert_error(officer.post(url(agreement, "complete")), 409, "invalid_transition")
        assert error["message"] == (
            "Progress report 1, due 1 April 2570 BE, has not been sent. "
            "Progress report 2, due 1 July 2570 BE, has not been sent."
        )
        error = assert_error(
            api_as(officer_of(agreement), lang="th").post(url(agreement, "complete")),
            409,
            "invalid_transition",
        )
        assert "รายงานความก้าวหน้าฉบับที่ 2 กำหนดส่ง 1 กรกฎาคม พ.ศ. 2570 ยังไม่ได้ส่ง" in error["message"]
        assert ok(officer.get(url(agreement)))["status"] == "active"

        send_reports(agreement, due_before=timezone.localdate())
        assert ok(officer.post(url(agreement, "complete")))["status"] == "completed"


def test_complete_before_the_start_says_when_it_starts(api_as):
    agreement = award()
    with time_machine.travel(at(2026, 12, 31)):
        error = assert_error(
            api_as(officer_of(agreement), lang="en").post(url(agreement, "complete")),
            409,
            "invalid_transition",
        )
    assert error["message"] == (
        "Delivery cannot be complete before the agreement starts (1 January 2570 BE)."
    )


# --- settle -----------------------------------------------------------------------------------


def test_settle_is_a_409_listing_everything_missing_then_succeeds(api_as, finance, other_officer):
    agreement = award(instrument="performance_contract")
    officer = api_as(officer_of(agreement), lang="en")
    pay(agreement, 1, finance)
    with time_machine.travel(at(2027, 12, 31)):
        send_reports(agreement, due_before=END)
        ok(officer.post(url(agreement, "complete")))

    with time_machine.travel(at(2028, 1, 10)):
        assert_error(
            api_as(member_of(agreement)).post(url(agreement, "settle")), 403, "permission_denied"
        )
        assert_error(api_as(other_officer).post(url(agreement, "settle")), 404, "not_found")
        error = assert_error(officer.post(url(agreement, "settle")), 409, "invalid_transition")
        assert error["message"] == (
            "The organisation has not stated its settlement yet. "
            "Progress report 1, due 1 April 2570 BE, is not accepted (it is “Submitted”). "
            "Progress report 2, due 1 July 2570 BE, is not accepted (it is “Submitted”). "
            "Progress report 3, due 1 October 2570 BE, is not accepted (it is “Submitted”). "
            "Progress report 4, due 31 December 2570 BE, is not accepted (it is “Due”). "
            "Mid-term evaluation, due 2 July 2570 BE, is not recorded. "
            "Post-completion evaluation, due 31 March 2571 BE, is not recorded."
        )
        thai = assert_error(
            api_as(officer_of(agreement), lang="th").post(url(agreement, "settle")),
            409,
            "invalid_transition",
        )["message"]
        assert "การประเมินผลระหว่างดำเนินการ กำหนด 2 กรกฎาคม พ.ศ. 2570 ยังไม่ได้บันทึกผล" in thai
        assert "2027" not in thai and "2028" not in thai

        # Done one by one, the list shrinks to nothing.
        send_reports(agreement, due_before=timezone.localdate(), accept=True)
        for kind in ("midterm", "final"):
            evaluation_services.evaluation_submit(
                evaluation=agreement.evaluations.get(kind=kind),
                user=officer_of(agreement),
                score="80",
                findings="ตามแผน",
            )
        agreement_services.tranche_release(
            tranche=agreement.tranches.get(seq=2), officer=officer_of(agreement)
        )
        error = assert_error(officer.post(url(agreement, "settle")), 409, "invalid_transition")
        assert error["message"] == (
            "The organisation has not stated its settlement yet. "
            "Tranche 2 (38,004.00 baht), released on 10 January 2571 BE, is not paid."
        )
        ok(
            api_as(finance).post(
                url(agreement, "tranches/2/pay"),
                {"payment_reference": "GFMIS-2", "paid_on": "2028-01-10"},
                format="json",
            )
        )
        ok(
            api_as(member_of(agreement)).post(
                url(agreement, "settlement"), {"spent_total": "190020.00"}, format="json"
            ),
            201,
        )
        assert ok(officer.post(url(agreement, "settle")))["status"] == "settled"


# --- the uncovered amount -----------------------------------------------------------------------


def test_the_settlement_says_what_was_spent_beyond_what_was_paid(api_as, finance):
    agreement = award(terms={"shares": ["60", "40"]})
    pay(agreement, 1, finance)  # 114,012.00 of 190,020.00
    member = api_as(member_of(agreement))
    with time_machine.travel(at(2028, 1, 15)):
        stated = ok(
            member.post(url(agreement, "settlement"), {"spent_total": "200000.00"}, format="json"),
            201,
        )
    assert {
        k: stated[k] for k in ("disbursed_total", "spent_total", "refund_due", "uncovered")
    } == {
        "disbursed_total": "114012.00",
        "spent_total": "200000.00",
        "refund_due": "0.00",
        "uncovered": "85988.00",
    }
    for user in (officer_of(agreement), member_of(agreement), finance):
        client = api_as(user)
        assert ok(client.get(url(agreement, "settlement")))["uncovered"] == "85988.00"
        assert ok(client.get(url(agreement)))["settlement"]["uncovered"] == "85988.00"


def test_a_settlement_within_what_was_paid_leaves_nothing_uncovered(api_as, finance):
    agreement = award()
    pay(agreement, 1, finance)
    with time_machine.travel(at(2028, 1, 15)):
        stated = ok(
            api_as(member_of(agreement)).post(
                url(agreement, "settlement"), {"spent_total": "180000.00"}, format="json"
            ),
            201,
        )
    assert (stated["refund_due"], stated["uncovered"]) == ("10020.00", "0.00")
