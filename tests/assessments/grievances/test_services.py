"""Grievances' services: filing (strict checks, anonymity, uploads), the verifier's routing,
rejection and merging, the agency's answer, the citizen's reply and verdict, each refusal
by role and status, and the whole life of one with time travel: late routing, a late
answer, the escalation, the close after 10 quiet working days, a reopening; then personal
data erased after its time, the counts kept."""

import datetime
import os

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.grievances import services
from assessments.grievances.models import Grievance, GrievanceMessage
from assessments.grievances.rules import TRACKING_ID
from assessments.grievances.selectors import cso_grievance_record, grievance_by_tracking_id
from portal.models import AuditLog, Notice
from portal.notices.sweep import sweep
from portal.workflow import InvalidTransition
from tests import factories
from tests.factories import sample_file
from tests.helpers import at, fresh

from .conftest import file_one

D = datetime.date


def audit(grievance, action):
    return AuditLog.objects.filter(object_id=str(grievance.pk), action=action)


# --- filing -------------------------------------------------------------------------------


def test_filing_gives_a_readable_tracking_id_a_reply_code_and_the_routing_due_date(filed):
    grievance, token = filed
    assert TRACKING_ID.match(grievance.tracking_id)
    assert grievance.tracking_id.startswith("GR-2569-")
    assert not set(grievance.tracking_id[8:]) & set("01OI")
    assert len(token.replace("-", "")) == 12
    assert token not in grievance.citizen_token_hash  # only a hash is kept
    # Filed on Friday 9 January 2569: 3 working days → Wednesday 14 January.
    assert grievance.route_by == D(2026, 1, 14)
    assert grievance.escalate_on == D(2026, 1, 16)
    assert grievance.status == "received"
    assert grievance.agency_id == grievance.agreement.agency_id
    row = audit(grievance, "file_grievance").get()
    assert "สมชาย" not in str(row.data) and "somchai" not in str(row.data)


def test_filing_refuses_what_is_missing_or_wrong_each_on_its_field(project):
    with pytest.raises(ValidationError) as caught:
        file_one(
            project,
            kind="rant",
            title="ชื่อ\u202eเรื่อง",
            body="",
            occurred_on=D(2030, 1, 1),
            province="99",
            agreement=None,
            contact="not a contact",
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"kind", "title", "body", "occurred_on", "province", "agency", "contact"}
    assert "U+202E" in errors["title"][0]
    assert not Grievance.objects.exists()  # stored only after the checks


def test_a_project_names_its_agency_and_another_agency_is_refused(project):
    other = factories.AgencyFactory()
    with pytest.raises(ValidationError) as caught:
        file_one(project, agency=other.pk)
    assert "agency" in caught.value.message_dict


def test_anonymous_keeps_no_name_nor_account_and_confidential_keeps_the_name(project):
    citizen = factories.MemberFactory()
    anonymous, _token = file_one(project, anonymous=True, citizen=citizen)
    assert anonymous.name == "" and anonymous.citizen is None
    confidential, _token = file_one(project, confidential=True)
    assert confidential.name == "สมชาย รักดี" and confidential.confidential


def test_attachments_are_checked_like_every_upload(project):
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>x</script></html>")
    with pytest.raises(ValidationError) as caught:
        file_one(project, attachments=[fake])
    assert "attachments" in caught.value.message_dict
    grievance, _token = file_one(
        project, attachments=[sample_file("photo.jpg", content_type="image/jpeg")]
    )
    stored = grievance.attachments.get()
    assert stored.content_type == "image/jpeg"
    assert "photo" not in stored.file.name  # the name on disk says nothing of the citizen


# --- the verifier, the agency, the citizen: who may, and when -------------------------------


def test_only_a_verifier_routes_and_only_a_received_one(filed, project_officer, verifier):
    grievance, _token = filed
    with pytest.raises(PermissionDenied):
        services.grievance_route(grievance=grievance, verifier=project_officer)
    routed = services.grievance_route(grievance=grievance, verifier=verifier)
    assert routed.status == "routed"
    with pytest.raises(InvalidTransition):
        services.grievance_route(grievance=routed, verifier=verifier)


def test_an_agencys_complaints_officer_is_a_verifier(filed, complaints_officer):
    grievance, _token = filed
    routed = services.grievance_route(grievance=grievance, verifier=complaints_officer)
    assert routed.status == "routed"


def test_routing_tells_the_agency_and_the_projects_cso_without_personal_data(
    filed, verifier, project_officer, project_member
):
    grievance, _token = filed
    with time_machine.travel(at(2026, 1, 12), tick=False):
        routed = services.grievance_route(grievance=grievance, verifier=verifier)
    # Routed Monday 12 January: 5 working days → Monday 19 January.
    assert routed.respond_by == D(2026, 1, 19)
    notices = Notice.objects.filter(kind="grievance_routed")
    assert {n.recipient for n in notices} >= {project_officer, project_member}
    for notice in notices:
        assert grievance.tracking_id in notice.subject
        assert "สมชาย" not in notice.body and "somchai" not in notice.body


