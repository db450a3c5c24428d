"""/api/v1/proposals/: who sees which proposal, starting and filling one in, submitting
(on time, late, over the ceiling, ineligible), each decision as each role, attachments
and the receipt. (Reviews and feedback: tests/assessments/reviews/test_api.py.)"""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.reviews import services as review_services
from contracts.calls import services as call_services
from contracts.calls.models import Call
from contracts.proposals import services as proposal_services
from contracts.proposals.models import Proposal
from csos.review import services as cso_review_services
from tests.factories import (
    CallFactory,
    CSOFactory,
    EvaluatorFactory,
    MemberFactory,
    MissionFactory,
    ProposalFactory,
    ReviewerFactory,
    sample_file,
)
from tests.helpers import assert_error, fresh, in_thai

pytestmark = pytest.mark.django_db
P = Proposal.Status
LIST = "/api/v1/proposals/"
WEIGHTS = {
    "expertise": 30,
    "standards": 25,
    "service_area": 20,
    "track_record": 15,
    "networking": 10,
}
A_SCORES = {"expertise": 5, "standards": 4, "service_area": 3, "track_record": 2, "networking": 1}
CODES = {401: "not_authenticated", 403: "permission_denied", 404: "not_found"}


def url(proposal, action=""):
    return f"{LIST}{proposal.pk}/" + (f"{action}/" if action else "")


def member_of(proposal):
    return proposal.cso.members.get()


@pytest.fixture
def call(officer):
    return CallFactory(
        officer=officer, mission=MissionFactory(officer=officer), criteria_weights=WEIGHTS
    )


@pytest.fixture
def panel(call, officer):
    """The evaluator on the call's panel."""
    assigned = EvaluatorFactory(username="eva_panel")
    call_services.call_assign_evaluators(call=call, user=officer, usernames=[assigned.username])
    return assigned


@pytest.fixture
def submitted(call):
    return ProposalFactory(call=call, status="submitted")


@pytest.fixture
def draft(call):
    return ProposalFactory(call=call)


@pytest.fixture
def roles(officer, other_officer, submitted, panel, evaluator, staff_admin):
    """Every kind of caller, for ``submitted``: ``member`` belongs to its CSO."""
    return {
        None: None,
        "officer": officer,
        "other_officer": other_officer,
        "member": member_of(submitted),
        "other_member": CSOFactory(status="approved").members.get(),
        "assigned": panel,
        "unassigned": evaluator,
        "staff": staff_admin,
    }


def close(call):
    return call_services.call_close(call=call, user=call.created_by)


def review(proposal, evaluator, scores, *, submit=True):
    return review_services.review_save(
        proposal=proposal,
        evaluator=evaluator,
        scores=scores,
        comments={"expertise": "ประสบการณ์ตรง"},
        comment="ความเห็นโดยรวม",
        no_conflict_of_interest=True,
        submit=submit,
    )


# --- who sees what --------------------------------------------------------------------


SEES_SUBMITTED = {
    None: 401,
    "officer": 200,
    "other_officer": 404,
    "member": 200,
    "other_member": 404,
    "assigned": 200,
    "unassigned": 404,
    "staff": 200,
}


@pytest.mark.parametrize("who, code", SEES_SUBMITTED.items())
def test_who_sees_a_submitted_proposal(api_as, roles, submitted, who, code):
    client = api_as(roles[who])

    response = client.get(url(submitted))
    listed = client.get(LIST)

    if code == 200:
        assert response.status_code == 200
        assert response.json()["id"] == submitted.pk
        assert [row["id"] for row in listed.json()["results"]] == [submitted.pk]
    else:
        assert_error(response, code, CODES[code])
        if code == 401:
            assert_error(listed, 401, "not_authenticated")
        else:
            assert listed.json()["results"] == []


@pytest.mark.parametrize("who", ["officer", "other_member", "assigned", "unassigned", "staff"])
def test_only_the_cso_sees_its_draft(api_as, roles, call, who):
    draft = ProposalFactory(call=call)

    assert_error(api_as(roles[who]).get(url(draft)), 404, "not_found")
    assert api_as(member_of(draft)).get(url(draft)).status_code == 200


