"""Proposals through the services: starting, filling, submitting, withdrawing, and the agency's
shortlist, presentation and selection; every allowed and refused move, for every role."""

import datetime
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from contracts.calls import services as call_services
from contracts.calls.models import Call
from contracts.proposals import rules as proposal_rules
from contracts.proposals import selectors as proposal_selectors
from contracts.proposals import services as proposal_services
from contracts.proposals.models import Proposal
from csos.review import services as cso_review_services
from portal.audit import audit_history
from portal.models import Notice
from portal.notices.delivery import send_notice_email
from portal.workflow import Conflict, InvalidTransition
from tests.factories import (
    CallFactory,
    CSOFactory,
    ProposalFactory,
    ReviewerFactory,
    StaffAdminFactory,
    complete_answers,
    sample_file,
)
from tests.helpers import fresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
CS = Call.Status
PS = Proposal.Status


def close(call):
    """The officer closes the call so decisions can be made."""
    officer = call.created_by
    return call_services.call_close(call=call, user=officer)


# --- starting and filling a proposal ----------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "changes_requested", "suspended"])
def test_only_an_approved_cso_starts_a_proposal(status):
    call = CallFactory()
    cso = CSOFactory(status=status)

    with pytest.raises(PermissionDenied):
        proposal_services.proposal_create(user=cso.members.get(), call=call)
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("who", ["officer", "evaluator", "staff_admin"])
def test_only_a_cso_member_starts_a_proposal(who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        proposal_services.proposal_create(user=user, call=CallFactory())


def test_a_cso_outside_the_eligible_provinces_or_fields_is_refused():
    call = CallFactory(eligible_provinces=["50"])  # Chiang Mai only
    bangkok = CSOFactory(status="approved", service_provinces=["10"])
    with pytest.raises(PermissionDenied) as exc:
        proposal_services.proposal_create(user=bangkok.members.get(), call=call)
    assert "provinces" in str(exc.value)

    call = CallFactory(eligible_activity_fields=["environment"])
    with pytest.raises(PermissionDenied) as exc:
        proposal_services.proposal_create(user=bangkok.members.get(), call=call)
    assert "fields" in str(exc.value)


def test_only_the_fields_the_committee_certified_make_a_cso_eligible():
    call = CallFactory(eligible_activity_fields=["social_services"])
    declared = CSOFactory(
        status="approved",
        activity_fields=["social_services", "health"],
        certified_fields=["health"],
    )
    certified = CSOFactory(status="approved", activity_fields=["social_services"])

    with pytest.raises(PermissionDenied) as exc:
        proposal_services.proposal_create(user=declared.members.get(), call=call)
    assert str(exc.value) == (
        "The organisation works in a field this call asks for, but the National Committee "
        "has not certified it in any of them."
    )
    assert not Proposal.objects.filter(cso=declared).exists()
    assert proposal_services.proposal_create(user=certified.members.get(), call=call)


def test_a_cso_whose_certification_no_longer_covers_the_call_cannot_submit():
    call = CallFactory(eligible_activity_fields=["social_services"])
    proposal = ProposalFactory(call=call)
    cso = proposal.cso
    cso.certified_fields.set(["health"])  # as if the committee had narrowed it since

    with pytest.raises(PermissionDenied) as exc:
        proposal_services.proposal_submit(proposal=proposal, user=cso.members.get())
    assert "has not certified it" in str(exc.value)
    assert fresh(proposal).status == PS.DRAFT


def test_a_call_open_to_every_province_takes_any_province():
    call = CallFactory(eligible_provinces=[], eligible_activity_fields=[])
    cso = CSOFactory(status="approved", service_provinces=["96"], activity_fields=["religion"])

    proposal = proposal_services.proposal_create(user=cso.members.get(), call=call)
    assert proposal.status == PS.DRAFT


@pytest.mark.parametrize("status", ["draft", "closed"])
def test_no_proposal_starts_on_a_call_that_is_not_open(status):
    call = CallFactory(status=status)
    cso = CSOFactory(status="approved")
    with pytest.raises(InvalidTransition):
        proposal_services.proposal_create(user=cso.members.get(), call=call)


def test_one_live_proposal_per_cso_and_call_and_a_new_one_after_withdrawing():
    call = CallFactory()
    cso = CSOFactory(status="approved")
    member = cso.members.get()
    first = proposal_services.proposal_create(user=member, call=call)

    with pytest.raises(Conflict):
        proposal_services.proposal_create(user=member, call=call)
    proposal_services.proposal_withdraw(proposal=first, user=member)
    second = proposal_services.proposal_create(user=member, call=call)

    assert second.pk != first.pk
    assert Proposal.objects.filter(call=call, cso=cso).count() == 2


def test_budget_lines_are_priced_exactly_and_sum_to_the_requested_amount():
    call = CallFactory(budget_ceiling=Decimal("200000.00"))
    proposal = ProposalFactory(call=call, complete=False)
    member = proposal.cso.members.get()

    proposal_services.proposal_update(
        proposal=proposal,
        user=member,
        budget_lines=[
            {"description": "ค่าเดินทาง", "unit_cost": "33.33", "quantity": "0.50"},
            {"description": "ค่าอาหาร", "unit_cost": "0.10", "quantity": "3"},
            {"description": "ค่าตอบแทน", "unit_cost": "99999.00", "quantity": "1"},
        ],
    )

    proposal = fresh(proposal)
    amounts = [line.amount for line in proposal.budget_lines.all()]
    assert amounts == [Decimal("16.67"), Decimal("0.30"), Decimal("99999.00")]  # 16.665 up
    assert proposal.requested_amount == Decimal("100015.97") == sum(amounts)


def test_lines_over_the_ceiling_are_refused_and_nothing_is_saved():
    call = CallFactory(budget_ceiling=Decimal("10000.00"))
    proposal = ProposalFactory(call=call, complete=False)

    with pytest.raises(ValidationError) as exc:
        proposal_services.proposal_update(
            proposal=proposal,
            user=proposal.cso.members.get(),
            budget_lines=[
                {"description": "ค่าตอบแทน", "unit_cost": "5000.00", "quantity": "2"},
                {"description": "ค่าวัสดุ", "unit_cost": "0.01", "quantity": "1"},
            ],
        )
    assert "10,000.01" in exc.value.message_dict["budget_lines"][0]
    assert "10,000.00" in exc.value.message_dict["budget_lines"][0]
    assert not fresh(proposal).budget_lines.exists()
    assert fresh(proposal).requested_amount == 0


@pytest.mark.parametrize(
    "line",
    [
        {"description": "", "unit_cost": "10", "quantity": "1"},
        {"description": "x", "unit_cost": "-1", "quantity": "1"},
        {"description": "x", "unit_cost": "1.001", "quantity": "1"},
        {"description": "x", "unit_cost": "10", "quantity": "0"},
        {"description": "x", "unit_cost": "10", "quantity": "abc"},
        {"description": "x", "unit_cost": "10", "quantity": "NaN"},
        {"description": "x", "unit_cost": "10", "quantity": "1", "costing_method": "per_project"},
        "not a line",
    ],
)
def test_a_bad_budget_line_is_refused_with_its_line_number(line):
    proposal = ProposalFactory(complete=False)  # the call prices per person
    with pytest.raises(ValidationError) as exc:
        proposal_services.proposal_update(
            proposal=proposal, user=proposal.cso.members.get(), budget_lines=[line]
        )
    assert exc.value.message_dict["budget_lines"][0].startswith("Line 1")


def test_dates_must_be_in_order():
    proposal = ProposalFactory(complete=False)
    with pytest.raises(ValidationError) as exc:
        proposal_services.proposal_update(
            proposal=proposal,
            user=proposal.cso.members.get(),
            start_date=datetime.date(2027, 5, 1),
            end_date=datetime.date(2027, 4, 30),
        )
    assert "end_date" in exc.value.message_dict


def test_the_task_list_follows_the_answers():
    call = CallFactory(required_documents=["แผนการดำเนินงาน", "งบการเงิน"])
    proposal = ProposalFactory(call=call, complete=False)
    member = proposal.cso.members.get()
    assert set(proposal_rules.part_states(proposal).values()) == {"not_started"}

    proposal_services.proposal_update(proposal=proposal, user=member, summary="ดูแลผู้สูงอายุ")
    proposal_services.proposal_document_add(
        proposal=proposal,
        user=member,
        title="งบการเงิน",
        upload=sample_file("registration.pdf", content_type="application/pdf"),
    )
    states = proposal_rules.part_states(fresh(proposal))
    assert states["summary"] == "in_progress"
    assert states["attachments"] == "in_progress"  # one of the two required documents

    proposal_services.proposal_update(
        proposal=proposal, user=member, **complete_answers(call, summary="ดูแลผู้สูงอายุ")
    )
    proposal_services.proposal_document_add(
        proposal=proposal,
        user=member,
        title="แผนการดำเนินงาน",
        upload=sample_file("registration.pdf", content_type="application/pdf"),
    )
    assert set(proposal_rules.part_states(fresh(proposal)).values()) == {"completed"}


def test_an_attachment_is_checked_by_its_content():
    proposal = ProposalFactory(complete=False)
    with pytest.raises(ValidationError):
        proposal_services.proposal_document_add(
            proposal=proposal,
            user=proposal.cso.members.get(),
            title="แผนการดำเนินงาน",
            upload=sample_file("not-really.pdf", content_type="application/pdf"),
        )
    assert not proposal.documents.exists()


def test_another_organisations_member_cannot_change_a_proposal(other_member):
    proposal = ProposalFactory(complete=False)
    with pytest.raises(PermissionDenied):
        proposal_services.proposal_update(proposal=proposal, user=other_member, summary="x")
    with pytest.raises(PermissionDenied):
        proposal_services.proposal_submit(proposal=proposal, user=other_member)


# --- submitting --------------------------------------------------------------------------


def test_submitting_freezes_the_proposal_and_gives_a_reference_number(
    django_capture_on_commit_callbacks,
):
    proposal = ProposalFactory()
    member = proposal.cso.members.get()

    with django_capture_on_commit_callbacks() as callbacks:
        proposal_services.proposal_submit(proposal=proposal, user=member)

    proposal = fresh(proposal)
    assert proposal.status == PS.SUBMITTED
    year = timezone.localtime(proposal.submitted_at).year + 543
    assert proposal.reference == f"P{year}-{proposal.pk:06d}"
    assert proposal.requested_amount == Decimal("190020.00")
    assert len(callbacks) == 1  # the confirmation email, queued once the submit committed
    assert Notice.objects.filter(kind="proposal_received", object_id=str(proposal.pk)).exists()
    with pytest.raises(InvalidTransition):
        proposal_services.proposal_update(proposal=proposal, user=member, summary="แก้ไข")
    with pytest.raises(InvalidTransition):
        proposal_services.proposal_document_add(
            proposal=proposal,
            user=member,
            title="เพิ่มเติม",
            upload=sample_file("registration.pdf", content_type="application/pdf"),
        )
    with pytest.raises(InvalidTransition):
        proposal_services.proposal_submit(proposal=proposal, user=member)
    assert fresh(proposal).summary == complete_answers(proposal.call)["summary"]


def test_the_confirmation_carries_the_reference(settings):
    proposal = ProposalFactory(status="submitted")
    member = proposal.cso.members.get()
    member.language = "en"
    member.save(update_fields=["language"])
    notice = Notice.objects.get(kind="proposal_received")  # recorded in Thai at submit

    assert notice.recipient == member
    assert proposal.reference in notice.subject
    assert "190,020.00" in notice.body
    assert send_notice_email(notice.pk) == 1
    assert proposal.reference in mail.outbox[0].subject


def test_missing_parts_are_named_on_submit():
    proposal = ProposalFactory(complete=False)
    with pytest.raises(ValidationError) as exc:
        proposal_services.proposal_submit(proposal=proposal, user=proposal.cso.members.get())
    assert "summary and outcomes" in exc.value.messages[0]
    assert "budget" in exc.value.messages[0]
    assert fresh(proposal).status == PS.DRAFT


def test_a_proposal_one_second_late_is_refused_whatever_the_calls_stored_status():
    proposal = ProposalFactory()
    call = proposal.call
    with time_machine.travel(call.closes_at + datetime.timedelta(seconds=1), tick=False):
        assert fresh(call).status == CS.OPEN
        with pytest.raises(InvalidTransition) as exc:
            proposal_services.proposal_submit(proposal=proposal, user=proposal.cso.members.get())
    assert "no longer accepts" in exc.value.message
    assert fresh(proposal).status == PS.DRAFT


def test_a_proposal_one_second_early_is_accepted():
    proposal = ProposalFactory()
    with time_machine.travel(proposal.call.closes_at - datetime.timedelta(seconds=1), tick=False):
        proposal_services.proposal_submit(proposal=proposal, user=proposal.cso.members.get())
    assert fresh(proposal).status == PS.SUBMITTED


def test_nothing_is_submitted_before_the_call_opens():
    call = CallFactory(
        opens_at=timezone.now() + datetime.timedelta(days=2),
        closes_at=timezone.now() + datetime.timedelta(days=9),
    )
    proposal = ProposalFactory(call=call)
    with pytest.raises(InvalidTransition) as exc:
        proposal_services.proposal_submit(proposal=proposal, user=proposal.cso.members.get())
    assert "later" in exc.value.message


def test_a_cso_suspended_after_starting_cannot_submit():
    proposal = ProposalFactory()
    cso_review_services.cso_suspend(
        cso=proposal.cso, reviewer=ReviewerFactory(), reason="ขาดรายงาน"
    )
    with pytest.raises(PermissionDenied) as exc:
        proposal_services.proposal_submit(proposal=proposal, user=proposal.cso.members.get())
    assert "approved" in str(exc.value)
    assert fresh(proposal).status == PS.DRAFT


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_leave_one_submission():
    proposal = ProposalFactory()
    member = proposal.cso.members.get()
    start = threading.Barrier(2, timeout=10)
    outcomes = []

    def submit():
        try:
            start.wait()
            outcomes.append(proposal_services.proposal_submit(proposal=proposal, user=member))
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    done = [o for o in outcomes if isinstance(o, Proposal)]
    refused = [o for o in outcomes if not isinstance(o, Proposal)]
    assert len(done) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], InvalidTransition), repr(refused[0])
    assert audit_history(proposal).filter(action="submit").count() == 1


