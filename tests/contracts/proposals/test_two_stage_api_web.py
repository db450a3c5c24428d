"""Two-stage calls through the API (`stages`, `stage`, `invite-full`, `decline-concept`) and
on the web: the call form, the concept note's two parts, the officer's concept notes page
with its confirmation step, and the version page that shows what changed."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts.calls.models import Call
from contracts.proposals import services
from contracts.proposals.models import Proposal
from tests.factories import CallFactory, MissionFactory, concept_note, two_stage_call
from tests.helpers import assert_error, fresh, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PS = Proposal.Status


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _due(days=10):
    return timezone.now() + datetime.timedelta(days=days)


def test_api_two_stage_call_concept_note_and_invitation(api_as, officer, approved_member):
    mission = MissionFactory(officer=officer)
    now = timezone.now()
    created = api_as(officer).post(
        "/api/v1/calls/",
        {
            "mission": mission.pk, "instrument": "grant", "title": "ทุนสองขั้น", "stages": 2,
            "budget_ceiling": "500000.00", "costing_method": "per_project",
            "opens_at": (now - datetime.timedelta(hours=1)).isoformat(),
            "closes_at": (now + datetime.timedelta(days=10)).isoformat(),
            "eligible_provinces": [], "eligible_activity_fields": [],
        },
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["stages"] == 2
    call_id = created.json()["id"]
    assert api_as(officer).post(f"/api/v1/calls/{call_id}/publish/").status_code == 200

    member = api_as(approved_member)
    started = member.post(
        "/api/v1/proposals/",
        {"call": call_id, "summary": "ศูนย์ดูแลกลางวัน", "outcomes": "ผู้สูงอายุมีที่พัก",
         "requested_amount": "300000.00"},
        format="json",
    )  # fmt: skip
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["stage"] == "concept" and body["requested_amount"] == "300000.00"
    assert body["parts"] == {"summary": "completed", "estimate": "completed"}
    pk = body["id"]
    lines = member.patch(
        f"/api/v1/proposals/{pk}/",
        {"budget_lines": [{"description": "x", "unit_cost": "1", "quantity": "1"}]},
        format="json",
    )
    assert_error(lines, 400, "validation_error", fields=["budget_lines"])
    sent = member.post(f"/api/v1/proposals/{pk}/submit/")
    assert sent.status_code == 200 and sent.json()["status"] == "concept_sent"

    # The organisation cannot invite itself; the officer waits for the call to close.
    assert_error(
        member.post(f"/api/v1/proposals/{pk}/invite-full/", {"due_at": _due().isoformat()}),
        403,
        "permission_denied",
    )
    early = api_as(officer).post(
        f"/api/v1/proposals/{pk}/invite-full/", {"due_at": _due().isoformat()}, format="json"
    )
    assert_error(early, 409, "invalid_transition")
    assert api_as(officer).post(f"/api/v1/calls/{call_id}/close/").status_code == 200
    missing = api_as(officer).post(f"/api/v1/proposals/{pk}/invite-full/", {}, format="json")
    assert_error(missing, 400, "validation_error", fields=["due_at"])
    due = _due()
    invited = api_as(officer).post(
        f"/api/v1/proposals/{pk}/invite-full/",
        {"due_at": due.isoformat(), "note": "Add targets per district"},
        format="json",
    )
    assert invited.status_code == 200, invited.content
    body = invited.json()
    assert (body["stage"], body["status"]) == ("full", "draft")
    assert body["invitation_note"] == "Add targets per district" and body["invited_at"]
    assert set(body["parts"]) == {
        "summary", "targets", "budget", "dates", "document", "attachments",
    }  # fmt: skip
    listed = api_as(officer).get("/api/v1/proposals/", {"call": call_id, "stage": "full"})
    assert [row["id"] for row in listed.json()["results"]] == [pk]


def test_api_decline_concept_needs_a_reason(api_as, officer):
    call, (note, _other) = two_stage_call(officer=officer)
    url = f"/api/v1/proposals/{note.pk}/decline-concept/"
    assert_error(
        api_as(officer).post(url, {}, format="json"), 400, "validation_error", fields=["reason"]
    )
    done = api_as(officer).post(url, {"reason": "Not in the target group"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "not_selected"
    again = api_as(officer).post(url, {"reason": "Twice"}, format="json")
    assert_error(again, 409, "invalid_transition")


def test_web_call_form_offers_two_stages(en, officer):
    mission = MissionFactory(officer=officer)
    en.force_login(officer)
    page = text(en.get(f"/missions/{mission.pk}/calls/new/"))
    assert "Two stages: concept notes first" in page


def test_web_concept_note_two_parts_then_sent(en, officer):
    call = CallFactory(stages=2, officer=officer)
    from tests.factories import CSOFactory

    member = CSOFactory(status="approved").members.get()
    en.force_login(member)
    assert "Start a concept note" in text(en.get(f"/calls/{call.pk}/"))
    response = en.post(f"/calls/{call.pk}/proposals/start/", follow=True)
    proposal = Proposal.objects.get(cso=member.cso)
    page = text(response)
    assert "Budget estimate" in page and "Targets and indicators" not in page
    assert en.get(f"/proposals/{proposal.pk}/budget/").status_code == 404
    bad = en.post(f"/proposals/{proposal.pk}/estimate/", {"requested_amount": "9,000,000"})
    assert bad.status_code == 200 and "ceiling" in text(bad)
    assert 'value="9,000,000"' in bad.content.decode()  # what was typed is kept
    en.post(f"/proposals/{proposal.pk}/estimate/", {"requested_amount": "250,000.00"})
    en.post(
        f"/proposals/{proposal.pk}/summary/",
        {"title": "ศูนย์ดูแลกลางวัน", "summary": "ดูแลผู้สูงอายุ", "outcomes": "มีที่พัก"},
    )
    done = en.post(f"/proposals/{proposal.pk}/check/", follow=True)
    assert "Concept note submitted" in text(done)
    assert fresh(proposal).status == PS.CONCEPT_SENT


def test_web_officer_answers_concept_notes_in_one_confirmed_step(en, officer):
    call, (first, second) = two_stage_call(officer=officer)
    en.force_login(officer)
    url = f"/calls/{call.pk}/concepts/"
    page = text(en.get(url))
    assert first.title in page and second.title in page
    due = timezone.localtime(_due(14))
    form = {
        f"answer-{first.pk}": "invite", f"text-{first.pk}": "Develop the district plan",
        f"answer-{second.pk}": "decline", "shared_reason": "",
        "due_at_day": str(due.day), "due_at_month": str(due.month), "due_at_year": str(due.year),
        "due_at_hour": "16", "due_at_minute": "30",
    }  # fmt: skip
    missing = en.post(url, form)
    assert missing.status_code == 400 and "reason for each decline" in text(missing)
    form["shared_reason"] = "The budget estimate exceeds what the service needs"
    check = en.post(url, form)
    assert "Confirm these answers" in text(check) and fresh(first).status == PS.CONCEPT_SENT
    done = en.post(url, {**form, "confirmed": "1"}, follow=True)
    assert "1 invited to a full proposal and 1 declined" in text(done)
    first, second = fresh(first), fresh(second)
    assert first.status == PS.DRAFT and first.invitation_note == "Develop the district plan"
    assert timezone.localtime(first.full_due_at).hour == 16
    assert second.decision_reason.startswith("The budget estimate")
    assert "Invited, due" in text(en.get(url))


def test_web_version_page_shows_what_changed_since_the_concept_note(en, officer):
    call, (note, _other) = two_stage_call(officer=officer)
    invited = services.concept_invite(proposal=note, officer=officer, due_at=_due())
    member = invited.cso.members.first()
    services.proposal_update(proposal=invited, user=member, summary=invited.summary + "และเด็กเล็ก")
    en.force_login(member)
    detail = text(en.get(f"/proposals/{invited.pk}/"))
    assert "Invited to send a full proposal" in detail
    assert "Version 1: The concept note" in detail
    page = en.get(f"/proposals/{invited.pk}/versions/1/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<ins>" in html and "และเด็กเล็ก" in html
    assert en.get(f"/proposals/{invited.pk}/versions/2/").status_code == 404
    en.force_login(officer)
    assert en.get(f"/proposals/{invited.pk}/versions/1/").status_code == 200


def test_web_concept_notes_page_costs_the_same_queries_however_many_notes(en, officer):
    call, (first, second) = two_stage_call(officer=officer)
    services.concept_decline(proposal=first, officer=officer, reason="Not this time")
    en.force_login(officer)
    url = f"/calls/{call.pk}/concepts/"

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert en.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    # More notes waiting and more answered (sent while the call was open, as if earlier): the
    # page reads them in the same queries.
    Call.objects.filter(pk=call.pk).update(status=Call.Status.OPEN, closes_at=_due(1))
    more = [concept_note(call=fresh(call)) for _ in range(4)]
    Call.objects.filter(pk=call.pk).update(
        status=Call.Status.CLOSED, closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    services.concept_decline(proposal=more[0], officer=officer, reason="Not this time")
    assert queries() == few
