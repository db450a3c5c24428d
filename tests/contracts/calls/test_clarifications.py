"""Forecasts, questions and addenda on calls (issue 17, item 1): a forecast is public and
takes no proposal; organisations ask questions on an open call and the officer's answers are
published without the asker; a published call changes only by a numbered addendum that never
shortens the deadline nor changes the weights after a submission, and every organisation with
a draft is told."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from contracts.calls import services
from contracts.calls.models import Call
from contracts.proposals import services as proposal_services
from portal.audit import audit_history
from portal.notices.models import Notice
from portal.workflow import InvalidTransition
from tests.factories import CallFactory, CSOFactory, ProposalFactory, sample_file
from tests.helpers import text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _client(user=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def test_a_forecast_is_public_takes_no_proposal_and_opens_when_published(approved_member):
    call = CallFactory(status="draft", title="Home care 2571")
    officer = call.created_by
    forecast = services.call_forecast(call=call, user=officer)
    assert forecast.status == "forecast" and forecast.forecast_at is not None
    page = text(_client(approved_member).get(f"/calls/{call.pk}/"))
    assert "Forecast." in page and "takes proposals once the agency publishes it" in page
    listing = text(_client().get("/calls/"))
    assert "Calls coming soon (forecasts)" in listing and "Home care 2571" in listing
    with pytest.raises(InvalidTransition):  # no proposal yet
        proposal_services.proposal_create(user=approved_member, call=forecast, title="Too early")
    # A forecast can still be refined, then published.
    services.call_update(call=forecast, user=officer, title="Home care 2571 (final)")
    opened = services.call_publish(call=forecast, user=officer)
    assert opened.status == "open"
    assert [e.action for e in audit_history(opened)][-2:] == ["forecast", "publish"]
    row = _client().get(f"/api/v1/calls/{call.pk}/").json()
    assert row["status"] == "open"


def test_questions_are_answered_in_public_without_the_asker(approved_member):
    call = CallFactory(title="Home care")
    officer = call.created_by
    asked = services.question_ask(
        user=approved_member, call=call, question="May two CSOs apply together?"
    )
    public = text(_client().get(f"/calls/{call.pk}/"))
    assert "May two CSOs apply together?" not in public  # not answered yet
    ours = text(_client(approved_member).get(f"/calls/{call.pk}/"))
    assert "May two CSOs apply together?" in ours  # the asker's organisation sees it waiting
    with pytest.raises(PermissionDenied):
        services.question_answer(user=approved_member, question=asked, answer="Yes")
    services.question_answer(user=officer, question=asked, answer="Yes, with a lead applicant.")
    public = text(_client().get(f"/calls/{call.pk}/"))
    assert "May two CSOs apply together?" in public and "with a lead applicant" in public
    assert approved_member.cso.name_th not in public.split("Questions and answers")[1]
    assert Notice.objects.filter(recipient=approved_member, kind="call_question_answered").exists()
    # Correcting an answer does not notify again.
    services.question_answer(user=officer, question=asked, answer="Yes; name a lead applicant.")
    assert Notice.objects.filter(kind="call_question_answered").count() == 1

    with pytest.raises(PermissionDenied):  # an officer does not ask
        services.question_ask(user=officer, call=call, question="x")
    with pytest.raises(ValidationError):
        services.question_ask(user=approved_member, call=call, question="   ")
    closed = CallFactory(status="closed")
    with pytest.raises(InvalidTransition):
        services.question_ask(user=approved_member, call=closed, question="Too late?")


def test_an_addendum_extends_the_deadline_and_tells_every_draft():
    call = CallFactory(title="Home care")
    officer = call.created_by
    drafting = ProposalFactory(call=call)  # a draft
    member = drafting.cso.members.get()
    later = call.closes_at + datetime.timedelta(days=7)
    addendum = services.call_amend(
        call=call, user=officer, summary="Deadline extended after the floods.", closes_at=later,
        document=sample_file("registration.pdf", content_type="application/pdf"),
        document_title="Revised guidance",
    )  # fmt: skip
    call.refresh_from_db()
    assert addendum.number == 1 and call.closes_at == later
    assert set(addendum.changes) == {"closes_at"}
    notice = Notice.objects.get(recipient=member, kind="call_addendum")
    assert "Deadline extended after the floods." in notice.body
    page = text(_client().get(f"/calls/{call.pk}/"))
    assert "Addendum 1" in page and "The closing time is extended." in page
    pdf = _client().get(f"/calls/{call.pk}/addenda/1.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")

    with pytest.raises(ValidationError) as shorter:
        services.call_amend(
            call=call, user=officer, summary="Shorter", closes_at=later - datetime.timedelta(days=1)
        )
    assert "closes_at" in shorter.value.message_dict
    weights = {"expertise": 40, "standards": 15, "service_area": 15, "track_record": 15,
               "networking": 15}  # fmt: skip
    second = services.call_amend(
        call=call, user=officer, summary="Expertise counts more.", criteria_weights=weights
    )
    assert second.number == 2 and Call.objects.get(pk=call.pk).weight_expertise == 40
    ProposalFactory(call=call, cso=CSOFactory(status="approved"), status="submitted")
    with pytest.raises(ValidationError) as weights_fixed:
        services.call_amend(
            call=call, user=officer, summary="Back to equal",
            criteria_weights=dict.fromkeys(weights, 20),
        )  # fmt: skip
    assert "criteria_weights" in weights_fixed.value.message_dict
    with pytest.raises(ValidationError):  # nothing changes
        services.call_amend(call=call, user=officer, summary="Nothing")
    with pytest.raises(PermissionDenied):
        services.call_amend(call=call, user=member, summary="x", closes_at=later)
    assert [e.action for e in audit_history(call)].count("amend") == 2


def test_the_amend_page_keeps_what_was_typed_and_the_api_lists_questions_and_addenda(
    approved_member,
):
    call = CallFactory()
    officer = call.created_by
    boss = _client(officer)
    form = boss.get(f"/calls/{call.pk}/amend/")
    assert form.status_code == 200 and "Change the call by an addendum" in text(form)
    refused = boss.post(
        f"/calls/{call.pk}/amend/",
        {"summary": "", "description": "Clarified text", **{
            f"weight_{c}": 20 for c in call.criteria_weights}},
    )  # fmt: skip
    assert refused.status_code == 400 and "Clarified text" in refused.content.decode()
    done = boss.post(
        f"/calls/{call.pk}/amend/",
        {"summary": "Clarified", "description": "Clarified text", **{
            f"weight_{c}": 20 for c in call.criteria_weights}},
    )  # fmt: skip
    assert done.status_code == 302
    assert _client(approved_member).get(f"/calls/{call.pk}/amend/").status_code == 403

    asked = _client(approved_member).post(
        f"/calls/{call.pk}/questions/", {"question": "Is transport an eligible cost?"}
    )
    assert asked.status_code == 302
    question = call.questions.get()
    missing = boss.post(
        f"/calls/{call.pk}/questions/{question.pk}/answer/", {f"answer-{question.pk}-answer": ""}
    )
    assert missing.status_code == 400
    boss.post(
        f"/calls/{call.pk}/questions/{question.pk}/answer/",
        {f"answer-{question.pk}-answer": "Yes, up to 10 %."},
    )
    api = Client()
    rows = api.get(f"/api/v1/calls/{call.pk}/questions/").json()["results"]
    assert rows == [
        {"id": question.pk, "question": "Is transport an eligible cost?",
         "asked_at": rows[0]["asked_at"], "answer": "Yes, up to 10 %.",
         "answered_at": rows[0]["answered_at"]}
    ]  # fmt: skip
    addenda = api.get(f"/api/v1/calls/{call.pk}/addenda/").json()["results"]
    assert [a["number"] for a in addenda] == [1] and addenda[0]["summary"] == "Clarified"


def test_the_api_refuses_the_wrong_person(api_as, approved_member):
    call = CallFactory()
    officer = call.created_by
    base = f"/api/v1/calls/{call.pk}/"
    assert (
        api_as(None).post(f"{base}questions/", {"question": "x"}, format="json").status_code == 401
    )
    assert (
        api_as(officer).post(f"{base}questions/", {"question": "x"}, format="json").status_code
        == 403
    )
    made = api_as(approved_member).post(f"{base}questions/", {"question": "Why?"}, format="json")
    assert made.status_code == 201 and made.json()["answer"] == ""
    qid = made.json()["id"]
    assert (
        api_as(approved_member)
        .patch(f"{base}questions/{qid}/", {"answer": "x"}, format="json")
        .status_code
        == 403
    )
    answered = api_as(officer).patch(
        f"{base}questions/{qid}/", {"answer": "Because."}, format="json"
    )
    assert answered.status_code == 200 and answered.json()["answer"] == "Because."
    later = (call.closes_at + datetime.timedelta(days=3)).isoformat()
    assert (
        api_as(approved_member)
        .post(f"{base}addenda/", {"summary": "x", "closes_at": later}, format="json")
        .status_code
        == 403
    )
    amended = api_as(officer).post(
        f"{base}addenda/", {"summary": "Extended", "closes_at": later}, format="json"
    )
    assert amended.status_code == 201 and amended.json()["number"] == 1
    earlier = (call.closes_at - datetime.timedelta(days=1)).isoformat()
    shorter = api_as(officer).post(
        f"{base}addenda/", {"summary": "Shorter", "closes_at": earlier}, format="json"
    )
    assert shorter.status_code == 400
    draft = CallFactory(status="draft", officer=officer)
    forecast = api_as(officer).post(f"/api/v1/calls/{draft.pk}/forecast/", format="json")
    assert forecast.status_code == 200 and forecast.json()["status"] == "forecast"
    assert api_as(None).get(f"/api/v1/calls/{draft.pk}/").json()["status"] == "forecast"
    assert timezone.now() < Call.objects.get(pk=draft.pk).closes_at


def test_a_call_closing_while_the_question_is_sent_comes_back_with_the_reason(
    approved_member, monkeypatch
):
    call = CallFactory()

    def closed_meanwhile(**kwargs):  # the call closed between the page's check and the save
        raise InvalidTransition("Questions are asked while the call takes proposals.")

    monkeypatch.setattr(services, "question_ask", closed_meanwhile)
    me = _client(approved_member)
    sent = me.post(f"/calls/{call.pk}/questions/", {"question": "Still open?"})
    assert sent.status_code == 302 and sent["Location"] == f"/calls/{call.pk}/#questions"
    assert "Questions are asked while the call takes proposals." in text(me.get(sent["Location"]))
