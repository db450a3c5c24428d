"""/api/v1/agreements/ and /proposals/<id>/award/: the performance contract end to end
through the API, each refusal as its error (wrong role, wrong order, tranche 2 early, short
notice, early settlement, a second payment, no payments scope, another CSO), a grant with
its own shares and reports, commissioning with its evaluations and renewal, the document
and the list's query count."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.evaluations import services as evaluation_services
from contracts.agreements import services as agreement_services
from contracts.agreements.models import Agreement, MoneyMovement
from portal.audit import audit_history
from tests.factories import (
    ApiClientFactory,
    CSOFactory,
    EvaluatorFactory,
    award,
    selected_proposal,
    send_reports,
)
from tests.helpers import assert_error, at

pytestmark = pytest.mark.django_db

LIST = "/api/v1/agreements/"
INDICATOR = "ผู้สูงอายุที่ได้รับการเยี่ยมบ้าน"


def url(agreement_id, action=""):
    return f"{LIST}{agreement_id}/" + (f"{action}/" if action else "")


def award_url(proposal):
    return f"/api/v1/proposals/{proposal.pk}/award/"


def officer_of(proposal):
    return proposal.call.created_by


def member_of(proposal):
    return proposal.cso.members.first()


@pytest.fixture
def stranger(db):
    """A member of another, approved CSO."""
    return CSOFactory(status="approved").members.get()


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.content[:600])
    return response.json()


def evaluation_id(body, kind):
    return next(e["id"] for e in body if e["kind"] == kind)


# --- the performance contract, end to end ------------------------------------------------


def test_a_performance_contract_from_award_to_settlement(api_as, finance, stranger):
    proposal = selected_proposal(instrument="performance_contract")
    officer, member = (
        api_as(officer_of(proposal), lang="en"),
        api_as(member_of(proposal), lang="en"),
    )
    paying = api_as(finance)

    # The CSO cannot award itself; the officer can, once.
    assert_error(member.post(award_url(proposal), {}, format="json"), 403, "permission_denied")
    offer = ok(officer.post(award_url(proposal), {}, format="json"), 201)
    pk = offer["id"]
    assert (offer["kind"], offer["status"], offer["amount"]) == (
        "performance_contract",
        "offered",
        "190020.00",
    )
    assert offer["number"].startswith("PC-")
    assert [
        (t["seq"], t["share_percent"], t["amount"], t["status"]) for t in offer["tranches"]
    ] == [
        (1, "80.00", "152016.00", "scheduled"),
        (2, "20.00", "38004.00", "scheduled"),
    ]
    assert offer["money"] == {
        "amount": "190020.00",
        "released": "0.00",
        "paid": "0.00",
        "remaining": "190020.00",
    }
    assert offer["next_deadlines"][0] == {
        "kind": "tranche",
        "due_on": "2027-01-01",
        "overdue": False,
        "ref": 1,
    }
    assert {d["kind"] for d in offer["next_deadlines"]} >= {
        "report",
        "evaluation_midterm",
        "evaluation_final",
    }
    assert_error(officer.post(award_url(proposal), {}, format="json"), 409, "conflict")

    # Signing is the CSO's, and nothing moves before it.
    assert_error(
        officer.post(url(pk, "tranches/1/release"), format="json"), 409, "invalid_transition"
    )
    assert_error(officer.post(url(pk, "complete"), format="json"), 409, "invalid_transition")
    assert_error(
        officer.post(url(pk, "accept"), {"signed_name": "สมชาย", "confirm": True}, format="json"),
        403,
        "permission_denied",
    )
    assert_error(
        api_as(stranger).post(url(pk, "accept"), {"signed_name": "x"}, format="json"),
        404,
        "not_found",
    )
    assert_error(
        member.post(url(pk, "accept"), {"signed_name": "สมหญิง ใจดี"}, format="json"),
        400,
        "validation_error",
        fields=["confirm"],
    )
    signed = ok(
        member.post(
            url(pk, "accept"), {"signed_name": "สมหญิง  ใจดี", "confirm": True}, format="json"
        )
    )
    assert (signed["status"], signed["signed_name"]) == ("active", "สมหญิง ใจดี")
    assert signed["signed_by"] == member_of(proposal).username
    assert_error(
        member.post(url(pk, "decline"), {"reason": "เปลี่ยนใจ"}, format="json"),
        409,
        "invalid_transition",
    )

    # Tranche 1: released by the officer, paid by the finance system only, once.
    assert_error(member.post(url(pk, "tranches/1/release")), 403, "permission_denied")
    released = ok(officer.post(url(pk, "tranches/1/release")))
    assert (released["status"], released["amount"]) == ("released", "152016.00")
    assert released["released_at"]
    today = timezone.localdate().isoformat()
    payment = {"payment_reference": "GFMIS-0001", "paid_on": today}
    read_only_client = api_as(ApiClientFactory(scopes=["read"]).user)
    for caller in (officer, read_only_client):
        assert_error(
            caller.post(url(pk, "tranches/1/pay"), payment, format="json"),
            403,
            "permission_denied",
        )
    paid = ok(paying.post(url(pk, "tranches/1/pay"), payment, format="json"))
    assert (paid["status"], paid["payment_reference"], paid["paid_on"]) == (
        "paid",
        "GFMIS-0001",
        today,
    )
    assert_error(
        paying.post(
            url(pk, "tranches/1/pay"),
            {"payment_reference": "GFMIS-0002", "paid_on": today},
            format="json",
        ),
        409,
        "invalid_transition",
    )
    error = assert_error(officer.post(url(pk, "tranches/2/release")), 409, "invalid_transition")
    assert "delivery is complete" in error["message"]
    assert_error(officer.post(url(pk, "tranches/3/release")), 404, "not_found")
    assert ok(member.get(url(pk)))["money"] == {
        "amount": "190020.00",
        "released": "152016.00",
        "paid": "152016.00",
        "remaining": "38004.00",
    }

    # The mid-term evaluation, at the midpoint (internal: the officer records it).
    with time_machine.travel(at(2027, 7, 5)):
        evaluations = ok(member.get(url(pk, "evaluations")))
        assert [(e["kind"], e["due_on"], e["status"]) for e in evaluations] == [
            ("midterm", "2027-07-02", "scheduled"),
            ("final", "2028-03-31", "scheduled"),
        ]
        midterm = evaluation_id(evaluations, "midterm")
        assert_error(
            member.post(
                url(pk, f"evaluations/{midterm}/submit"),
                {"score": "99", "findings": "ดีมาก"},
                format="json",
            ),
            403,
            "permission_denied",
        )
        assert_error(
            officer.post(url(pk, f"evaluations/{midterm}/submit"), {"score": "101"}, format="json"),
            400,
            "validation_error",
            fields=["score", "findings"],
        )
        done = ok(
            officer.post(
                url(pk, f"evaluations/{midterm}/submit"),
                {"score": "82.50", "findings": "ดำเนินงานตามแผน"},
                format="json",
            )
        )
        assert (done["status"], done["score"]) == ("submitted", "82.50")
        error = assert_error(officer.post(url(pk, "tranches/2/release")), 409, "invalid_transition")
        assert "mid-term" not in error["message"]  # only completion is missing now

    # Delivery complete on the end date; tranche 2 released and paid; no settlement yet.
    with time_machine.travel(at(2027, 12, 31)):
        assert_error(member.post(url(pk, "complete")), 403, "permission_denied")
        error = assert_error(officer.post(url(pk, "complete")), 409, "invalid_transition")
        assert error["message"] == (
            "Progress report 1, due 1 April 2570 BE, has not been sent. "
            "Progress report 2, due 1 July 2570 BE, has not been sent. "
            "Progress report 3, due 1 October 2570 BE, has not been sent."
        )
        send_reports(Agreement.objects.get(pk=pk), due_before=timezone.localdate())
        assert ok(officer.post(url(pk, "complete")))["status"] == "completed"
        assert ok(officer.post(url(pk, "tranches/2/release")))["status"] == "released"
        ok(
            paying.post(
                url(pk, "tranches/2/pay"),
                {"payment_reference": "GFMIS-0002", "paid_on": "2027-12-31"},
                format="json",
            )
        )
        error = assert_error(
            member.post(url(pk, "settlement"), {"spent_total": "180000.00"}, format="json"),
            409,
            "invalid_transition",
        )
        assert "after the end date" in error["message"]
        assert_error(member.get(url(pk, "settlement")), 404, "not_found")

    # Settlement after the end date, the post-completion evaluation, then closing.
    with time_machine.travel(at(2028, 2, 20)):
        assert_error(
            officer.post(url(pk, "settlement"), {"spent_total": "1.00"}, format="json"),
            403,
            "permission_denied",
        )
        settlement = ok(
            member.post(
                url(pk, "settlement"),
                {"spent_total": "180000.00", "note": "เหลือค่าวัสดุ"},
                format="json",
            ),
            201,
        )
        assert {k: settlement[k] for k in ("disbursed_total", "spent_total", "refund_due")} == {
            "disbursed_total": "190020.00",
            "spent_total": "180000.00",
            "refund_due": "10020.00",
        }
        assert ok(officer.get(url(pk, "settlement")))["refund_due"] == "10020.00"
        assert_error(
            member.post(url(pk, "settlement"), {"spent_total": "1.00"}, format="json"),
            409,
            "conflict",
        )
        error = assert_error(officer.post(url(pk, "settle")), 409, "invalid_transition")
        assert "Progress report 4, due 31 December 2570 BE, is not accepted" in error["message"]
        assert (
            "Post-completion evaluation, due 31 March 2571 BE, is not recorded."
            in (error["message"])
        )
        send_reports(Agreement.objects.get(pk=pk), due_before=timezone.localdate(), accept=True)
        final = evaluation_id(ok(officer.get(url(pk, "evaluations"))), "final")
        ok(
            officer.post(
                url(pk, f"evaluations/{final}/submit"),
                {"score": "90", "findings": "บรรลุเป้าหมาย", "users_views": "พึงพอใจ"},
                format="json",
            )
        )
        assert_error(member.post(url(pk, "settle")), 403, "permission_denied")
        closed = ok(officer.post(url(pk, "settle")))

    assert closed["status"] == "settled"
    assert closed["money"]["paid"] == closed["money"]["amount"] == "190020.00"
    assert closed["next_deadlines"] == []
    assert closed["settlement"]["refund_due"] == "10020.00"
    assert MoneyMovement.objects.filter(tranche__agreement_id=pk).count() == 4
    agreement = Agreement.objects.get(pk=pk)
    assert [r.action for r in audit_history(agreement)] == [
        "award",
        "sign",
        "complete",
        "settlement",
        "settle",
    ]


def test_another_csos_member_sees_nothing_of_it(api_as, stranger, finance):
    agreement = award(instrument="performance_contract")
    other = api_as(stranger)
    assert_error(other.get(url(agreement.pk)), 404, "not_found")
    for path in ("tranches", "reports", "evaluations", "settlement"):
        assert_error(other.get(url(agreement.pk, path)), 404, "not_found")
    for path in ("decline", "tranches/1/release", "reports/1/submit", "complete"):
        assert_error(other.post(url(agreement.pk, path), {}, format="json"), 404, "not_found")
    assert_error(other.get(f"{url(agreement.pk)}document.pdf"), 404, "not_found")
    assert ok(other.get(LIST))["count"] == 0
    assert_error(api_as(None).get(url(agreement.pk)), 401, "not_authenticated")
    # The finance system sees every agreement, to pay it.
    assert ok(api_as(finance).get(LIST))["count"] == 1


def test_an_offer_declined_with_a_reason_and_a_termination(api_as):
    agreement = award(sign=False)
    member = api_as(agreement.cso.members.first())
    assert_error(
        member.post(url(agreement.pk, "decline"), {}, format="json"),
        400,
        "validation_error",
        fields=["reason"],
    )
    declined = ok(member.post(url(agreement.pk, "decline"), {"reason": "ไม่พร้อม"}, format="json"))
    assert (declined["status"], declined["decline_reason"]) == ("declined", "ไม่พร้อม")
    assert declined["next_deadlines"] == []

    running = award()
    officer = api_as(running.proposal.call.created_by)
    assert_error(
        officer.post(url(running.pk, "terminate"), {}, format="json"),
        400,
        "validation_error",
        fields=["reason"],
    )
    ended = ok(officer.post(url(running.pk, "terminate"), {"reason": "ผิดสัญญา"}, format="json"))
    assert (ended["status"], ended["termination_reason"]) == ("terminated", "ผิดสัญญา")
    assert_error(officer.post(url(running.pk, "complete")), 409, "invalid_transition")


def test_award_refuses_bad_terms_with_their_fields(api_as):
    proposal = selected_proposal(instrument="performance_contract")
    officer = api_as(officer_of(proposal))
    assert_error(
        officer.post(award_url(proposal), {"shares": ["50", "50"]}, format="json"),
        400,
        "validation_error",
        fields=["shares"],
    )
    assert_error(
        officer.post(
            award_url(proposal),
            {"amount": "190020.01", "start_date": "2027-02-01", "end_date": "2027-01-01"},
            format="json",
        ),
        400,
        "validation_error",
        fields=["amount"],
    )
    assert_error(
        officer.post(award_url(proposal), {"amount": "1e30", "shares": "x"}, format="json"),
        400,
        "validation_error",
        fields=["amount", "shares"],
    )
    for dates in (
        {"end_date": "2099-12-31"},
        {"start_date": "9995-01-01", "end_date": "9999-12-31"},
    ):
        assert_error(
            officer.post(award_url(proposal), dates, format="json"),
            400,
            "validation_error",
            fields=["end_date"],
        )
    assert not Agreement.objects.exists()
    # The same 80/20 spelled out is accepted.
    body = ok(officer.post(award_url(proposal), {"shares": ["80.00", "20.00"]}, format="json"), 201)
    assert [t["share_percent"] for t in body["tranches"]] == ["80.00", "20.00"]


def test_an_officer_of_another_agency_cannot_award(api_as, other_officer):
    proposal = selected_proposal()
    assert_error(
        api_as(other_officer).post(award_url(proposal), {}, format="json"), 404, "not_found"
    )


# --- a grant with its own shares and reports -------------------------------------------


def test_a_grant_with_its_own_shares_and_a_report_returned_then_accepted(api_as, stranger):
    proposal = selected_proposal()
    officer, member = api_as(officer_of(proposal)), api_as(member_of(proposal))
    assert_error(
        officer.post(award_url(proposal), {"shares": ["50", "49"]}, format="json"),
        400,
        "validation_error",
        fields=["shares"],
    )
    offer = ok(
        officer.post(
            award_url(proposal),
            {"shares": [40, "30", "30.00"], "report_every_months": 6, "scope": "เยี่ยมบ้าน"},
            format="json",
        ),
        201,
    )
    pk = offer["id"]
    assert offer["kind"] == "grant" and offer["number"].startswith("G-")
    assert [(t["amount"], t["condition"], t["planned_on"]) for t in offer["tranches"]] == [
        ("76008.00", "on_signing", "2027-01-01"),
        ("57006.00", "on_schedule", "2027-05-02"),
        ("57006.00", "on_schedule", "2027-08-31"),
    ]
    ok(member.post(url(pk, "accept"), {"signed_name": "สมหญิง ใจดี", "confirm": True}, format="json"))
    assert ok(officer.post(url(pk, "tranches/1/release")))["status"] == "released"
    error = assert_error(officer.post(url(pk, "tranches/2/release")), 409, "invalid_transition")
    assert "2 พฤษภาคม พ.ศ. 2570" in error["message"]  # B.E., never an ISO date

    reports = ok(member.get(url(pk, "reports")))
    assert [(r["seq"], r["due_on"], r["status"], r["overdue"]) for r in reports] == [
        (1, "2027-07-01", "due", False),
        (2, "2027-12-31", "due", False),
    ]
    with time_machine.travel(at(2027, 7, 3)):
        assert ok(member.get(url(pk, "reports")))[0]["overdue"] is True
        assert_error(
            officer.post(
                url(pk, "reports/1/submit"),
                {"narrative": "x", "spent_to_date": "1.00"},
                format="json",
            ),
            403,
            "permission_denied",
        )
        assert_error(
            api_as(stranger).post(url(pk, "reports/1/submit"), {}, format="json"),
            404,
            "not_found",
        )
        assert_error(
            member.post(
                url(pk, "reports/1/submit"),
                {"narrative": "", "indicators": [{"indicator": INDICATOR}], "spent_to_date": "-1"},
                format="json",
            ),
            400,
            "validation_error",
            fields=["narrative", "indicators", "spent_to_date"],
        )
        assert_error(member.post(url(pk, "reports/9/submit"), {}, format="json"), 404, "not_found")
        assert_error(officer.post(url(pk, "reports/1/accept")), 409, "invalid_transition")
        sent = ok(
            member.post(
                url(pk, "reports/1/submit"),
                {
                    "narrative": "ครึ่งปีแรก",
                    "indicators": [{"indicator": INDICATOR, "actual": "55 คน"}],
                    "spent_to_date": "100000.00",
                },
                format="json",
            )
        )
        assert (sent["status"], sent["overdue"], sent["spent_to_date"]) == (
            "submitted",
            False,
            "100000.00",
        )
        assert sent["indicators"] == [
            {"indicator": INDICATOR, "target": "120 คน", "actual": "55 คน", "note": ""}
        ]
        assert_error(
            member.post(url(pk, "reports/1/return"), {"comment": "x"}, format="json"),
            403,
            "permission_denied",
        )
        assert_error(
            officer.post(url(pk, "reports/1/return"), {}, format="json"),
            400,
            "validation_error",
            fields=["comment"],
        )
        returned = ok(
            officer.post(url(pk, "reports/1/return"), {"comment": "แนบภาพกิจกรรม"}, format="json")
        )
        assert (returned["status"], returned["officer_comment"]) == ("returned", "แนบภาพกิจกรรม")
        ok(
            member.post(
                url(pk, "reports/1/submit"),
                {"narrative": "ครึ่งปีแรก พร้อมภาพกิจกรรม", "spent_to_date": "100000.00"},
                format="json",
            )
        )
        accepted = ok(officer.post(url(pk, "reports/1/accept"), {}, format="json"))
        assert accepted["status"] == "accepted"
        assert_error(
            officer.post(url(pk, "reports/1/return"), {"comment": "x"}, format="json"),
            409,
            "invalid_transition",
        )
        # The second tranche's date has come.
        assert ok(officer.post(url(pk, "tranches/2/release")))["status"] == "released"
    kinds = [d["kind"] for d in ok(member.get(url(pk)))["next_deadlines"]]
    assert kinds.count("report") == 1  # the first is accepted


# --- commissioning ------------------------------------------------------------------------


def test_commissioning_co_design_evaluations_by_outsiders_and_renewal(api_as):
    proposal = selected_proposal(instrument="commissioning")
    officer, member = api_as(officer_of(proposal)), api_as(member_of(proposal))
    offer = ok(
        officer.post(
            award_url(proposal),
            {
                "outcomes": "ผู้สูงอายุติดเตียงได้รับการดูแลต่อเนื่อง",
                "needs_assessment": "สำรวจผู้สูงอายุ 300 ครัวเรือน",
                "resources": "งบประมาณ 190,020 บาท บุคลากร 4 คน",
            },
            format="json",
        ),
        201,
    )
    pk = offer["id"]
    assert offer["kind"] == "commissioning" and offer["outcomes"].startswith("ผู้สูงอายุ")
    design = {
        "service_design": "ผู้ดูแลเยี่ยมบ้านสัปดาห์ละครั้ง",
        "responsibilities": [
            {"task": "เยี่ยมบ้าน", "party": "cso"},
            {"task": "ส่งต่อโรงพยาบาล", "party": "agency"},
        ],
    }
    assert (
        ok(member.post(url(pk, "design"), design, format="json"))["responsibilities"]
        == (design["responsibilities"])
    )
    assert_error(
        member.post(
            url(pk, "design"),
            {"responsibilities": [{"task": "x", "party": "mayor"}]},
            format="json",
        ),
        400,
        "validation_error",
        fields=["responsibilities"],
    )
    ok(member.post(url(pk, "accept"), {"signed_name": "สมหญิง ใจดี", "confirm": True}, format="json"))
    assert_error(member.post(url(pk, "start-delivery")), 403, "permission_denied")
    assert ok(officer.post(url(pk, "start-delivery")))["delivery_started_at"]
    assert_error(
        officer.post(url(pk, "design"), {"service_design": "ใหม่"}, format="json"),
        409,
        "invalid_transition",
    )

    # A periodic evaluation by a university, with a committee of stakeholders.
    university = EvaluatorFactory(username="cmu-evaluation")
    assert_error(
        member.post(url(pk, "evaluations"), {"due_on": "2027-06-30"}, format="json"),
        403,
        "permission_denied",
    )
    added = ok(
        officer.post(
            url(pk, "evaluations"), {"due_on": "2027-06-30", "mode": "external"}, format="json"
        ),
        201,
    )
    assert (added["kind"], added["mode"], added["status"]) == ("periodic", "external", "scheduled")
    plan_url = url(pk, f"evaluations/{added['id']}")
    assert_error(
        officer.patch(plan_url, {"evaluators": [member_of(proposal).username]}, format="json"),
        400,
        "validation_error",
        fields=["evaluators"],
    )
    planned = ok(
        officer.patch(
            plan_url,
            {
                "evaluators": [university.username],
                "committee": [
                    {
                        "name": "ผศ.ดร. วิภา",
                        "organisation": "มหาวิทยาลัยเชียงใหม่",
                        "type": "professional",
                    },
                    {"name": "นางสมศรี", "organisation": "ชมรมผู้สูงอายุ", "type": "cso"},
                ],
                "due_on": "2027-07-15",
            },
            format="json",
        )
    )
    assert planned["evaluators"] == ["cmu-evaluation"]
    assert [m["type"] for m in planned["committee"]] == ["professional", "cso"]
    assert planned["due_on"] == "2027-07-15"
    assert_error(
        member.patch(plan_url, {"mode": "internal"}, format="json"), 403, "permission_denied"
    )

    evaluator = api_as(university)
    assert ok(evaluator.get(url(pk)))["id"] == pk  # an evaluator sees what they evaluate
    submit_url = url(pk, f"evaluations/{added['id']}/submit")
    result = {"score": "76.5", "findings": "บริการต่อเนื่อง", "users_views": "พึงพอใจร้อยละ 88"}
    assert_error(officer.post(submit_url, result, format="json"), 403, "permission_denied")
    done = ok(evaluator.post(submit_url, result, format="json"))
    assert (done["score"], done["users_views"]) == ("76.50", "พึงพอใจร้อยละ 88")
    assert_error(evaluator.post(submit_url, result, format="json"), 409, "invalid_transition")
    assert_error(
        officer.patch(plan_url, {"mode": "internal"}, format="json"), 409, "invalid_transition"
    )
    assert_error(officer.patch(url(pk, "evaluations/999999"), {}, format="json"), 404, "not_found")

    # Renewal: later end dates only, by the officer.
    renew = {"end_date": "2029-12-31", "reason": "ผลดี"}
    assert_error(member.post(url(pk, "renew"), renew, format="json"), 403, "permission_denied")
    assert_error(
        officer.post(url(pk, "renew"), {"end_date": "2027-06-30"}, format="json"),
        400,
        "validation_error",
        fields=["end_date"],
    )
    assert_error(
        officer.post(url(pk, "renew"), {"end_date": "9999-12-31"}, format="json"),
        400,
        "validation_error",
        fields=["end_date"],
    )
    renewed = ok(officer.post(url(pk, "renew"), renew, format="json"))
    assert (renewed["end_date"], renewed["renewals"]) == ("2029-12-31", 1)
    final = next(e for e in ok(officer.get(url(pk, "evaluations"))) if e["kind"] == "final")
    assert final["due_on"] == "2030-03-31"


def test_only_commissioning_is_renewed(api_as):
    agreement = award()
    officer = api_as(agreement.proposal.call.created_by)
    assert_error(
        officer.post(url(agreement.pk, "renew"), {"end_date": "2029-12-31"}, format="json"),
        409,
        "invalid_transition",
    )


def test_an_end_notice_gives_three_calendar_months(api_as):
    agreement = award(instrument="commissioning", terms={"end_date": datetime.date(2029, 12, 31)})
    officer = api_as(agreement.proposal.call.created_by)
    member = api_as(agreement.cso.members.first())
    notice = url(agreement.pk, "end-notice")
    with time_machine.travel(at(2027, 11, 30)):
        assert_error(
            member.post(notice, {"end_date": "2028-03-31", "reason": "x"}, format="json"),
            403,
            "permission_denied",
        )
        error = assert_error(
            officer.post(
                notice, {"end_date": "2028-02-28", "reason": "ปรับแผนงบประมาณ"}, format="json"
            ),
            400,
            "validation_error",
            fields=["end_date"],
        )
        # The message is for people: the date in B.E.; the data fields keep ISO dates.
        assert "2571" in error["fields"]["end_date"][0]
        assert "2028-02-29" not in error["fields"]["end_date"][0]
        assert_error(
            officer.post(notice, {"end_date": "2028-02-29"}, format="json"),
            400,
            "validation_error",
            fields=["reason"],
        )
        assert_error(
            officer.post(notice, {"end_date": "29/02/2028", "reason": "x"}, format="json"),
            400,
            "validation_error",
            fields=["end_date"],
        )
        ended = ok(
            officer.post(
                notice, {"end_date": "2028-02-29", "reason": "ปรับแผนงบประมาณ"}, format="json"
            )
        )
    assert (ended["end_date"], ended["end_notice_on"], ended["end_notice_reason"]) == (
        "2028-02-29",
        "2027-11-30",
        "ปรับแผนงบประมาณ",
    )


# --- the document ---------------------------------------------------------------------------


def test_the_agreement_document_is_a_pdf_for_those_who_see_it(api_as, stranger):
    agreement = award(instrument="performance_contract")
    path = f"{url(agreement.pk)}document.pdf"
    for user in (agreement.cso.members.first(), agreement.proposal.call.created_by):
        response = api_as(user).get(path)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    assert_error(api_as(stranger).get(path), 404, "not_found")
    assert_error(api_as(None).get(path), 401, "not_authenticated")


# --- the list --------------------------------------------------------------------------------


def test_the_list_filters_and_searches(api_as, staff_admin):
    grant = award()
    contract = award(instrument="performance_contract", sign=False)
    client = api_as(staff_admin)

    def ids(query):
        return [row["id"] for row in ok(client.get(LIST, query))["results"]]

    assert ids({"kind": "grant"}) == [grant.pk]
    assert ids({"status": "offered"}) == [contract.pk]
    assert ids({"cso": contract.cso_id}) == [contract.pk]
    assert ids({"agency": grant.agency_id}) == [grant.pk]
    assert ids({"search": contract.number}) == [contract.pk]
    assert ids({"ordering": "id"}) == [grant.pk, contract.pk]
    assert_error(client.get(LIST, {"status": "nonsense"}), 400, "validation_error")


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("who", ["officer", "member", "evaluator", "staff"])
def test_the_list_costs_the_same_queries_for_2_or_5(api_as, officer, staff_admin, who):
    from tests.factories import CallFactory, MissionFactory

    mission = MissionFactory(officer=officer)
    cso = CSOFactory(status="approved")
    evaluator = EvaluatorFactory()
    caller = {
        "officer": officer,
        "member": cso.members.get(),
        "evaluator": evaluator,
        "staff": staff_admin,
    }[who]
    client = api_as(caller)

    def add(n):
        for i in range(n):
            instrument = ["grant", "performance_contract", "commissioning"][i % 3]
            call = CallFactory(officer=officer, mission=mission, instrument=instrument)
            # One organisation's agreements: each award after the first weighs the others.
            agreement = award(
                instrument=instrument, call=call, cso=cso, terms={"considered_funding": True}
            )
            agreement_services.tranche_release(tranche=agreement.tranches.first(), officer=officer)
            evaluation = agreement.evaluations.first()
            evaluation_services.evaluation_plan(
                evaluation=evaluation, officer=officer, evaluators=[evaluator.username]
            )

    add(2)
    few, count_few = _queries(client)
    add(3)
    many, count_many = _queries(client)

    assert (count_few, count_many) == (2, 5)
    assert many == few