def test_a_proposal_reads_as_the_contract_says(api_as, submitted):
    row = api_as(member_of(submitted)).get(url(submitted)).json()

    assert set(row) >= {
        "id", "call", "cso", "title", "summary", "budget_lines", "requested_amount",
        "targets", "start_date", "end_date", "status", "weighted_score", "reference", "parts",
        "submitted_at", "decision_reason", "presentation_at", "presentation_location",
    }  # fmt: skip
    assert row["call"] == submitted.call_id
    assert row["cso"] == submitted.cso_id
    assert row["status"] == "submitted"
    assert row["requested_amount"] == "190020.00"
    assert row["budget_lines"][0] == {
        "description": "ค่าตอบแทนผู้ดูแล",
        "costing_method": "per_person",
        "unit_cost": "1500.00",
        "quantity": "120.00",
        "amount": "180000.00",
    }
    assert row["budget_lines"][1]["amount"] == "10020.00"
    assert row["targets"] == [{"indicator": "ผู้สูงอายุที่ได้รับการเยี่ยมบ้าน", "target": "120 คน"}]
    assert (row["start_date"], row["end_date"]) == ("2027-01-01", "2027-12-31")
    assert set(row["parts"].values()) == {"completed"}
    assert row["reference"].startswith("P25")
    assert row["submitted_at"] is not None
    assert row["weighted_score"] is None
    assert [d["title"] for d in row["documents"]] == ["แผนการดำเนินงาน"]


def test_the_list_filters_by_call_status_and_cso(api_as, officer, call, submitted):
    other_call = CallFactory(officer=officer, mission=call.mission)
    second = ProposalFactory(call=other_call, cso=submitted.cso, status="submitted")
    third = ProposalFactory(call=other_call, status="submitted")
    proposal_services.proposal_withdraw(proposal=third, user=member_of(third))
    client = api_as(officer)

    def ids(**params):
        return {row["id"] for row in client.get(LIST, params).json()["results"]}

    assert ids() == {submitted.pk, second.pk, third.pk}
    assert ids(call=other_call.pk) == {second.pk, third.pk}
    assert ids(cso=submitted.cso_id) == {submitted.pk, second.pk}
    assert ids(status="withdrawn") == {third.pk}
    assert ids(search=submitted.reference) == {submitted.pk}
    assert_error(client.get(LIST, {"status": "lost"}), 400, "validation_error", fields=["status"])


# --- starting a proposal -------------------------------------------------------------


def start(client, call, **extra):
    return client.post(LIST, {"call": call.pk, **extra}, format="json")


def test_a_member_of_an_approved_cso_starts_a_proposal(api_as, call):
    member = CSOFactory(status="approved").members.get()

    response = start(api_as(member), call)

    assert response.status_code == 201, response.content
    row = response.json()
    assert row["status"] == "draft"
    assert row["title"] == call.title
    assert row["cso"] == member.cso_id
    assert row["requested_amount"] == "0.00"
    assert row["budget_lines"] == []
    assert row["reference"] == ""
    assert set(row["parts"].values()) == {"not_started"}
    assert_error(start(api_as(member), call, title="อีกฉบับ"), 409, "conflict")
    assert Proposal.objects.filter(cso_id=member.cso_id).count() == 1


@pytest.mark.parametrize("who", ["officer", "assigned", "unassigned", "staff"])
def test_only_a_cso_member_starts_a_proposal_and_is_told_first(api_as, roles, call, who):
    before = Proposal.objects.count()

    assert_error(api_as(roles[who]).post(LIST, {}, format="json"), 403, "permission_denied")
    assert_error(start(api_as(roles[who]), call), 403, "permission_denied")
    assert Proposal.objects.count() == before