# --- withdrawing -------------------------------------------------------------------------


def test_the_cso_withdraws_before_a_decision_but_not_after():
    call = CallFactory()
    waiting = ProposalFactory(call=call, status="submitted")
    chosen = ProposalFactory(call=call, status="submitted")
    close(call)
    proposal_services.proposal_select(proposal=chosen, officer=call.created_by)

    proposal_services.proposal_withdraw(
        proposal=waiting, user=waiting.cso.members.get(), reason="ไม่พร้อม"
    )
    assert fresh(waiting).status == PS.WITHDRAWN
    with pytest.raises(InvalidTransition):
        proposal_services.proposal_withdraw(proposal=chosen, user=chosen.cso.members.get())


def test_the_agency_cannot_withdraw_a_cso_proposal():
    proposal = ProposalFactory(status="submitted")
    with pytest.raises(PermissionDenied):
        proposal_services.proposal_withdraw(proposal=proposal, user=proposal.call.created_by)


# --- shortlist, presentation, selection --------------------------------------------------


def test_decisions_wait_until_the_call_closes():
    proposal = ProposalFactory(status="submitted")
    with pytest.raises(InvalidTransition) as exc:
        proposal_services.proposal_select(proposal=proposal, officer=proposal.call.created_by)
    assert "closed" in exc.value.message
    assert fresh(proposal).status == PS.SUBMITTED


