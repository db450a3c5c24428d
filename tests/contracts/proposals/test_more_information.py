"""Asking for more information before deciding (issue 17, item 4): the officer returns a
submitted proposal to its organisation with questions and a reply-by time; the organisation
changes only the parts asked about and sends it again with its answer; the version before
is kept, so evaluators see what changed; while it answers, nothing is decided or scored as
final; without an answer the officer withdraws the questions (the proposal is put back as
it was sent) or does not select it."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessments.reviews import services as review_services
from contracts.calls import services as call_services
from contracts.proposals import diff, rules, services
from contracts.proposals.models import Proposal, VersionKind
from portal.audit import audit_history
from portal.models import Notice
from portal.notices.sweep import sweep
from portal.workflow import InvalidTransition
from tests.factories import (
    EvaluatorFactory,
    OfficerFactory,
    make_call,
    sample_file,
)
from tests.factories.assessments import WEIGHTS
from tests.helpers import fresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PS = Proposal.Status
NEW_LINES = [{"description": "ค่าตอบแทนผู้ดูแล", "unit_cost": "1500.00", "quantity": "100"}]


def _in(days):
    return timezone.now() + datetime.timedelta(days=days)


@pytest.fixture
def asked():
    """A closed call with one submitted proposal, scored by nobody yet, whose officer asks
    about its budget and dates, reply in 7 days."""
    officer = OfficerFactory()
    evaluator = EvaluatorFactory()
    call, (proposal,) = make_call(officer, n=1, evaluators=[evaluator])
    request = services.proposal_request_information(
        proposal=proposal,
        officer=officer,
        questions="ทำไมค่าตอบแทนผู้ดูแลสูงกว่าอัตรากลาง",
        reply_by=_in(7),
        parts=["dates", "budget"],
    )
    return officer, evaluator, fresh(proposal), request


def test_the_officer_asks_and_the_proposal_goes_back_to_its_organisation(asked):
    officer, evaluator, proposal, request = asked
    assert proposal.status == PS.INFO_REQUESTED
    assert proposal.status in Proposal.IN_REVIEW  # still counted among those to decide
    assert request.number == 1 and request.parts == ["budget", "dates"]  # the form's order
    # What the proposal said is kept, for the comparison after the answer.
    version = proposal.versions.get()
    assert version.kind == VersionKind.BEFORE_INFORMATION and request.version == version
    assert version.content["requested_amount"] == "190020.00"
    member = proposal.cso.members.first()
    notice = Notice.objects.get(recipient=member, kind="information_requested")
    assert "ค่าตอบแทนผู้ดูแลสูงกว่าอัตรากลาง" in notice.body and "budget" in notice.body
    row = list(audit_history(proposal))[-1]
    assert (row.action, row.from_status, row.to_status) == (
        "request_information",
        PS.SUBMITTED,
        PS.INFO_REQUESTED,
    )
    assert row.actor == officer and "อัตรากลาง" in row.reason
    assert rules.editable_parts(proposal) == ["budget", "dates"]


def test_the_organisation_changes_only_what_was_asked_and_sends_it_again(asked):
    officer, evaluator, proposal, request = asked
    member = proposal.cso.members.first()
    first_sent = proposal.submitted_at
    services.proposal_update(proposal=proposal, user=member, budget_lines=NEW_LINES)
    with pytest.raises(InvalidTransition) as refused:
        services.proposal_update(proposal=proposal, user=member, summary="สรุปใหม่")
    assert "summary and outcomes cannot change" in refused.value.message
    with pytest.raises(InvalidTransition):  # attachments were not asked about either
        services.proposal_document_add(
            proposal=proposal,
            user=member,
            title="คำชี้แจง",
            upload=sample_file("registration.pdf", content_type="application/pdf"),
        )
    # The answer is required; nothing is sent without it.
    with pytest.raises(ValidationError) as refused:
        services.proposal_submit(proposal=fresh(proposal), user=member, answer="  ")
    assert "answer" in refused.value.message_dict
    assert fresh(proposal).status == PS.INFO_REQUESTED

    sent = services.proposal_submit(
        proposal=fresh(proposal), user=member, answer="ลดจำนวนผู้ดูแลตามอัตรากลาง"
    )
    assert sent.status == PS.SUBMITTED
    assert sent.requested_amount == Decimal("150000.00")
    assert sent.submitted_at == first_sent  # when it was first sent stays
    request = fresh(request)
    assert request.answer == "ลดจำนวนผู้ดูแลตามอัตรากลาง" and request.answered_by == member
    assert [e.action for e in audit_history(sent)][-1] == "resubmit"
    # The officers and the evaluators are told, with a link to what changed.
    for person in (officer, evaluator):
        notice = Notice.objects.get(recipient=person, kind="information_received")
        assert "ลดจำนวนผู้ดูแลตามอัตรากลาง" in notice.body
        assert notice.url == f"/proposals/{sent.pk}/versions/1/"
    assert not Notice.objects.filter(recipient=member, kind="proposal_received").exclude(
        created_at__lt=request.answered_at
    )
    changes = {
        c.name: c for c in diff.changes(request.version.content, rules.proposal_content(sent))
    }
    assert (changes["requested_amount"].before, changes["requested_amount"].after) == (
        "190020.00",
        "150000.00",
    )
    assert "summary" not in changes
    # Nothing more can change now.
    with pytest.raises(InvalidTransition):
        services.proposal_update(proposal=sent, user=member, budget_lines=NEW_LINES)


def test_while_it_answers_nothing_is_selected_or_scored_as_final(asked):
    officer, evaluator, proposal, request = asked
    with pytest.raises(InvalidTransition) as refused:
        services.proposal_select(proposal=proposal, officer=officer, reason="ดี")
    assert "answering the agency's questions" in refused.value.message
    scores = dict.fromkeys(WEIGHTS, 4)
    with pytest.raises(InvalidTransition) as refused:
        review_services.review_save(
            proposal=proposal, evaluator=evaluator, scores=scores,
            no_conflict_of_interest=True, submit=True,
        )  # fmt: skip
    assert "save your scores now" in refused.value.message
    draft = review_services.review_save(
        proposal=proposal, evaluator=evaluator, scores=scores,
        no_conflict_of_interest=True, submit=False,
    )  # fmt: skip
    assert draft.status == "draft"
    # Not selecting it stays open (the answer may never come).
    rejected = services.proposal_reject(proposal=proposal, officer=officer, reason="ไม่ตอบ")
    assert rejected.status == PS.NOT_SELECTED
    assert fresh(request).answered_at is None
    with pytest.raises(InvalidTransition):  # and then it cannot be answered
        services.proposal_submit(
            proposal=rejected, user=proposal.cso.members.first(), answer="ตอบช้า"
        )


def test_the_request_is_checked_and_only_the_calls_officers_ask():
    officer = OfficerFactory()
    call, (proposal,) = make_call(officer, n=1)
    good = {"questions": "ขอรายละเอียดเพิ่ม", "reply_by": _in(7)}
    with pytest.raises(PermissionDenied):
        services.proposal_request_information(proposal=proposal, officer=OfficerFactory(), **good)
    for bad, field in [
        ({"questions": "  "}, "questions"),
        ({"reply_by": _in(0.5)}, "reply_by"),
        ({"reply_by": _in(91)}, "reply_by"),
        ({"reply_by": datetime.datetime(2027, 1, 1)}, "reply_by"),  # noqa: DTZ001 (naive)
        ({"parts": ["budget", "logo"]}, "parts"),
    ]:
        with pytest.raises(ValidationError) as refused:
            services.proposal_request_information(
                proposal=proposal, officer=officer, **{**good, **bad}
            )
        assert field in refused.value.message_dict, bad
    assert fresh(proposal).status == PS.SUBMITTED and not proposal.versions.exists()
    # No parts named: every part may change.
    request = services.proposal_request_information(proposal=proposal, officer=officer, **good)
    assert request.parts == rules.PARTS
    with pytest.raises(InvalidTransition):  # not twice at once
        services.proposal_request_information(proposal=proposal, officer=officer, **good)


def test_not_while_the_call_is_open():
    officer = OfficerFactory()
    call, (proposal,) = make_call(officer, n=1, close=False)
    with pytest.raises(InvalidTransition) as refused:
        services.proposal_request_information(
            proposal=proposal, officer=officer, questions="?", reply_by=_in(7)
        )
    assert "once the call has closed" in refused.value.message


def test_no_answer_by_the_date_the_officer_is_told_and_withdraws_the_questions(asked):
    officer, evaluator, proposal, request = asked
    member = proposal.cso.members.first()
    # The organisation starts changing the budget, adds nothing else, and does not send.
    services.proposal_update(proposal=proposal, user=member, budget_lines=NEW_LINES)
    assert fresh(proposal).requested_amount == Decimal("150000.00")
    # Two days before: a reminder to the organisation, once.
    with time_machine.travel(request.reply_by - datetime.timedelta(days=1)):
        sweep(), sweep()
    assert Notice.objects.filter(recipient=member, kind="information_due_soon").count() == 1
    with time_machine.travel(request.reply_by + datetime.timedelta(minutes=1)):
        with pytest.raises(InvalidTransition) as refused:
            services.proposal_update(proposal=proposal, user=member, budget_lines=[])
        assert "was due by" in refused.value.message
        with pytest.raises(InvalidTransition):
            services.proposal_submit(proposal=fresh(proposal), user=member, answer="ช้าไป")
        assert rules.editable_parts(fresh(proposal)) == []
        sweep(), sweep()
        overdue = Notice.objects.filter(kind="information_overdue")
        assert [n.recipient for n in overdue] == [officer]
        with pytest.raises(ValidationError):  # the organisation reads the reason
            services.information_request_cancel(proposal=proposal, officer=officer, reason="")
        back = services.information_request_cancel(
            proposal=proposal, officer=officer, reason="ไม่ได้รับคำตอบตามกำหนด"
        )
    assert back.status == PS.SUBMITTED
    # Put back as it was sent: the budget lines and the amount.
    assert back.requested_amount == Decimal("190020.00")
    assert [line.amount for line in back.budget_lines.all()] == [
        Decimal("180000.00"),
        Decimal("10020.00"),
    ]
    assert fresh(request).cancel_reason == "ไม่ได้รับคำตอบตามกำหนด"
    notice = Notice.objects.get(recipient=member, kind="information_request_cancelled")
    assert "ไม่ได้รับคำตอบตามกำหนด" in notice.body
    assert [e.action for e in audit_history(back)][-1] == "cancel_information_request"
    # Decided on the proposal as it was sent.
    selected = services.proposal_select(proposal=back, officer=officer, reason="ตามเกณฑ์")
    assert selected.status == PS.SELECTED


def test_documents_sent_stay_and_documents_added_go_when_the_questions_are_withdrawn(
    django_capture_on_commit_callbacks,
):
    officer = OfficerFactory()
    call, (proposal,) = make_call(officer, n=1)
    services.proposal_request_information(
        proposal=proposal, officer=officer, questions="ขอหนังสือรับรอง", reply_by=_in(5),
        parts=["attachments"],
    )  # fmt: skip
    member = proposal.cso.members.first()
    sent_document = proposal.documents.get()
    with pytest.raises(InvalidTransition) as refused:
        services.proposal_document_delete(document=sent_document, user=member)
    assert "stays with it" in refused.value.message
    added = services.proposal_document_add(
        proposal=proposal,
        user=member,
        title="หนังสือรับรอง",
        upload=sample_file("registration.pdf", content_type="application/pdf"),
    )
    stored = added.file.name
    services.proposal_document_delete(document=added, user=member)  # its own: it may go
    added = services.proposal_document_add(
        proposal=proposal,
        user=member,
        title="หนังสือรับรอง",
        upload=sample_file("registration.pdf", content_type="application/pdf"),
    )
    assert not added.file.storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):  # the files go once committed
        services.information_request_cancel(proposal=proposal, officer=officer, reason="ถามผิด")
    assert list(proposal.documents.all()) == [sent_document]
    assert not added.file.storage.exists(added.file.name)


def test_asked_again_after_an_answer_keeps_each_version():
    officer = OfficerFactory()
    call, (proposal,) = make_call(officer, n=1)
    member = proposal.cso.members.first()
    for n in (1, 2):
        request = services.proposal_request_information(
            proposal=fresh(proposal), officer=officer, questions=f"คำถามรอบ {n}",
            reply_by=_in(7), parts=["summary"],
        )  # fmt: skip
        services.proposal_update(proposal=proposal, user=member, summary=f"สรุปฉบับที่ {n + 1}")
        services.proposal_submit(proposal=fresh(proposal), user=member, answer=f"ตอบรอบ {n}")
        assert request.number == n
    versions = list(proposal.versions.all())
    assert [(v.number, v.kind) for v in versions] == [
        (1, VersionKind.BEFORE_INFORMATION),
        (2, VersionKind.BEFORE_INFORMATION),
    ]
    assert versions[1].content["summary"] == "สรุปฉบับที่ 2"
    assert fresh(proposal).summary == "สรุปฉบับที่ 3"


def test_a_call_cancelled_while_it_answers_does_not_select_it(asked):
    officer, evaluator, proposal, request = asked
    call = call_services.call_cancel(call=proposal.call, user=officer, reason="งบประมาณถูกตัด")
    assert fresh(proposal).status == PS.NOT_SELECTED
    assert call.status == "cancelled"


def test_the_organisation_may_withdraw_while_answering(asked):
    officer, evaluator, proposal, request = asked
    member = proposal.cso.members.first()
    withdrawn = services.proposal_withdraw(proposal=proposal, user=member, reason="ไม่พร้อม")
    assert withdrawn.status == PS.WITHDRAWN
