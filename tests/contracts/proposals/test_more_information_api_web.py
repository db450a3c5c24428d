"""Asking for more information through the API (`request-more-information`, `submit` with
`answer`, `cancel-information-request`) and on the web: the officer's decide page, the
organisation's task list open only where the agency asked, the answer on the check page,
and the evaluator's review page while the organisation answers."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from contracts.proposals import services
from contracts.proposals.models import Proposal
from tests.factories import EvaluatorFactory, make_call
from tests.helpers import BKK, assert_error, date_boxes, fresh, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PS = Proposal.Status


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _in(days):
    return timezone.now() + datetime.timedelta(days=days)


def test_api_request_answer_and_read_the_questions(api_as, officer):
    evaluator = EvaluatorFactory()
    call, (proposal,) = make_call(officer, n=1, evaluators=[evaluator])
    member = proposal.cso.members.first()
    url = f"/api/v1/proposals/{proposal.pk}/request-more-information/"
    assert_error(
        api_as(member).post(url, {"questions": "?", "reply_by": _in(5).isoformat()}),
        403,
        "permission_denied",
    )
    for body, fields in [
        ({"questions": "ขอรายละเอียด"}, ["reply_by"]),
        ({"questions": "", "reply_by": _in(5).isoformat()}, ["questions"]),
        ({"questions": "?", "reply_by": _in(5).isoformat(), "parts": ["logo"]}, ["parts"]),
        ({"questions": "?", "reply_by": _in(200).isoformat()}, ["reply_by"]),
        ({"questions": "?", "reply_by": _in(5).isoformat(), "colour": "red"}, ["colour"]),
    ]:
        assert_error(
            api_as(officer).post(url, body, format="json"), 400, "validation_error", fields=fields
        )
    asked = api_as(officer).post(
        url,
        {"questions": "ขอรายละเอียดงบประมาณ", "reply_by": _in(5).isoformat(), "parts": ["budget"]},
        format="json",
    )
    assert asked.status_code == 200, asked.content
    body = asked.json()
    assert body["status"] == "info_requested"
    (request,) = body["information_requests"]
    assert request["questions"] == "ขอรายละเอียดงบประมาณ" and request["parts"] == ["budget"]
    assert request["version"] == 1 and request["answer"] == "" and request["answered_at"] is None
    again = api_as(officer).post(url, {"questions": "?", "reply_by": _in(5).isoformat()})
    assert_error(again, 409, "invalid_transition")

    client = api_as(member)
    other_part = client.patch(
        f"/api/v1/proposals/{proposal.pk}/", {"summary": "ใหม่"}, format="json"
    )
    assert_error(other_part, 409, "invalid_transition")
    lines = [{"description": "ค่าตอบแทน", "unit_cost": "1000.00", "quantity": "100"}]
    changed = client.patch(
        f"/api/v1/proposals/{proposal.pk}/", {"budget_lines": lines}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["requested_amount"] == "100000.00"
    submit = f"/api/v1/proposals/{proposal.pk}/submit/"
    assert_error(client.post(submit, {}, format="json"), 400, "validation_error", fields=["answer"])
    sent = client.post(submit, {"answer": "ปรับตามอัตรากลาง"}, format="json")
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    read = api_as(evaluator).get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert read["information_requests"][0]["answer"] == "ปรับตามอัตรากลาง"
    assert read["requested_amount"] == "100000.00"


def test_api_cancel_needs_a_reason_and_puts_the_proposal_back(api_as, officer):
    call, (proposal,) = make_call(officer, n=1)
    services.proposal_request_information(
        proposal=proposal, officer=officer, questions="?", reply_by=_in(3), parts=["summary"]
    )
    member = proposal.cso.members.first()
    services.proposal_update(proposal=proposal, user=member, summary="เปลี่ยนไปครึ่งทาง")
    url = f"/api/v1/proposals/{proposal.pk}/cancel-information-request/"
    assert_error(api_as(member).post(url, {"reason": "x"}), 403, "permission_denied")
    assert_error(api_as(officer).post(url, {}), 400, "validation_error", fields=["reason"])
    done = api_as(officer).post(url, {"reason": "ถามผิดข้อเสนอ"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert done.json()["summary"] == "จัดผู้ดูแลเยี่ยมบ้านผู้สูงอายุติดเตียงสัปดาห์ละครั้ง"
    assert done.json()["information_requests"][0]["cancel_reason"] == "ถามผิดข้อเสนอ"
    assert_error(api_as(officer).post(url, {"reason": "again"}), 409, "invalid_transition")


def test_web_officer_asks_on_the_decide_page_and_what_was_typed_stays(en, officer):
    call, (proposal,) = make_call(officer, n=1)
    en.force_login(officer)
    decide = f"/proposals/{proposal.pk}/decide/"
    page = text(en.get(decide))
    assert "Ask for more information" in page and "Parts the organisation may change" in page
    reply_by = (timezone.now() + datetime.timedelta(days=7)).astimezone(BKK)
    boxes = date_boxes("request_information-reply_by", reply_by, language="en")
    refused = en.post(
        decide,
        {"action": "request_information", "request_information-questions": "", **boxes},
    )
    assert refused.status_code == 200
    assert "Write the questions the organisation should answer." in text(refused)
    assert f'name="request_information-reply_by_year" value="{reply_by.year}"' in (
        refused.content.decode()
    )
    assert fresh(proposal).status == PS.SUBMITTED
    done = en.post(
        decide,
        {
            "action": "request_information",
            "request_information-questions": "ขอแผนรายเดือน",
            "request_information-parts": ["dates", "document"],
            **boxes,
        },
        follow=True,
    )
    assert "The questions were sent" in text(done)
    proposal = fresh(proposal)
    assert proposal.status == PS.INFO_REQUESTED
    request = proposal.information_requests.get()
    assert request.parts == ["dates", "document"] and request.questions == "ขอแผนรายเดือน"
    assert abs(request.reply_by - reply_by.replace(second=0, microsecond=0)) < datetime.timedelta(
        minutes=1
    )
    page = text(en.get(decide))
    assert "Waiting for the organisation's answer" in page and "Withdraw the questions" in page
    assert "Select this proposal" not in page


def test_web_the_organisation_answers_from_its_task_list(en, officer):
    call, (proposal,) = make_call(officer, n=1)
    services.proposal_request_information(
        proposal=proposal, officer=officer, questions="ขอเอกสารโครงการฉบับเต็ม",
        reply_by=_in(4), parts=["document"],
    )  # fmt: skip
    en.force_login(proposal.cso.members.first())
    detail = f"/proposals/{proposal.pk}/"
    page = en.get(detail).content.decode()
    assert "The agency asks more about your proposal" in page and "ขอเอกสารโครงการฉบับเต็ม" in page
    assert f'href="/proposals/{proposal.pk}/document/"' in page
    assert f'href="/proposals/{proposal.pk}/summary/"' not in page
    assert "Not asked about" in page
    # A part not asked about is not opened, even by its address.
    closed = en.get(f"/proposals/{proposal.pk}/summary/", follow=True)
    assert "The agency asked about other parts" in text(closed)
    saved = en.post(f"/proposals/{proposal.pk}/document/", {"project_document": "เอกสารฉบับเต็ม"})
    assert saved.status_code == 302
    check = f"/proposals/{proposal.pk}/check/"
    page = text(en.get(check))
    assert "Check your changes and send your answer" in page and "ขอเอกสารโครงการฉบับเต็ม" in page
    empty = en.post(check, {"answer": " "})
    assert "Answer the agency's questions." in text(empty)
    assert fresh(proposal).status == PS.INFO_REQUESTED
    sent = en.post(check, {"answer": "แนบเอกสารฉบับเต็มแล้ว"}, follow=True)
    assert "Your answer was sent with the proposal" in text(sent)
    proposal = fresh(proposal)
    assert proposal.status == PS.SUBMITTED and proposal.project_document == "เอกสารฉบับเต็ม"
    page = text(en.get(detail))
    assert "แนบเอกสารฉบับเต็มแล้ว" in page and "See what changed" in page


def test_web_the_evaluator_saves_but_does_not_submit_while_the_organisation_answers(
    client, officer
):
    evaluator = EvaluatorFactory()
    call, (proposal,) = make_call(officer, n=1, evaluators=[evaluator])
    services.proposal_request_information(
        proposal=proposal, officer=officer, questions="?", reply_by=_in(4)
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(evaluator)
    url = f"/proposals/{proposal.pk}/review/"
    page = text(client.get(url))
    assert "You can save your scores now and submit them once it has answered" in page
    assert 'value="submit"' not in client.get(url).content.decode()
    scores = {f"score_{c}": "4" for c in call.criteria_weights}
    posted = client.post(
        url, {"action": "submit", "no_conflict_of_interest": "on", **scores, "comment": "ดี"}
    )
    assert posted.status_code == 200
    assert "save your scores now and submit them" in text(posted)
    assert "ดี</textarea>" in posted.content.decode()  # what was typed stays
    assert not proposal.reviews.filter(status="submitted").exists()