def test_after_the_closing_time_a_decision_closes_the_call_first():
    proposal = ProposalFactory(status="submitted")
    call = proposal.call
    with time_machine.travel(call.closes_at + datetime.timedelta(minutes=5)):
        proposal_services.proposal_select(proposal=proposal, officer=call.created_by)
    assert fresh(proposal).status == PS.SELECTED
    assert [r.action for r in audit_history(call)][-2:] == ["close", "award"]


def test_a_grant_is_selected_straight_from_submitted_and_cannot_shortlist():
    proposal = ProposalFactory(status="submitted")
    close(proposal.call)
    with pytest.raises(InvalidTransition):
        proposal_services.proposal_shortlist(proposal=proposal, officer=proposal.call.created_by)
    proposal_services.proposal_select(
        proposal=proposal, officer=proposal.call.created_by, reason="ดีที่สุด"
    )
    proposal = fresh(proposal)
    assert (proposal.status, proposal.decision_reason) == (PS.SELECTED, "ดีที่สุด")


def test_a_performance_contract_selects_only_a_cso_that_presented():
    call = CallFactory(instrument="performance_contract")
    officer = call.created_by
    proposal = ProposalFactory(call=call, status="submitted")
    close(call)

    with pytest.raises(InvalidTransition):
        proposal_services.proposal_select(proposal=proposal, officer=officer)
    proposal_services.proposal_shortlist(proposal=proposal, officer=officer)
    with pytest.raises(InvalidTransition):
        proposal_services.proposal_select(proposal=proposal, officer=officer)
    with pytest.raises(InvalidTransition):  # no presentation scheduled yet
        proposal_services.proposal_mark_presented(proposal=proposal, officer=officer)

    at = timezone.now() + datetime.timedelta(days=3)
    proposal_services.proposal_schedule_presentation(
        proposal=proposal, officer=officer, at=at, location="https://meet.example.org/abc"
    )
    proposal_services.proposal_mark_presented(proposal=proposal, officer=officer)
    proposal_services.proposal_select(proposal=proposal, officer=officer)

    proposal = fresh(proposal)
    assert proposal.status == PS.SELECTED
    assert proposal.presentation_at == at
    assert [r.action for r in audit_history(proposal)] == [
        "create",
        "submit",
        "shortlist",
        "schedule_presentation",
        "mark_presented",
        "select",
    ]