def test_rejecting_needs_a_reason_the_citizen_reads(filed, verifier):
    grievance, _token = filed
    with pytest.raises(ValidationError):
        services.grievance_reject(grievance=grievance, verifier=verifier, reason=" ")
    rejected = services.grievance_reject(
        grievance=grievance, verifier=verifier, reason="เป็นเรื่องของศาล"
    )
    assert rejected.status == "rejected" and rejected.closed_at is not None
    row = audit(rejected, "reject").get()
    assert (row.from_status, row.to_status, row.reason) == ("received", "rejected", "เป็นเรื่องของศาล")


def test_only_the_routed_agencys_officer_answers(filed, verifier, project_officer, other_officer):
    grievance, _token = filed
    with pytest.raises(InvalidTransition):  # not routed yet
        services.grievance_respond(grievance=grievance, officer=project_officer, response="x")
    routed = services.grievance_route(grievance=grievance, verifier=verifier)
    with pytest.raises(PermissionDenied):
        services.grievance_respond(grievance=routed, officer=other_officer, response="x")
    with pytest.raises(ValidationError):
        services.grievance_respond(grievance=routed, officer=project_officer, response="")
    answered = services.grievance_respond(
        grievance=routed, officer=project_officer, response="ส่งผู้ดูแลไปแล้ว", upheld=True
    )
    assert answered.status == "responded" and answered.upheld is True


def test_the_citizen_acts_with_the_reply_code_only(filed, verifier, project_officer):
    grievance, token = filed
    routed = services.grievance_route(grievance=grievance, verifier=verifier)
    with pytest.raises(InvalidTransition):  # nothing answered yet
        services.grievance_reply(grievance=routed, text="ยังไม่มีใครมา", token=token)
    answered = services.grievance_respond(
        grievance=routed, officer=project_officer, response="ส่งผู้ดูแลไปแล้ว"
    )
    with pytest.raises(PermissionDenied):
        services.grievance_resolved(grievance=answered, resolved="yes", token="AAAA-BBBB-CCCC")
    with pytest.raises(ValidationError):
        services.grievance_resolved(grievance=answered, resolved="maybe", token=token)
    partly = services.grievance_resolved(grievance=answered, resolved="partly", token=token)
    assert partly.status == "responded" and partly.resolved == "partly"
    closed = services.grievance_resolved(grievance=partly, resolved="yes", token=token.lower())
    assert closed.status == "closed" and closed.closing == "resolved"


def test_a_signed_in_citizen_acts_with_their_account(project, verifier, project_officer):
    citizen = factories.MemberFactory()
    grievance, _token = file_one(project, citizen=citizen)
    routed = services.grievance_route(grievance=grievance, verifier=verifier)
    answered = services.grievance_respond(grievance=routed, officer=project_officer, response="ok")
    closed = services.grievance_resolved(grievance=answered, resolved="yes", user=citizen)
    assert closed.status == "closed"


# --- merging ------------------------------------------------------------------------------


def test_merging_keeps_the_citizens_tracking_id_and_reply_code_working(
    project, verifier, project_officer
):
    first, _first_token = file_one(project)
    second, second_token = file_one(project)
    with pytest.raises(PermissionDenied):
        services.grievance_merge(grievance=second, verifier=project_officer, into=first)
    with pytest.raises(ValidationError):
        services.grievance_merge(grievance=second, verifier=verifier, into=second.tracking_id)
    merged = services.grievance_merge(grievance=second, verifier=verifier, into=first.tracking_id)
    assert merged.status == "closed" and merged.merged_into == first
    named, shown = grievance_by_tracking_id(second.tracking_id.lower())
    assert named == second and shown == first
    routed = services.grievance_route(grievance=first, verifier=verifier)
    answered = services.grievance_respond(grievance=routed, officer=project_officer, response="ok")
    # The second citizen's code works on the grievance theirs joined.
    closed = services.grievance_resolved(grievance=answered, resolved="yes", token=second_token)
    assert closed.status == "closed"
    assert cso_grievance_record(project.cso)["by_status"]["closed"] == 1  # merged not counted


# --- the whole life, with time travel ---------------------------------------------------------


