"""Proposals on the web, as a CSO member uses them: start from a call, fill the task list,
check, submit, get a reference and a PDF receipt, withdraw; and every refusal on the way."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.reviews import services as review_services
from contracts.calls import services as call_services
from contracts.proposals import rules as proposal_rules
from contracts.proposals import services as proposal_services
from contracts.proposals.models import BudgetLine, Proposal
from portal.models import AuditLog
from portal.thai_words import baht_text
from tests import factories
from tests.helpers import page, pdf_text

pytestmark = pytest.mark.django_db

BANGKOK = zoneinfo.ZoneInfo("Asia/Bangkok")


@pytest.fixture
def english(client):
    """Pages in English, so the tests read the source strings."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def call(db):
    return factories.CallFactory(
        budget_ceiling=Decimal("200000.00"), required_documents=["แผนการดำเนินงาน"]
    )


@pytest.fixture
def cso(db):
    return factories.CSOFactory(status="approved", name_th="มูลนิธิเพื่อนผู้สูงวัย")


@pytest.fixture
def member(cso):
    return cso.members.get()


def start(client, call) -> Proposal:
    response = client.post(reverse("proposal-start", args=[call.pk]))
    assert response.status_code == 302
    return Proposal.objects.get(call=call, status="draft")


def part_url(proposal, part):
    return reverse("proposal-part", args=[proposal.pk, part])


def budget_rows(*rows, count=5):
    data = {"rows": str(count)}
    for i, (description, unit_cost, quantity) in enumerate(rows):
        data.update(
            {
                f"description_{i}": description,
                f"unit_cost_{i}": unit_cost,
                f"quantity_{i}": quantity,
            }
        )
    return data