@pytest.mark.parametrize(
    ("at", "location", "field"),
    [
        (lambda: timezone.now() - datetime.timedelta(hours=1), "ห้องประชุม", "at"),
        (lambda: timezone.now() + datetime.timedelta(days=1), "  ", "location"),
        (lambda: datetime.datetime(2030, 1, 1, 10, 0), "ห้องประชุม", "at"),  # noqa: DTZ001
    ],
)
def test_a_presentation_needs_a_future_time_and_a_place(at, location, field):
    call = CallFactory(instrument="performance_contract")
    proposal = ProposalFactory(call=call, status="submitted")
    close(call)
    proposal_services.proposal_shortlist(proposal=proposal, officer=call.created_by)

    with pytest.raises(ValidationError) as exc:
        proposal_services.proposal_schedule_presentation(
            proposal=proposal, officer=call.created_by, at=at(), location=location
        )
    assert field in exc.value.message_dict


def test_only_a_shortlisted_proposal_gets_a_presentation():
    call = CallFactory(instrument="performance_contract")
    proposal = ProposalFactory(call=call, status="submitted")
    close(call)
    with pytest.raises(InvalidTransition):
        proposal_services.proposal_schedule_presentation(
            proposal=proposal,
            officer=call.created_by,
            at=timezone.now() + datetime.timedelta(days=1),
            location="ห้องประชุม",
        )