def test_an_anonymous_caller_must_sign_in_to_start(api_client, call):
    assert_error(start(api_client, call), 401, "not_authenticated")


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "suspended"])
def test_a_cso_not_approved_cannot_start(api_as, call, status):
    member = CSOFactory(status=status).members.get()

    error = assert_error(start(api_as(member, lang="en"), call), 403, "permission_denied")

    assert "approved" in error["message"]
    assert not Proposal.objects.filter(cso_id=member.cso_id).exists()


def test_a_member_without_a_cso_cannot_start(api_as, call):
    assert_error(start(api_as(MemberFactory()), call), 403, "permission_denied")


def test_a_cso_outside_the_calls_provinces_cannot_start(api_as, call):
    member = CSOFactory(status="approved", service_provinces=["50"]).members.get()

    error = assert_error(start(api_as(member, lang="en"), call), 403, "permission_denied")

    assert "provinces" in error["message"]


def test_a_cso_outside_the_calls_fields_cannot_start(api_as, call):
    member = CSOFactory(status="approved", activity_fields=["environment"]).members.get()

    error = assert_error(start(api_as(member, lang="en"), call), 403, "permission_denied")

    assert "fields" in error["message"]


def test_a_cso_not_certified_in_the_calls_fields_cannot_start(api_as, call):
    member = CSOFactory(
        status="approved", activity_fields=["social_services"], certified_fields=["health"]
    ).members.get()

    error = assert_error(start(api_as(member, lang="en"), call), 403, "permission_denied")

    assert "National Committee has not certified it" in error["message"]
    assert not Proposal.objects.exists()


def test_a_closed_call_takes_no_new_proposals(api_as, call):
    member = CSOFactory(status="approved").members.get()

    with time_machine.travel(call.closes_at + datetime.timedelta(seconds=1), tick=False):
        assert_error(start(api_as(member), call), 409, "invalid_transition")
    close(call)
    assert_error(start(api_as(member), call), 409, "invalid_transition")


@pytest.mark.parametrize("value", [None, 999999, "abc", "draft-call"])
def test_the_call_must_be_one_the_member_can_see(api_as, officer, value):
    member = CSOFactory(status="approved").members.get()
    draft_call = CallFactory(officer=officer, status=Call.Status.DRAFT)
    call_id = draft_call.pk if value == "draft-call" else value

    response = api_as(member).post(LIST, {"call": call_id}, format="json")

    assert_error(response, 400, "validation_error", fields=["call"])


# --- filling it in -----------------------------------------------------------------------