def test_lifecycle_late_routing_late_answer_escalation_reopen_and_quiet_close(
    filed, verifier, project_officer
):
    grievance, token = filed  # Friday 9 January 2569; route by Wednesday 14
    head = factories.OfficerFactory(agency=grievance.agency, agency_admin=True)

    # Wednesday 14: due today, not late; nothing told.
    sweep(now=at(2026, 1, 14, 18))
    assert not Notice.objects.filter(kind__startswith="grievance_").exists()
    # Thursday 15: late. The verifiers are told once, however often the sweep runs.
    sweep(now=at(2026, 1, 15))
    sweep(now=at(2026, 1, 15, 14))
    late = Notice.objects.filter(kind="grievance_route_late")
    assert [n.recipient for n in late] == [verifier]
    assert fresh(grievance).late_on(D(2026, 1, 15))
    # Saturday 17: past the second deadline (Friday 16): the agency's head is told, once.
    sweep(now=at(2026, 1, 17))
    sweep(now=at(2026, 1, 18))
    assert [n.recipient for n in Notice.objects.filter(kind="grievance_escalated")] == [head]

    # Routed late on Monday 19 January: answer by Monday 26 January.
    with time_machine.travel(at(2026, 1, 19), tick=False):
        routed = services.grievance_route(grievance=grievance, verifier=verifier)
    assert routed.respond_by == D(2026, 1, 26)
    assert audit(routed, "route").get().data["late"] is True

    # Tuesday 27: the answer is late; the agency's officers are told once.
    sweep(now=at(2026, 1, 27, 8))
    sweep(now=at(2026, 1, 27, 9))
    answer_late = Notice.objects.filter(kind="grievance_answer_late")
    assert project_officer in {n.recipient for n in answer_late}
    assert answer_late.filter(recipient=project_officer).count() == 1

    with time_machine.travel(at(2026, 1, 27, 11), tick=False):
        answered = services.grievance_respond(
            grievance=routed, officer=project_officer, response="ขออภัย ส่งผู้ดูแลแล้ว"
        )
    assert audit(answered, "respond").get().data["late"] is True
    # 10 working days after Tuesday 27 January → Tuesday 10 February.
    assert answered.close_by == D(2026, 2, 10)

    # The citizen replies on Monday 2 February: it is open again (responded → routed).
    with time_machine.travel(at(2026, 2, 2), tick=False):
        reopened = services.grievance_reply(grievance=answered, text="ยังไม่มา", token=token)
    assert reopened.status == "routed" and reopened.close_by is None
    assert reopened.respond_by == D(2026, 2, 9)
    row = audit(reopened, "citizen_reply").get()
    assert (row.from_status, row.to_status) == ("responded", "routed")
    assert "ยังไม่มา" not in str(row.data)
    assert Notice.objects.filter(kind="grievance_citizen_replied", recipient=project_officer)

    with time_machine.travel(at(2026, 2, 3), tick=False):
        again = services.grievance_respond(
            grievance=reopened, officer=project_officer, response="มาแล้ววันนี้"
        )
    # Tuesday 3 February + 10 working days (Makha Bucha, Tuesday 3 March, is later) → 17 Feb.
    assert again.close_by == D(2026, 2, 17)
    assert services.grievances_close_quiet(now=at(2026, 2, 17, 20)) == 0  # the last quiet day
    assert services.grievances_close_quiet(now=at(2026, 2, 18)) == 1
    closed = fresh(again)
    assert (closed.status, closed.closing) == ("closed", "quiet")
    assert audit(closed, "auto_close").get().to_status == "closed"
    assert services.grievances_close_quiet(now=at(2026, 2, 19)) == 0

    # Asked after it closed, the citizen may still say whether it was resolved.
    said = services.grievance_resolved(grievance=closed, resolved="no", token=token)
    assert said.resolved == "no" and said.status == "closed"


def test_personal_data_is_erased_after_its_time_and_the_counts_stay(project, verifier, settings):
    settings.GRIEVANCE_PERSONAL_DATA_DAYS = 730
    grievance, _token = file_one(
        project, attachments=[sample_file("photo.jpg", content_type="image/jpeg")]
    )
    with time_machine.travel(at(2026, 1, 12), tick=False):
        services.grievance_reject(grievance=grievance, verifier=verifier, reason="นอกขอบเขต")
    assert services.grievances_erase_personal_data(now=at(2028, 1, 11)) == 0  # 729 days
    assert services.grievances_erase_personal_data(now=at(2028, 1, 13)) == 1
    erased = fresh(grievance)
    assert (erased.name, erased.contact, erased.body) == ("", "", "")
    assert erased.personal_data_erased_at is not None
    assert erased.title and erased.status == "rejected" and erased.kind == "complaint"
    attachment = erased.attachments.get()
    assert not attachment.file and attachment.original_name == "" and attachment.size > 0
    assert audit(erased, "erase_personal_data").exists()
    assert services.grievances_erase_personal_data(now=at(2028, 2, 1)) == 0
    assert cso_grievance_record(project.cso)["by_status"]["rejected"] == 1


def test_erasing_removes_the_attachments_file_once_committed(
    project, verifier, django_capture_on_commit_callbacks
):
    grievance, _token = file_one(
        project, attachments=[sample_file("photo.jpg", content_type="image/jpeg")]
    )
    path = grievance.attachments.get().file.path
    with time_machine.travel(at(2026, 1, 12), tick=False):
        services.grievance_reject(grievance=grievance, verifier=verifier, reason="นอกขอบเขต")
    with django_capture_on_commit_callbacks(execute=True):
        services.grievances_erase_personal_data(now=at(2028, 6, 1))
    assert not os.path.exists(path)


def test_the_csos_record_counts_complaints_upheld(project, verifier, project_officer):
    for upheld in (True, False):
        grievance, _token = file_one(project)
        routed = services.grievance_route(grievance=grievance, verifier=verifier)
        services.grievance_respond(
            grievance=routed, officer=project_officer, response="ok", upheld=upheld
        )
    record = cso_grievance_record(project.cso)
    assert (record["complaints"], record["answered"], record["upheld"]) == (2, 2, 1)
    assert GrievanceMessage.objects.filter(author="agency").count() == 2