def test_rejecting_needs_a_reason_the_cso_will_read():
    proposal = ProposalFactory(status="submitted")
    close(proposal.call)
    with pytest.raises(ValidationError):
        proposal_services.proposal_reject(
            proposal=proposal, officer=proposal.call.created_by, reason=""
        )
    proposal_services.proposal_reject(
        proposal=proposal, officer=proposal.call.created_by, reason="พื้นที่บริการไม่ตรง"
    )
    assert fresh(proposal).decision_reason == "พื้นที่บริการไม่ตรง"


@pytest.mark.parametrize("who", ["other_officer", "evaluator", "staff_admin"])
def test_only_the_calls_officers_decide(who, request):
    proposal = ProposalFactory(status="submitted")
    close(proposal.call)
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        proposal_services.proposal_select(proposal=proposal, officer=user)
    with pytest.raises(PermissionDenied):
        proposal_services.proposal_reject(proposal=proposal, officer=user, reason="x")
    assert fresh(proposal).status == PS.SUBMITTED


def test_the_call_is_awarded_once_every_proposal_has_an_outcome():
    call = CallFactory()
    officer = call.created_by
    first = ProposalFactory(call=call, status="submitted")
    second = ProposalFactory(call=call, status="submitted")
    third = ProposalFactory(call=call, status="submitted")
    ProposalFactory(call=call)  # a draft never sent does not hold the call up
    close(call)

    proposal_services.proposal_select(proposal=first, officer=officer)
    assert fresh(call).status == CS.CLOSED
    proposal_services.proposal_withdraw(proposal=third, user=third.cso.members.get())
    assert fresh(call).status == CS.CLOSED
    proposal_services.proposal_reject(proposal=second, officer=officer, reason="คะแนนต่ำกว่า")
    assert fresh(call).status == CS.AWARDED
    with pytest.raises(InvalidTransition):
        proposal_services.proposal_reject(proposal=first, officer=officer, reason="เปลี่ยนใจ")


def test_a_call_where_nobody_was_selected_stays_closed():
    call = CallFactory()
    proposal = ProposalFactory(call=call, status="submitted")
    close(call)
    proposal_services.proposal_reject(
        proposal=proposal, officer=call.created_by, reason="ไม่ผ่านเกณฑ์"
    )
    assert fresh(call).status == CS.CLOSED


def test_staff_can_read_but_not_decide():
    staff = StaffAdminFactory()
    proposal = ProposalFactory(status="submitted")

    assert proposal_selectors.proposal_get_for_user(staff, proposal.pk) == proposal
    close(proposal.call)
    with pytest.raises(PermissionDenied):
        proposal_services.proposal_shortlist(proposal=proposal, officer=staff)