def test_the_cso_fills_in_a_draft_and_the_lines_are_replaced(api_as, draft):
    client = api_as(member_of(draft))

    response = client.patch(
        url(draft),
        {
            "summary": "สรุปใหม่",
            "budget_lines": [
                {"description": "ค่าพาหนะ", "unit_cost": "333.33", "quantity": "3"},
                {
                    "description": "ค่าอาหาร",
                    "costing_method": "per_person",
                    "unit_cost": 120,
                    "quantity": "2.5",
                },
            ],
            "targets": [{"indicator": "ครัวเรือนที่เยี่ยม", "target": "40"}],
            "start_date": "2027-02-01",
            "end_date": "2027-06-30",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    row = response.json()
    assert row["summary"] == "สรุปใหม่"
    assert [line["amount"] for line in row["budget_lines"]] == ["999.99", "300.00"]
    assert row["requested_amount"] == "1299.99"
    assert row["targets"] == [{"indicator": "ครัวเรือนที่เยี่ยม", "target": "40"}]
    assert row["start_date"] == "2027-02-01"
    assert fresh(draft).budget_lines.count() == 2


def test_the_amount_of_a_line_is_not_taken_from_the_caller(api_as, draft):
    response = api_as(member_of(draft)).patch(
        url(draft),
        {
            "budget_lines": [
                {
                    "description": "ค่าวัสดุ",
                    "unit_cost": "10.00",
                    "quantity": "2",
                    "amount": "999999.00",
                }
            ]
        },
        format="json",
    )

    assert response.json()["budget_lines"][0]["amount"] == "20.00"
    assert response.json()["requested_amount"] == "20.00"


def test_a_budget_over_the_ceiling_is_refused(api_as, draft):
    response = api_as(member_of(draft), lang="en").patch(
        url(draft),
        {"budget_lines": [{"description": "ค่าจ้าง", "unit_cost": "250000.01", "quantity": "2"}]},
        format="json",
    )

    error = assert_error(response, 400, "validation_error", fields=["budget_lines"])
    assert "500,000.00" in error["fields"]["budget_lines"][0]
    assert fresh(draft).requested_amount == draft.requested_amount


@pytest.mark.parametrize(
    "data, field",
    [
        (
            {
                "budget_lines": [
                    {
                        "description": "ค่าจ้าง",
                        "costing_method": "per_project",
                        "unit_cost": "1",
                        "quantity": "1",
                    }
                ]
            },
            "budget_lines",
        ),
        (
            {"budget_lines": [{"description": "", "unit_cost": "1", "quantity": "1"}]},
            "budget_lines",
        ),
        (
            {"budget_lines": [{"description": "ค่าจ้าง", "unit_cost": "abc", "quantity": "1"}]},
            "budget_lines",
        ),
        (
            {"budget_lines": [{"description": "ค่าจ้าง", "unit_cost": "1", "quantity": "0"}]},
            "budget_lines",
        ),
        (
            {"budget_lines": [{"description": "ค่าจ้าง", "unit_cost": "1.001", "quantity": "1"}]},
            "budget_lines",
        ),
        ({"budget_lines": "all of it"}, "budget_lines"),
        ({"targets": [{"indicator": "ผู้สูงอายุ"}]}, "targets"),
        ({"start_date": "2027-06-01", "end_date": "2027-01-01"}, "end_date"),
        ({"start_date": "พรุ่งนี้"}, "start_date"),
        ({"title": ""}, "title"),
        ({"title": "ก" * 256}, "title"),
    ],
)
def test_wrong_answers_are_refused_by_field(api_as, draft, data, field):
    response = api_as(member_of(draft)).patch(url(draft), data, format="json")

    assert_error(response, 400, "validation_error", fields=[field])
    assert fresh(draft).title == draft.title


def test_a_submitted_proposal_cannot_be_edited(api_as, submitted):
    response = api_as(member_of(submitted)).patch(
        url(submitted), {"summary": "แก้หลังส่ง"}, format="json"
    )

    assert_error(response, 409, "invalid_transition")
    assert fresh(submitted).summary != "แก้หลังส่ง"


def test_put_is_not_offered(api_as, draft):
    assert_error(
        api_as(member_of(draft)).put(url(draft), {"title": "x"}, format="json"),
        405,
        "method_not_allowed",
    )


@pytest.mark.parametrize(
    "who, code",
    [
        (None, 401),
        ("officer", 403),
        ("other_officer", 404),
        ("other_member", 404),
        ("assigned", 403),
        ("unassigned", 404),
        ("staff", 403),
    ],
)
def test_only_the_csos_members_edit(api_as, roles, submitted, who, code):
    response = api_as(roles[who]).patch(url(submitted), {"budget_lines": "x"}, format="json")

    assert_error(response, code, CODES[code])


# --- submitting -----------------------------------------------------------------------


def test_the_cso_submits_and_the_proposal_is_frozen(api_as, draft):
    client = api_as(member_of(draft))

    response = client.post(url(draft, "submit"))

    assert response.status_code == 200, response.content
    row = response.json()
    assert row["status"] == "submitted"
    assert row["reference"] == f"P{timezone.localtime().year + 543}-{draft.pk:06d}"
    assert row["submitted_at"] is not None
    assert_error(client.post(url(draft, "submit")), 409, "invalid_transition")
    assert_error(
        client.patch(url(draft), {"title": "ใหม่"}, format="json"), 409, "invalid_transition"
    )


def test_an_unfinished_proposal_names_the_missing_parts(api_as, call):
    proposal = ProposalFactory(call=call, complete=False)

    error = assert_error(
        api_as(member_of(proposal), lang="en").post(url(proposal, "submit")),
        400,
        "validation_error",
    )

    assert "budget" in error["message"]
    assert fresh(proposal).status == P.DRAFT


def test_a_proposal_one_second_late_is_refused_though_the_call_reads_open(api_as, draft):
    call = draft.call
    client = api_as(member_of(draft), lang="th")

    with time_machine.travel(call.closes_at + datetime.timedelta(seconds=1), tick=False):
        error = assert_error(client.post(url(draft, "submit")), 409, "invalid_transition")

    closing = timezone.localtime(call.closes_at).strftime("%H:%M")
    expected = in_thai("This call closed for proposals at %(time)s; it no longer accepts them.")
    assert error["message"] == expected % {"time": closing}
    assert Call.objects.get(pk=call.pk).status == Call.Status.OPEN
    assert fresh(draft).status == P.DRAFT


def test_a_proposal_one_second_before_closing_is_accepted(api_as, draft):
    with time_machine.travel(draft.call.closes_at - datetime.timedelta(seconds=1), tick=False):
        response = api_as(member_of(draft)).post(url(draft, "submit"))

    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_a_suspended_cso_cannot_submit(api_as, draft):
    cso_review_services.cso_suspend(
        cso=draft.cso, reviewer=ReviewerFactory(), reason="ขาดการรายงานผล"
    )

    error = assert_error(
        api_as(member_of(draft), lang="en").post(url(draft, "submit")), 403, "permission_denied"
    )

    assert "approved" in error["message"]
    assert fresh(draft).status == P.DRAFT


def test_a_cso_that_left_the_calls_provinces_cannot_submit(api_as, draft):
    draft.cso.service_provinces.set(["50"])  # the call's terms are fixed; the CSO moved

    error = assert_error(
        api_as(member_of(draft), lang="en").post(url(draft, "submit")), 403, "permission_denied"
    )

    assert "provinces" in error["message"]


@pytest.mark.parametrize(
    "who, code",
    [
        (None, 401),
        ("officer", 403),
        ("other_officer", 404),
        ("other_member", 404),
        ("assigned", 403),
        ("unassigned", 404),
        ("staff", 403),
    ],
)
@pytest.mark.parametrize("action", ["submit", "withdraw"])
def test_only_the_csos_members_submit_or_withdraw(api_as, roles, submitted, who, code, action):
    response = api_as(roles[who]).post(url(submitted, action), {"reason": 5}, format="json")

    assert_error(response, code, CODES[code])
    assert fresh(submitted).status == P.SUBMITTED


def test_the_cso_withdraws_before_a_decision(api_as, submitted):
    client = api_as(member_of(submitted))

    response = client.post(url(submitted, "withdraw"), {"reason": "ไม่พร้อมดำเนินการ"}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert_error(client.post(url(submitted, "withdraw")), 409, "invalid_transition")


# --- decisions --------------------------------------------------------------------------


def test_a_grant_is_decided_once_the_call_has_closed(api_as, officer, call, submitted):
    other = ProposalFactory(call=call, status="submitted")
    client = api_as(officer)

    assert_error(client.post(url(submitted, "select")), 409, "invalid_transition")
    assert_error(client.post(url(submitted, "shortlist")), 409, "invalid_transition")
    close(call)
    assert_error(client.post(url(submitted, "shortlist")), 409, "invalid_transition")  # grant
    assert_error(client.post(url(other, "reject")), 400, "validation_error", fields=["reason"])

    selected = client.post(url(submitted, "select"), {"reason": "คะแนนสูงสุด"}, format="json")
    rejected = client.post(url(other, "reject"), {"reason": "พื้นที่บริการซ้ำซ้อน"}, format="json")

    assert selected.status_code == 200, selected.content
    assert (selected.json()["status"], selected.json()["decision_reason"]) == (
        "selected",
        "คะแนนสูงสุด",
    )
    assert rejected.json()["status"] == "not_selected"
    assert Call.objects.get(pk=call.pk).status == Call.Status.AWARDED
    assert_error(client.post(url(other, "select")), 409, "invalid_transition")
    mine = api_as(member_of(other)).get(url(other)).json()
    assert mine["decision_reason"] == "พื้นที่บริการซ้ำซ้อน"


def test_the_decision_reason_is_not_shown_to_evaluators(api_as, officer, call, submitted, panel):
    close(call)
    proposal_services.proposal_reject(proposal=submitted, officer=officer, reason="งบประมาณสูงเกินไป")

    row = api_as(panel).get(url(submitted)).json()

    assert row["status"] == "not_selected"
    assert row["decision_reason"] == ""


def test_a_performance_contract_hears_the_cso_before_selecting(api_as, officer):
    call = CallFactory(
        officer=officer, mission=MissionFactory(officer=officer), instrument="performance_contract"
    )
    proposal = ProposalFactory(call=call, status="submitted")
    close(call)
    client = api_as(officer)
    at = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)

    assert_error(client.post(url(proposal, "select")), 409, "invalid_transition")
    assert_error(
        client.post(
            url(proposal, "schedule-presentation"),
            {"at": at.isoformat(), "location": "ห้องประชุม 1"},
            format="json",
        ),
        409,
        "invalid_transition",
    )
    assert client.post(url(proposal, "shortlist")).json()["status"] == "shortlisted"
    assert_error(client.post(url(proposal, "mark-presented")), 409, "invalid_transition")
    assert_error(
        client.post(
            url(proposal, "schedule-presentation"),
            {"at": "2020-01-01T09:00:00+07:00", "location": ""},
            format="json",
        ),
        400,
        "validation_error",
        fields=["at", "location"],
    )
    assert_error(
        client.post(url(proposal, "schedule-presentation"), {}, format="json"),
        400,
        "validation_error",
        fields=["at", "location"],
    )
    scheduled = client.post(
        url(proposal, "schedule-presentation"),
        {"at": at.isoformat(), "location": "https://meet.example.go.th/vision"},
        format="json",
    )
    assert scheduled.status_code == 200, scheduled.content
    assert datetime.datetime.fromisoformat(scheduled.json()["presentation_at"]) == at
    assert scheduled.json()["presentation_location"] == "https://meet.example.go.th/vision"
    assert client.post(url(proposal, "mark-presented")).json()["status"] == "presented"
    selected = client.post(url(proposal, "select"), {"reason": "วิสัยทัศน์ชัดเจน"}, format="json")
    assert selected.json()["status"] == "selected"


@pytest.mark.parametrize(
    "who, code",
    [
        (None, 401),
        ("other_officer", 404),
        ("member", 403),
        ("other_member", 404),
        ("assigned", 403),
        ("unassigned", 404),
        ("staff", 403),
    ],
)
@pytest.mark.parametrize(
    "action", ["shortlist", "schedule-presentation", "mark-presented", "select", "reject"]
)
def test_only_the_agencys_officers_decide(api_as, roles, submitted, who, code, action):
    close(submitted.call)

    response = api_as(roles[who]).post(
        url(submitted, action), {"reason": 5, "at": "soon"}, format="json"
    )

    assert_error(response, code, CODES[code])
    assert fresh(submitted).status == P.SUBMITTED


# --- attachments and the receipt ----------------------------------------------------------


def upload(client, proposal, file, title="งบการเงินปีล่าสุด"):
    return client.post(
        url(proposal, "documents"), {"title": title, "file": file}, format="multipart"
    )


def test_the_cso_attaches_lists_downloads_and_removes_a_document(api_as, draft):
    client = api_as(member_of(draft))

    response = upload(client, draft, sample_file("photo.jpg"))

    assert response.status_code == 201, response.content
    doc = response.json()
    assert (doc["title"], doc["content_type"]) == ("งบการเงินปีล่าสุด", "image/jpeg")
    listed = client.get(url(draft, "documents")).json()
    assert [d["title"] for d in listed] == ["แผนการดำเนินงาน", "งบการเงินปีล่าสุด"]
    file = client.get(f"{url(draft)}documents/{doc['id']}/file/")
    assert file.status_code == 200
    assert b"".join(file.streaming_content)[:3] == b"\xff\xd8\xff"
    assert client.delete(f"{url(draft)}documents/{doc['id']}/").status_code == 204
    assert [d["title"] for d in client.get(url(draft, "documents")).json()] == ["แผนการดำเนินงาน"]
    assert_error(client.get(f"{url(draft)}documents/{doc['id']}/file/"), 404, "not_found")


def test_a_file_that_is_not_what_it_says_is_refused(api_as, draft):
    response = upload(api_as(member_of(draft)), draft, sample_file("not-really.pdf"))

    assert_error(response, 400, "validation_error", fields=["file"])


def test_an_upload_names_the_missing_parts(api_as, draft):
    response = api_as(member_of(draft)).post(url(draft, "documents"), {}, format="multipart")

    assert_error(response, 400, "validation_error", fields=["title", "file"])


def test_no_attachment_changes_after_submit(api_as, submitted):
    client = api_as(member_of(submitted))
    doc = submitted.documents.get()

    assert_error(
        upload(client, submitted, sample_file("registration.pdf")), 409, "invalid_transition"
    )
    assert_error(client.delete(f"{url(submitted)}documents/{doc.pk}/"), 409, "invalid_transition")


@pytest.mark.parametrize(
    "who, code",
    [
        (None, 401),
        ("officer", 200),
        ("other_officer", 404),
        ("assigned", 200),
        ("unassigned", 404),
        ("staff", 200),
    ],
)
def test_who_reads_and_who_attaches_documents(api_as, roles, submitted, who, code):
    client = api_as(roles[who])
    doc = submitted.documents.get()

    listed = client.get(url(submitted, "documents"))
    file = client.get(f"{url(submitted)}documents/{doc.pk}/file/")
    added = upload(client, submitted, sample_file("registration.pdf"))

    if code == 200:
        assert [d["id"] for d in listed.json()] == [doc.pk]
        assert file.status_code == 200
        assert_error(added, 403, "permission_denied")
    else:
        for response in (listed, file, added):
            assert_error(response, code, CODES[code])


def test_the_receipt_is_a_pdf_once_submitted(api_as, officer, draft, submitted):
    response = api_as(member_of(submitted)).get(f"{url(submitted)}receipt.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert api_as(officer).get(f"{url(submitted)}receipt.pdf").status_code == 200
    assert_error(api_as(member_of(draft)).get(f"{url(draft)}receipt.pdf"), 404, "not_found")
    assert_error(api_as(None).get(f"{url(submitted)}receipt.pdf"), 401, "not_authenticated")


# --- query counts ----------------------------------------------------------------------


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(LIST)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response.json()["count"]


@pytest.mark.parametrize("who", ["officer", "member", "assigned", "staff"])
def test_the_proposal_list_costs_the_same_queries_for_2_or_6(api_as, officer, staff_admin, who):
    mission = MissionFactory(officer=officer)
    cso = CSOFactory(status="approved")
    evaluator = EvaluatorFactory()
    caller = {
        "officer": officer,
        "member": cso.members.get(),
        "assigned": evaluator,
        "staff": staff_admin,
    }[who]
    client = api_as(caller)

    def add(n):
        for _ in range(n):
            call = CallFactory(officer=officer, mission=mission, criteria_weights=WEIGHTS)
            call_services.call_assign_evaluators(
                call=call, user=officer, usernames=[evaluator.username]
            )
            proposal = ProposalFactory(call=call, cso=cso, status="submitted")
            review(proposal, evaluator, A_SCORES)

    add(2)
    few, count_few = _queries(client)
    add(4)
    many, count_many = _queries(client)

    assert (count_few, count_many) == (2, 6)
    assert many == few