def test_member_fills_the_task_list_checks_and_submits(english, call, member):
    english.force_login(member)
    proposal = start(english, call)
    detail = page(english.get(reverse("proposal-detail", args=[proposal.pk])))
    assert detail.count("Not started") == 6
    assert f"{call.closes_at.astimezone(BANGKOK).year + 543} BE" in detail  # closing time
    assert "200,000.00" in detail  # the ceiling

    response = english.post(
        part_url(proposal, "summary"),
        {"title": "เยี่ยมบ้านผู้สูงอายุ", "summary": "เยี่ยมบ้านทุกสัปดาห์", "outcomes": "ลดการกลับเข้าโรงพยาบาล"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("proposal-detail", args=[proposal.pk])

    # Five empty rows to start with; empty rows are ignored.
    targets_page = page(english.get(part_url(proposal, "targets")))
    assert 'name="indicator_4"' in targets_page
    english.post(
        part_url(proposal, "targets"),
        {"rows": "5", "indicator_0": "ผู้สูงอายุที่ได้รับการเยี่ยม", "target_0": "120 คน"},
    )

    response = english.post(
        part_url(proposal, "budget"),
        {
            **budget_rows(("ค่าตอบแทนผู้ดูแล", "1,500", "120"), ("ค่าวัสดุ", "250.50", "40")),
            "action": "total",
        },
    )
    assert response.status_code == 302 and response["Location"] == part_url(proposal, "budget")
    budget_page = page(english.get(part_url(proposal, "budget")))
    assert "180,000.00" in budget_page and "10,020.00" in budget_page  # each line's amount
    assert "190,020.00" in budget_page  # the total, worked out on the server
    assert "Per person served" in budget_page  # the call's costing method

    english.post(
        part_url(proposal, "dates"),
        {
            "start_day": "1",
            "start_month": "1",
            "start_year": "2027",
            "end_day": "31",
            "end_month": "12",
            "end_year": "2027",
        },
    )
    english.post(part_url(proposal, "document"), {"project_document": "เอกสารโครงการร่วม"})
    response = english.post(
        part_url(proposal, "attachments"),
        {
            "document": "แผนการดำเนินงาน",
            "file": factories.sample_file("registration.pdf", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302

    proposal.refresh_from_db()
    assert proposal.start_date == datetime.date(2027, 1, 1)
    assert proposal.requested_amount == Decimal("190020.00")
    assert proposal_rules.missing_parts(proposal) == []
    assert page(english.get(reverse("proposal-detail", args=[proposal.pk]))).count("Completed") == 6

    check = page(english.get(reverse("proposal-check", args=[proposal.pk])))
    assert "เยี่ยมบ้านทุกสัปดาห์" in check and "ผู้สูงอายุที่ได้รับการเยี่ยม" in check
    assert "1 January 2570 BE" in check
    assert part_url(proposal, "budget") in check  # change links
    assert "Parts still to complete" not in check

    response = english.post(reverse("proposal-check", args=[proposal.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("proposal-submitted", args=[proposal.pk])
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and proposal.reference
    confirmation = page(english.get(response["Location"]))
    assert proposal.reference in confirmation
    assert "What happens next" in confirmation
    assert reverse("proposal-receipt", args=[proposal.pk]) in confirmation

    # Read-only afterwards: the answers, the reference, no task list.
    detail = page(english.get(reverse("proposal-detail", args=[proposal.pk])))
    assert proposal.reference in detail and "Not started" not in detail
    assert "Check your answers and submit" not in detail
    assert "History" in detail


def test_the_pages_speak_thai_by_default(client, call, member):
    client.force_login(member)
    proposal = start(client, call)
    detail = page(client.get(reverse("proposal-detail", args=[proposal.pk])))
    assert 'lang="th"' in detail
    assert f"พ.ศ. {call.closes_at.astimezone(BANGKOK).year + 543}" in detail


def test_check_page_lists_the_missing_parts_and_submit_refuses(english, call, member):
    english.force_login(member)
    proposal = start(english, call)
    check = page(english.get(reverse("proposal-check", args=[proposal.pk])))
    assert "Parts still to complete" in check
    assert part_url(proposal, "targets") in check

    response = english.post(reverse("proposal-check", args=[proposal.pk]))
    assert response.status_code == 200
    assert "Your proposal was not submitted" in page(response)
    assert "Complete these parts first" in page(response)
    proposal.refresh_from_db()
    assert proposal.status == "draft" and proposal.reference == ""


def test_receipt_pdf_gives_back_the_thai_name_reference_and_buddhist_year(
    client, call, cso, member, tmp_path
):
    proposal = factories.ProposalFactory(call=call, cso=cso, status="submitted")
    client.force_login(member)
    response = client.get(reverse("proposal-receipt", args=[proposal.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "มูลนิธิเพื่อนผู้สูงวัย" in text
    assert proposal.reference in text
    assert f"พ.ศ. {proposal.submitted_at.astimezone(BANGKOK).year + 543}" in text
    assert "190,020.00" in text
    assert baht_text(Decimal("190020.00")) in text.replace("\n", "")
    assert "ค่าตอบแทนผู้ดูแล" in text  # the budget lines


def test_receipt_is_only_for_submitted_proposals_and_those_who_may_see_them(
    client, call, cso, member
):
    draft = factories.ProposalFactory(call=call, cso=cso)
    client.force_login(member)
    assert client.get(reverse("proposal-receipt", args=[draft.pk])).status_code == 404

    sent = factories.ProposalFactory(call=factories.CallFactory(), cso=cso, status="submitted")
    client.force_login(factories.CSOFactory(status="approved").members.get())
    assert client.get(reverse("proposal-receipt", args=[sent.pk])).status_code == 404
    client.force_login(factories.EvaluatorFactory())  # not on the call's panel
    assert client.get(reverse("proposal-receipt", args=[sent.pk])).status_code == 404
    officer = factories.OfficerFactory(agency=sent.call.agency)
    client.force_login(officer)
    assert client.get(reverse("proposal-receipt", args=[sent.pk])).status_code == 200


def test_over_the_ceiling_keeps_what_was_typed_and_says_why(english, member):
    call = factories.CallFactory(budget_ceiling=Decimal("1000.00"))
    english.force_login(member)
    proposal = start(english, call)
    response = english.post(
        part_url(proposal, "budget"),
        budget_rows(("ค่าตอบแทนผู้ดูแล", "1500", "1"), ("ค่าวัสดุ", "99.75", "2")),
    )
    body = page(response)
    assert response.status_code == 200
    assert 'id="error-summary"' in body
    assert "more than the call&#x27;s ceiling of 1,000.00 baht" in body
    assert "1,699.50" in body  # the total the lines would make
    assert 'value="ค่าตอบแทนผู้ดูแล"' in body and 'value="99.75"' in body
    assert not BudgetLine.objects.filter(proposal=proposal).exists()
    proposal.refresh_from_db()
    assert proposal.requested_amount == 0


def test_a_bad_line_is_named_by_its_row_and_gaps_close_up(english, call, member):
    english.force_login(member)
    proposal = start(english, call)
    data = budget_rows(("ค่าอาหาร", "50", "10"), ("", "", ""), ("ค่าเดินทาง", "ห้าร้อย", "2"))
    response = english.post(part_url(proposal, "budget"), data)
    body = page(response)
    assert response.status_code == 200
    assert "Line 2: give the unit cost in baht." in body
    # The empty row moved down, so the line in error is now row 2, as typed.
    assert 'name="description_1" value="ค่าเดินทาง"' in body
    assert 'name="unit_cost_1" value="ห้าร้อย"' in body
    assert not BudgetLine.objects.filter(proposal=proposal).exists()


def test_every_bad_line_is_named_in_one_submit(english, call, member):
    english.force_login(member)
    proposal = start(english, call)
    data = budget_rows(("ค่าอาหาร", "ห้าสิบ", "10"), ("ค่าเดินทาง", "500", "0"), ("", "10", "1"))
    body = page(english.post(part_url(proposal, "budget"), data))
    assert "Line 1: give the unit cost in baht." in body
    assert "Line 2: give a quantity above zero" in body
    assert "Line 3: say what it is for." in body
    assert not BudgetLine.objects.filter(proposal=proposal).exists()


def test_add_more_rows_without_javascript_keeps_the_rows(english, call, member):
    english.force_login(member)
    proposal = start(english, call)
    data = budget_rows(("ค่าอาหาร", "50", "10"))
    response = english.post(part_url(proposal, "budget"), {**data, "add_rows": "1"})
    body = page(response)
    assert response.status_code == 200
    assert 'name="description_7"' in body and 'name="description_8"' not in body
    assert 'value="ค่าอาหาร"' in body
    assert 'id="error-summary"' not in body
    assert not BudgetLine.objects.filter(proposal=proposal).exists()  # nothing saved yet

    response = english.post(
        part_url(proposal, "targets"), {"rows": "5", "indicator_0": "ตัวชี้วัด", "add_rows": "1"}
    )
    assert 'name="indicator_7"' in page(response)


def test_a_target_without_its_value_is_refused_and_kept(english, call, member):
    english.force_login(member)
    proposal = start(english, call)
    response = english.post(part_url(proposal, "targets"), {"rows": "5", "indicator_0": "ครัวเรือน"})
    body = page(response)
    assert response.status_code == 200
    assert "Give each target an indicator and a target value." in body
    assert 'value="ครัวเรือน"' in body
    proposal.refresh_from_db()
    assert proposal.targets == []


def test_dates_in_the_pages_era_and_their_errors(english, call, member):
    english.force_login(member)
    proposal = start(english, call)
    url = part_url(proposal, "dates")
    response = english.post(
        url, {"start_day": "31", "start_month": "2", "start_year": "2027", "end_day": "1"}
    )
    body = page(response)
    assert response.status_code == 200
    assert 'href="#id_start_day"' in body
    assert "This date does not exist: February has no day 31." in body
    assert 'href="#id_end_day"' not in body and 'href="#id_end_month"' in body
    assert 'value="31"' in body

    # The English page takes the C.E. year; a B.E. year is caught with the year meant.
    response = english.post(
        url,
        {
            "start_day": "1",
            "start_month": "6",
            "start_year": "2027",
            "end_day": "1",
            "end_month": "1",
            "end_year": "2570",
        },
    )
    body = page(response)
    assert 'href="#id_end_year"' in body
    assert "Type the year in the Common Era: did you mean 2027?" in body
    assert 'value="2570"' in body  # kept as typed

    response = english.post(
        url,
        {
            "start_day": "1",
            "start_month": "6",
            "start_year": "2027",
            "end_day": "1",
            "end_month": "1",
            "end_year": "2027",
        },
    )
    body = page(response)
    assert response.status_code == 200
    assert "The project must end on or after the day it starts." in body
    assert 'href="#id_end_day"' in body

    # The Thai page takes the B.E. year, shows the months by their Thai names and the
    # year back in B.E.; a C.E. year is caught with the B.E. year meant.
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    thai = {"start_day": "1", "start_month": "6", "start_year": "2570"}
    body = page(english.post(url, {**thai, "end_day": "31", "end_month": "5", "end_year": "2028"}))
    assert "กรอกปีเป็นพุทธศักราช (พ.ศ.): ท่านหมายถึง 2571 ใช่หรือไม่" in body
    english.post(url, {**thai, "end_day": "31", "end_month": "5", "end_year": "2571"})
    proposal.refresh_from_db()
    assert (proposal.start_date, proposal.end_date) == (
        datetime.date(2027, 6, 1),
        datetime.date(2028, 5, 31),
    )
    shown = page(english.get(url))
    assert 'name="end_year" value="2571"' in shown  # shown back in B.E.
    assert '<option value="5" selected>พฤษภาคม</option>' in shown


def test_attachments_are_checked_by_content_and_can_be_removed(english, call, member):
    english.force_login(member)
    proposal = start(english, call)
    url = part_url(proposal, "attachments")
    response = english.post(
        url,
        {
            "document": "__other__",
            "other_title": "ใบเสนอราคา",
            "file": factories.sample_file(
                "registration.pdf", as_name="quote.pdf", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = english.post(url, {"document": "แผนการดำเนินงาน", "file": fake})
    body = page(response)
    assert response.status_code == 200
    assert 'href="#id_file"' in body and "must be a PDF, JPEG or PNG" in body
    assert 'value="แผนการดำเนินงาน" selected' in body
    listing = page(english.get(url))
    assert "ใบเสนอราคา" in listing and "Not attached yet" in listing
    document = proposal.documents.get()
    download = english.get(reverse("proposal-attachment", args=[proposal.pk, document.pk]))
    assert download.status_code == 200
    response = english.post(reverse("proposal-attachment-delete", args=[proposal.pk, document.pk]))
    assert response.status_code == 302
    assert not proposal.documents.exists()


def test_late_submission_is_refused_with_the_reason(english, cso, member):
    call = factories.CallFactory(closes_at=timezone.now() + datetime.timedelta(hours=1))
    proposal = factories.ProposalFactory(call=call, cso=cso)
    english.force_login(member)
    with time_machine.travel(call.closes_at + datetime.timedelta(seconds=1), tick=False):
        response = english.post(reverse("proposal-check", args=[proposal.pk]))
    body = page(response)
    assert response.status_code == 200
    assert "closed for proposals" in body and "no longer accepts them" in body
    proposal.refresh_from_db()
    assert proposal.status == "draft" and not proposal.reference


def test_suspended_csos_cannot_submit(english, call, cso, member):
    proposal = factories.ProposalFactory(call=call, cso=cso)
    from csos.review import services as cso_review_services

    cso_review_services.cso_suspend(
        cso=cso, reviewer=factories.ReviewerFactory(), reason="ขาดรายงาน"
    )
    english.force_login(member)
    response = english.post(reverse("proposal-check", args=[proposal.pk]))
    assert response.status_code == 200
    assert "only an approved organisation can send a proposal" in page(response)
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_another_csos_member_gets_404(client, call, cso):
    proposal = factories.ProposalFactory(call=call, cso=cso)
    client.force_login(factories.CSOFactory(status="approved").members.get())
    for url in [
        reverse("proposal-detail", args=[proposal.pk]),
        part_url(proposal, "summary"),
        reverse("proposal-check", args=[proposal.pk]),
        reverse("proposal-withdraw", args=[proposal.pk]),
        reverse("proposal-receipt", args=[proposal.pk]),
        reverse("proposal-attachment", args=[proposal.pk, proposal.documents.first().pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(part_url(proposal, "summary"), {"title": "ยึด"}).status_code == 404
    assert client.post(reverse("proposal-check", args=[proposal.pk])).status_code == 404
    # Nor does the agency see a draft.
    client.force_login(factories.OfficerFactory(agency=call.agency))
    assert client.get(reverse("proposal-detail", args=[proposal.pk])).status_code == 404
    client.force_login(cso.members.get())
    assert client.get(part_url(proposal, "nonsense")).status_code == 404


def test_editing_after_submit_is_refused_by_the_server(english, call, cso, member):
    proposal = factories.ProposalFactory(call=call, cso=cso, status="submitted")
    title = proposal.title
    english.force_login(member)
    response = english.post(
        part_url(proposal, "summary"),
        {"title": "ชื่อใหม่", "summary": "แก้", "outcomes": "แก้"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("proposal-detail", args=[proposal.pk])
    assert "can no longer be changed" in page(response)
    response = english.post(
        part_url(proposal, "budget"), budget_rows(("ของ", "1", "1")), follow=True
    )
    assert "can no longer be changed" in page(response)
    proposal.refresh_from_db()
    assert proposal.title == title and proposal.budget_lines.count() == 2
    # Opening a part's page sends the member back with the same news.
    response = english.get(part_url(proposal, "dates"), follow=True)
    assert "can no longer be changed" in page(response)
    assert english.get(reverse("proposal-check", args=[proposal.pk])).status_code == 302


def test_officers_read_but_do_not_change(english, call, cso):
    proposal = factories.ProposalFactory(call=call, cso=cso, status="submitted")
    officer = factories.OfficerFactory(agency=call.agency)
    english.force_login(officer)
    body = page(english.get(reverse("proposal-detail", args=[proposal.pk])))
    assert proposal.reference in body and cso.name_en in body
    assert "History" in body and "Withdraw this proposal" not in body
    assert english.post(part_url(proposal, "summary"), {"title": "x"}).status_code == 403


def test_withdraw_after_confirmation(english, call, cso, member):
    proposal = factories.ProposalFactory(call=call, cso=cso, status="submitted")
    english.force_login(member)
    confirm = english.get(reverse("proposal-withdraw", args=[proposal.pk]))
    assert confirm.status_code == 200 and "Yes, withdraw the proposal" in page(confirm)
    response = english.post(
        reverse("proposal-withdraw", args=[proposal.pk]), {"reason": "ผู้ประสานงานลาออก"}, follow=True
    )
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"
    body = page(response)
    assert "Your proposal was withdrawn." in body and "ผู้ประสานงานลาออก" in body  # history
    assert AuditLog.objects.filter(object_id=str(proposal.pk), action="withdraw").exists()
    # Withdrawn is final: no second withdrawal, and the CSO may start again.
    response = english.get(reverse("proposal-withdraw", args=[proposal.pk]), follow=True)
    assert "can no longer be withdrawn" in page(response)
    again = english.post(reverse("proposal-start", args=[call.pk]))
    assert again.status_code == 302
    assert Proposal.objects.filter(call=call, cso=cso, status="draft").exists()


def test_decided_proposal_shows_outcome_and_feedback_without_names(english, call, cso, member):
    proposal = factories.ProposalFactory(call=call, cso=cso, status="submitted")
    officer = factories.OfficerFactory(agency=call.agency)
    evaluator = factories.EvaluatorFactory(username="khun_evaluator")
    call_services.call_assign_evaluators(call=call, user=officer, usernames=[evaluator.username])
    review_services.review_save(
        proposal=proposal,
        evaluator=evaluator,
        scores={
            "expertise": 5,
            "standards": 4,
            "service_area": 4,
            "track_record": 3,
            "networking": 4,
        },
        comments={"expertise": "ทีมงานมีประสบการณ์สูง"},
        comment="ควรเพิ่มแผนติดตามผล",
        no_conflict_of_interest=True,
        submit=True,
    )
    call_services.call_close(call=call, user=officer)
    proposal_services.proposal_select(proposal=proposal, officer=officer, reason="ครอบคลุมพื้นที่มากที่สุด")

    english.force_login(member)
    body = page(english.get(reverse("proposal-detail", args=[proposal.pk])))
    assert "Selected" in body and "ครอบคลุมพื้นที่มากที่สุด" in body
    assert "Scores and comments" in body
    assert "80.00" in body  # (5+4+4+3+4) × 20 / 5
    assert "ทีมงานมีประสบการณ์สูง" in body and "ควรเพิ่มแผนติดตามผล" in body
    assert "khun_evaluator" not in body
    assert "Withdraw this proposal" not in body
    response = english.get(reverse("proposal-withdraw", args=[proposal.pk]), follow=True)
    assert "can no longer be withdrawn" in page(response)


def test_feedback_waits_for_the_decision(english, call, cso, member):
    proposal = factories.ProposalFactory(call=call, cso=cso, status="submitted")
    english.force_login(member)
    assert "Scores and comments" not in page(
        english.get(reverse("proposal-detail", args=[proposal.pk]))
    )


def test_start_refusals_come_back_on_the_call_page(english, call):
    unapproved = factories.CSOFactory(status="submitted").members.get()
    english.force_login(unapproved)
    response = english.post(reverse("proposal-start", args=[call.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("call-detail", args=[call.pk])
    assert not Proposal.objects.filter(call=call).exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("must be approved" in m for m in messages)

    far_away = factories.CSOFactory(status="approved", service_provinces=["50"]).members.get()
    english.force_login(far_away)
    response = english.post(reverse("proposal-start", args=[call.pk]))
    assert response["Location"] == reverse("call-detail", args=[call.pk])
    assert not Proposal.objects.filter(call=call).exists()


def test_starting_twice_goes_back_to_the_same_proposal(english, call, member):
    english.force_login(member)
    first = start(english, call)
    response = english.post(reverse("proposal-start", args=[call.pk]))
    assert response["Location"] == reverse("proposal-detail", args=[first.pk])
    assert Proposal.objects.filter(call=call).count() == 1


def test_a_closed_call_cannot_be_answered(english, member):
    call = factories.CallFactory(status="closed")
    english.force_login(member)
    response = english.post(reverse("proposal-start", args=[call.pk]), follow=True)
    assert "This call is not taking proposals." in page(response)
    assert not Proposal.objects.filter(call=call).exists()


def test_our_proposals_lists_every_state_and_filters(english, cso, member):
    draft = factories.ProposalFactory(cso=cso, complete=False)
    sent = factories.ProposalFactory(cso=cso, status="submitted")
    other = factories.ProposalFactory(status="submitted")  # another CSO's
    english.force_login(member)
    body = page(english.get(reverse("my-proposals")))
    assert draft.title in body and sent.title in body and other.title not in body
    assert sent.reference in body
    assert "Our proposals" in body  # in the navigation and as the heading
    body = page(english.get(reverse("my-proposals"), {"status": "submitted"}))
    assert sent.title in body and draft.title not in body
    assert english.get(reverse("my-proposals"), {"status": "bogus"}).status_code == 200


def test_our_proposals_query_count_does_not_grow(
    client, cso, member, django_assert_max_num_queries
):
    proposals = [factories.ProposalFactory(cso=cso, complete=False) for _ in range(2)]
    client.force_login(member)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("my-proposals"))
    proposals += [factories.ProposalFactory(cso=cso, complete=False) for _ in range(8)]
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("my-proposals"))
    assert all(p.title in page(response) for p in proposals)


def test_a_member_without_an_organisation_is_sent_to_register(english):
    english.force_login(factories.MemberFactory())
    body = page(english.get(reverse("my-proposals")))
    assert reverse("registration") in body
    english.force_login(factories.OfficerFactory())
    assert english.get(reverse("my-proposals")).status_code == 403


def test_a_second_click_on_submit_lands_on_the_confirmation(english, call, cso, member):
    proposal = factories.ProposalFactory(call=call, cso=cso)
    english.force_login(member)
    url = reverse("proposal-check", args=[proposal.pk])
    assert english.post(url)["Location"] == reverse("proposal-submitted", args=[proposal.pk])
    assert english.post(url)["Location"] == reverse("proposal-submitted", args=[proposal.pk])
    assert AuditLog.objects.filter(object_id=str(proposal.pk), action="submit").count() == 1


def test_an_assigned_evaluator_reads_the_answers_without_the_history(english, call, cso):
    proposal = factories.ProposalFactory(call=call, cso=cso, status="submitted")
    evaluator = factories.EvaluatorFactory()
    officer = factories.OfficerFactory(agency=call.agency)
    call_services.call_assign_evaluators(call=call, user=officer, usernames=[evaluator.username])
    english.force_login(evaluator)
    body = page(english.get(reverse("proposal-detail", args=[proposal.pk])))
    assert "ค่าตอบแทนผู้ดูแล" in body and proposal.reference in body
    assert 'id="history-title"' not in body and "Scores and comments" not in body


def test_the_navigation_offers_our_proposals_to_members_only(client, member):
    client.force_login(member)
    assert reverse("my-proposals") in page(client.get("/"))
    client.force_login(factories.OfficerFactory())
    assert reverse("my-proposals") not in page(client.get("/"))
