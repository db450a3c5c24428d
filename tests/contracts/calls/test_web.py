"""Calls for proposals on the web: the public list and call page, and the officer's pages to
draft, preview, publish, close, cancel, choose evaluators and follow the agency's calls."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from contracts.calls.models import Call
from csos.models import CSO
from portal.models import AuditLog
from tests import factories

pytestmark = pytest.mark.django_db

BANGKOK = ZoneInfo("Asia/Bangkok")


@pytest.fixture
def en(client):
    """The web client reading English (the Thai translations come later)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def local(name: str, dt: datetime.datetime) -> dict:
    """What the date and time boxes of ``name`` send for ``dt`` on an English page: day,
    month, C.E. year, hours and minutes as the clock reads in Bangkok."""
    dt = dt.astimezone(BANGKOK)
    return {
        f"{name}_day": str(dt.day),
        f"{name}_month": str(dt.month),
        f"{name}_year": str(dt.year),
        f"{name}_hour": f"{dt:%H}",
        f"{name}_minute": f"{dt:%M}",
    }


def form_data(**overrides):
    now = timezone.now()
    for name in ("opens_at", "closes_at"):  # a moment, typed in its boxes
        if isinstance(overrides.get(name), datetime.datetime):
            overrides.update(local(name, overrides.pop(name)))
    data = {
        "instrument": "performance_contract",
        "title": "สัญญาจัดบริการดูแลผู้สูงอายุ",
        "description": "บริการเยี่ยมบ้านผู้สูงอายุติดเตียง",
        "budget_ceiling": "1,250,000.50",
        **local("opens_at", now + datetime.timedelta(days=1)),
        **local("closes_at", now + datetime.timedelta(days=30)),
        "costing_method": "per_project",
        "eligible_provinces": ["10", "50"],
        "eligible_activity_fields": ["social_services", "health"],
        "required_documents": "แผนการดำเนินงาน\n\nงบการเงินปีล่าสุด\n",
        "weight_expertise": "30",
        "weight_standards": "20",
        "weight_service_area": "20",
        "weight_track_record": "20",
        "weight_networking": "10",
    }
    data.update(overrides)
    return data


def audited(call, action):
    return AuditLog.objects.filter(
        object_id=str(call.pk), action=action, content_type__model="call"
    )


# --- creating and editing ------------------------------------------------------------


def test_officer_opens_a_call_from_the_mission_and_lands_on_the_preview(en, officer):
    mission = factories.MissionFactory(officer=officer, provinces=["10", "50"])
    en.force_login(officer)
    mission_page = en.get(reverse("mission-detail", args=[mission.pk])).content.decode()
    create_url = reverse("call-create", args=[mission.pk])
    assert create_url == f"/missions/{mission.pk}/calls/new/"
    assert f'href="{create_url}"' in mission_page

    blank = en.get(create_url).content.decode()
    # Eligibility starts from the mission: its provinces and its field are ticked.
    for code in ("10", "50", "social_services"):
        assert f'value="{code}"' in blank
    assert blank.count("checked") == 4  # and "one stage", the default
    assert blank.count('value="20"') >= 5  # equal weights by default
    # Day, month by name, C.E. year on this English page, and the time in 24 hours.
    assert 'type="datetime-local"' not in blank
    assert '<option value="8">August</option>' in blank and "Year (C.E.)" in blank
    assert 'name="opens_at_hour"' in blank and 'name="closes_at_minute"' in blank
    assert en.get(f"/calls/new/?mission={mission.pk}").status_code == 200

    opens = timezone.now().astimezone(BANGKOK).replace(second=0, microsecond=0)
    opens += datetime.timedelta(days=2)
    data = form_data(opens_at=opens)
    response = en.post(create_url, data)
    assert response.status_code == 302
    call = Call.objects.get()
    assert response["Location"] == reverse("call-detail", args=[call.pk])
    assert call.status == Call.Status.DRAFT
    assert call.agency_id == officer.agency_id and call.mission_id == mission.pk
    assert call.opens_at == opens  # typed as Bangkok time
    assert call.budget_ceiling == Decimal("1250000.50")
    assert call.required_documents == ["แผนการดำเนินงาน", "งบการเงินปีล่าสุด"]
    assert call.criteria_weights == {
        "expertise": 30,
        "standards": 20,
        "service_area": 20,
        "track_record": 20,
        "networking": 10,
    }
    assert sorted(p.code for p in call.eligible_provinces.all()) == ["10", "50"]
    assert audited(call, "create").get().actor == officer

    preview = en.get(response["Location"]).content.decode()
    assert "Preview of a draft" in preview
    assert reverse("call-publish", args=[call.pk]) in preview
    assert reverse("call-edit", args=[call.pk]) in preview
    assert reverse("call-cancel", args=[call.pk]) in preview
    assert "1,250,000.50" in preview
    assert f"{opens.year + 543} BE, {opens:%H:%M}" in preview  # B.E. with the Bangkok time
    assert "Performance contract" in preview and "Per project" in preview
    assert "งบการเงินปีล่าสุด" in preview
    assert "Networking and resource mobilisation" in preview


def test_create_without_a_mission_lists_the_agencys_missions(en, officer, other_officer):
    mine = factories.MissionFactory(officer=officer, title_en="Day care centre")
    theirs = factories.MissionFactory(officer=other_officer, title_en="Their mission")
    en.force_login(officer)
    page = en.get("/calls/new/").content.decode()
    assert reverse("call-create", args=[mine.pk]) in page
    assert "Their mission" not in page
    assert en.get(f"/calls/new/?mission={theirs.pk}").status_code == 403
    assert en.get("/calls/new/?mission=99999").status_code == 404


def test_a_mission_limited_to_information_sends_the_officer_back_with_the_reason(en, officer):
    mission = factories.MissionFactory(
        officer=officer, service_category="administrative", mission_type="direct_service"
    )
    open_one = factories.MissionFactory(officer=officer, title_en="Day care centre")
    en.force_login(officer)
    create_url = reverse("call-create", args=[mission.pk])

    response = en.get(create_url, follow=True)
    assert response.redirect_chain == [(reverse("mission-detail", args=[mission.pk]), 302)]
    assert "A call cannot be opened for this mission" in response.content.decode()
    response = en.post(create_url, form_data(), follow=True)
    assert "A call cannot be opened for this mission" in response.content.decode()
    assert not Call.objects.exists()

    # Choosing a mission: the administrative one says why instead of linking.
    page = en.get("/calls/new/").content.decode()
    assert f'href="{create_url}"' not in page
    assert "A call cannot be opened for this mission" in page
    assert reverse("call-create", args=[open_one.pk]) in page


def test_bad_input_is_refused_with_the_error_summary_and_kept(en, officer):
    mission = factories.MissionFactory(officer=officer)
    en.force_login(officer)
    url = reverse("call-create", args=[mission.pk])
    now = timezone.now()
    response = en.post(
        url,
        form_data(
            title="ทุนทดสอบการกรอก",
            budget_ceiling="ห้าแสน",
            opens_at=now + datetime.timedelta(days=5),
            closes_at=now + datetime.timedelta(days=2),
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert 'href="#id_budget_ceiling"' in page and 'href="#id_closes_at_day"' in page
    assert "Give an amount in baht" in page
    assert "The call must close after it opens." in page
    assert 'value="ทุนทดสอบการกรอก"' in page and 'value="ห้าแสน"' in page
    assert 'value="30"' in page  # the weights as typed
    assert 'aria-invalid="true"' in page
    assert not Call.objects.exists()

    # A date that is not a date, and a missing title, are caught before the service.
    response = en.post(
        url, form_data(title="", opens_at_day="31", opens_at_month="2", opens_at_year="2569")
    )
    page = response.content.decode()
    assert 'href="#id_title"' in page and 'href="#id_opens_at_year"' in page
    assert "Type the year in the Common Era: did you mean 2026?" in page
    assert 'value="31"' in page and 'value="2569"' in page  # kept as typed
    response = en.post(url, form_data(opens_at_day="31", opens_at_month="2", opens_at_year="2027"))
    page = response.content.decode()
    assert 'href="#id_opens_at_day"' in page
    assert "This date does not exist: February has no day 31." in page
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    "field,value",
    [
        ("budget_ceiling", "9" * 40),
        ("budget_ceiling", "-1e400"),
        ("budget_ceiling", "NaN"),
        ("budget_ceiling", "12.345"),
        ("opens_at_day", "45"),
        ("opens_at_month", "13"),
        ("opens_at_year", "3113"),
        ("opens_at_hour", "99"),
        ("opens_at_minute", "3o"),
        ("instrument", "loan"),
        ("eligible_provinces", ["10", "zz"]),
        ("weight_networking", "1e5"),
        ("title", "ก" * 256),
    ],
)
def test_odd_input_is_an_error_on_its_field_never_a_crash(en, officer, field, value):
    mission = factories.MissionFactory(officer=officer)
    en.force_login(officer)
    response = en.post(reverse("call-create", args=[mission.pk]), form_data(**{field: value}))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="#id_{field}' in page
    assert not Call.objects.exists()


def test_weights_must_add_up_to_100(en, officer):
    mission = factories.MissionFactory(officer=officer)
    en.force_login(officer)
    url = reverse("call-create", args=[mission.pk])
    response = en.post(url, form_data(weight_expertise="15"))  # 15+20+20+20+10 = 85
    page = response.content.decode()
    assert response.status_code == 200
    assert "The weights must add up to 100 (now 85)." in page
    assert 'href="#id_weight_expertise"' in page
    assert 'id="weights_error"' in page and 'value="15"' in page
    assert "Total now: 85 of 100" in page
    assert not Call.objects.exists()

    # Shown together with other mistakes, not one at a time.
    page = en.post(url, form_data(title="", weight_networking="15")).content.decode()
    assert "The weights must add up to 100 (now 105)." in page and 'href="#id_title"' in page

    # A weight that is not a whole number from 0 to 100 is pointed at.
    page = en.post(url, form_data(weight_standards="120")).content.decode()
    assert 'href="#id_weight_standards"' in page
    assert not Call.objects.exists()

    assert en.post(url, form_data(weight_networking="10")).status_code == 302
    assert Call.objects.count() == 1


def test_officer_edits_a_draft_but_not_a_published_call(en, officer):
    call = factories.CallFactory(status="draft", officer=officer)
    en.force_login(officer)
    url = reverse("call-edit", args=[call.pk])
    form = en.get(url).content.decode()
    assert f'value="{call.title}"' in form and 'value="500000.00"' in form
    closes = call.closes_at.astimezone(BANGKOK)  # shown in Bangkok time, C.E. in English
    for box in ("day", "year", "hour", "minute"):
        typed = local("closes_at", closes)[f"closes_at_{box}"]
        assert f'name="closes_at_{box}" value="{typed}"' in form

    response = en.post(url, form_data(title="ชื่อใหม่ของประกาศ", weight_expertise="25"))
    assert 'href="#id_weight_expertise"' in response.content.decode()
    response = en.post(url, form_data(title="ชื่อใหม่ของประกาศ"))
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title == "ชื่อใหม่ของประกาศ" and call.instrument == "performance_contract"

    en.post(reverse("call-publish", args=[call.pk]))
    response = en.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("call-detail", args=[call.pk])
    assert "A published call changes only by an addendum" in response.content.decode()
    en.post(url, form_data(title="เปลี่ยนหลังเผยแพร่"))
    call.refresh_from_db()
    assert call.title == "ชื่อใหม่ของประกาศ"


# --- publish, close, cancel ------------------------------------------------------------


def test_publish_then_close_through_the_forms_with_audit_rows(en, officer):
    call = factories.CallFactory(status="draft", officer=officer)
    en.force_login(officer)
    response = en.post(reverse("call-publish", args=[call.pk]), follow=True)
    assert "The call is published" in response.content.decode()
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN and call.published_at is not None
    assert audited(call, "publish").get().actor == officer

    # Publishing twice is refused with the reason, not an error page.
    response = en.post(reverse("call-publish", args=[call.pk]), follow=True)
    assert response.status_code == 200
    assert "This cannot be done while the status is" in response.content.decode()
    assert audited(call, "publish").count() == 1

    page = en.get(reverse("call-detail", args=[call.pk])).content.decode()
    assert reverse("call-close", args=[call.pk]) in page
    response = en.post(reverse("call-close", args=[call.pk]), follow=True)
    assert "takes no more proposals" in response.content.decode()
    call.refresh_from_db()
    assert call.status == Call.Status.CLOSED
    assert audited(call, "close").get().actor == officer
    assert "Closed" in en.get(reverse("call-detail", args=[call.pk])).content.decode()
    # Asking again: the confirmation page says it cannot be done, with no button.
    words = en.get(reverse("call-close", args=[call.pk])).content.decode()
    assert "This cannot be done now:" in words and "Yes, close the call" not in words


def test_a_call_whose_closing_time_has_passed_cannot_be_published(en, officer):
    now = timezone.now()
    call = factories.CallFactory(
        status="draft",
        officer=officer,
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now - datetime.timedelta(minutes=1),
    )
    en.force_login(officer)
    response = en.post(reverse("call-publish", args=[call.pk]), follow=True)
    assert "The closing time has passed" in response.content.decode()
    call.refresh_from_db()
    assert call.status == Call.Status.DRAFT


def test_cancel_needs_a_reason_and_tells_the_waiting_proposals(en, officer):
    call = factories.CallFactory(officer=officer)
    proposal = factories.ProposalFactory(call=call, status="submitted")
    en.force_login(officer)
    url = reverse("call-cancel", args=[call.pk])

    response = en.post(url, {"cancel-reason": "  "})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page and 'href="#id_cancel-reason"' in page
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN

    response = en.post(url, {"cancel-reason": "งบประมาณถูกปรับลด"}, follow=True)
    assert "The call was cancelled" in response.content.decode()
    call.refresh_from_db()
    proposal.refresh_from_db()
    assert call.status == Call.Status.CANCELLED and call.cancel_reason == "งบประมาณถูกปรับลด"
    assert proposal.status == "not_selected"
    row = audited(call, "cancel").get()
    assert row.actor == officer and row.reason == "งบประมาณถูกปรับลด"

    # The public page says why; there is nothing left to cancel or close.
    page = en.get(reverse("call-detail", args=[call.pk])).content.decode()
    assert "งบประมาณถูกปรับลด" in page
    assert url not in page and reverse("call-close", args=[call.pk]) not in page
    response = en.post(url, {"cancel-reason": "อีกครั้ง"}, follow=True)
    assert response.status_code == 200
    assert audited(call, "cancel").count() == 1


# --- who sees what ---------------------------------------------------------------------


def test_drafts_are_invisible_to_the_public_and_to_other_agencies(
    client, officer, other_officer, staff_admin
):
    draft = factories.CallFactory(status="draft", officer=officer, title="ร่างประกาศลับ")
    url = reverse("call-detail", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert "ร่างประกาศลับ" not in client.get("/calls/").content.decode()
    for user in (other_officer, factories.CSOFactory(status="approved").members.get()):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(reverse("call-publish", args=[draft.pk])).status_code == 404
        assert client.get(reverse("call-edit", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Call.Status.DRAFT

    client.force_login(staff_admin)
    page = client.get(url).content.decode()
    assert "ร่างประกาศลับ" in page
    assert reverse("call-publish", args=[draft.pk]) not in page  # staff see, do not act
    assert client.post(reverse("call-publish", args=[draft.pk])).status_code == 403

    client.force_login(officer)
    assert client.get(url).status_code == 200
    # The agency's own drafts stay off the public list, even for its officers.
    assert "ร่างประกาศลับ" not in client.get("/calls/").content.decode()


def test_only_the_calls_officers_manage_a_published_call(client, officer, other_officer, member):
    call = factories.CallFactory(officer=officer)
    manage_urls = [
        reverse("call-edit", args=[call.pk]),
        reverse("call-evaluators", args=[call.pk]),
    ]
    actions = [reverse(name, args=[call.pk]) for name in ("call-close", "call-cancel")]
    client.force_login(other_officer)
    page = client.get(reverse("call-detail", args=[call.pk])).content.decode()
    assert actions[0] not in page and actions[1] not in page
    for user in (other_officer, member):
        client.force_login(user)
        for url in manage_urls:
            assert client.get(url).status_code == 403
        for url in actions:
            assert client.post(url, {"cancel-reason": "x"}).status_code == 403
    call.refresh_from_db()
    assert call.status == Call.Status.OPEN

    client.logout()
    response = client.get(manage_urls[0])
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_only_officers_create_calls_and_see_the_dashboard(client, officer, member, evaluator):
    mission = factories.MissionFactory(officer=officer)
    for user in (member, evaluator):
        client.force_login(user)
        assert client.get("/calls/new/").status_code == 403
        assert client.get(reverse("call-create", args=[mission.pk])).status_code == 403
        assert client.get("/agency/calls/").status_code == 403
    client.force_login(factories.OfficerFactory())
    assert client.get(reverse("call-create", args=[mission.pk])).status_code == 403
    assert client.post(reverse("call-create", args=[mission.pk]), form_data()).status_code == 403
    assert client.get(reverse("mission-detail", args=[mission.pk])).status_code == 200
    assert (
        reverse("call-create", args=[mission.pk])
        not in client.get(reverse("mission-detail", args=[mission.pk])).content.decode()
    )
    assert not Call.objects.exists()
    client.logout()
    assert client.get("/agency/calls/").status_code == 302


def test_navigation_shows_calls_to_everyone_and_our_calls_to_officers(en, officer, member):
    page = en.get("/").content.decode()
    assert 'href="/calls/"' in page and 'href="/agency/calls/"' not in page
    en.force_login(member)
    assert 'href="/agency/calls/"' not in en.get("/").content.decode()
    en.force_login(officer)
    page = en.get("/").content.decode()
    assert 'href="/agency/calls/"' in page and "Our calls" in page


# --- the call page for CSO members ------------------------------------------------------


def test_approved_eligible_member_can_start_then_continue(en):
    call = factories.CallFactory()
    cso = factories.CSOFactory(status="approved")
    en.force_login(cso.members.get())
    url = reverse("call-detail", args=[call.pk])
    page = en.get(url).content.decode()
    start = reverse("proposal-start", args=[call.pk])
    assert f'action="{start}"' in page and "Start a proposal" in page

    response = en.post(start)
    assert response.status_code == 302
    proposal = cso.proposals.get()
    page = en.get(url).content.decode()
    assert "Start a proposal" not in page
    assert "Continue your proposal" in page
    assert reverse("proposal-detail", args=[proposal.pk]) in page


def test_members_who_cannot_answer_are_told_why(en):
    call = factories.CallFactory()
    url = reverse("call-detail", args=[call.pk])
    cases = [
        (
            factories.CSOFactory(status="approved", service_provinces=["50"]),
            "does not serve any of the provinces",
        ),
        (
            factories.CSOFactory(status="approved", activity_fields=["environment"]),
            "does not work in any of the fields",
        ),
        (
            factories.CSOFactory(
                status="approved",
                activity_fields=["social_services"],
                certified_fields=["health"],
            ),
            "but the National Committee has not certified it",
        ),
        (factories.CSOFactory(status=CSO.Status.SUBMITTED), "must be approved"),
        (factories.CSOFactory(status=CSO.Status.SUSPENDED), "must be approved"),
    ]
    for cso, reason in cases:
        en.force_login(cso.members.get())
        page = en.get(url).content.decode()
        assert reason in page, reason
        assert "Start a proposal" not in page

    en.force_login(factories.MemberFactory())
    page = en.get(url).content.decode()
    assert "Register your organisation first" in page and reverse("registration") in page

    en.logout()
    page = en.get(url).content.decode()
    assert reverse("login") in page and "Start a proposal" not in page


def test_a_call_past_its_closing_time_shows_closed_whatever_its_stored_status(en):
    call = factories.CallFactory()
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    cso = factories.CSOFactory(status="approved")
    en.force_login(cso.members.get())
    page = en.get(reverse("call-detail", args=[call.pk])).content.decode()
    assert "status-closed" in page
    assert "This call is closed; it no longer takes proposals." in page
    assert "Start a proposal" not in page
    assert call.title not in en.get("/calls/").content.decode()


def test_a_call_not_open_yet_says_when_it_opens(en):
    now = timezone.now()
    call = factories.CallFactory(opens_at=now + datetime.timedelta(days=3))
    en.force_login(factories.CSOFactory(status="approved").members.get())
    page = en.get(reverse("call-detail", args=[call.pk])).content.decode()
    assert "This call opens for proposals on" in page
    assert str(timezone.localtime(call.opens_at).year + 543) in page
    listing = en.get("/calls/").content.decode()
    assert call.title in listing and "Not open yet." in listing


# --- the officer's call page, panel and dashboard ---------------------------------------


def test_officer_page_shows_the_panel_ranking_and_dashboard_links(en, officer):
    call = factories.CallFactory(officer=officer)
    evaluator = factories.EvaluatorFactory(first_name="วิไล", last_name="ใจดี")
    en.force_login(officer)
    en.post(reverse("call-evaluators", args=[call.pk]), {"usernames": [evaluator.username]})
    page = en.get(reverse("call-detail", args=[call.pk])).content.decode()
    assert "Manage this call" in page
    assert "วิไล ใจดี" in page
    assert reverse("call-ranking", args=[call.pk]) in page
    assert reverse("agency-calls") in page
    assert reverse("call-evaluators", args=[call.pk]) in page
    assert 'id="history-title"' in page


def test_officer_chooses_the_evaluation_panel(en, officer, member):
    call = factories.CallFactory(officer=officer)
    first = factories.EvaluatorFactory(first_name="สมศรี", last_name="มีสุข")
    second = factories.EvaluatorFactory()
    url = reverse("call-evaluators", args=[call.pk])
    en.force_login(officer)
    page = en.get(url).content.decode()
    assert f"{first.username} — สมศรี มีสุข" in page and second.username in page
    assert member.username not in page  # only accounts holding the evaluator role

    response = en.post(url, {"usernames": [first.username, second.username]})
    assert response.status_code == 302
    assert set(call.evaluators.values_list("username", flat=True)) == {
        first.username,
        second.username,
    }
    assert audited(call, "assign_evaluators").count() == 1
    page = en.get(url).content.decode()
    assert page.count("checked") == 2

    # Taking one off is asked first (tests/contracts/calls/test_web_confirm.py).
    en.post(url, {"usernames": [first.username], "confirm_removal": "yes"})
    assert list(call.evaluators.values_list("username", flat=True)) == [first.username]

    # Someone who is not an evaluator cannot be slipped in.
    response = en.post(url, {"usernames": [member.username]})
    assert response.status_code == 200
    assert 'href="#id_usernames_0"' in response.content.decode()
    assert list(call.evaluators.values_list("username", flat=True)) == [first.username]


def test_the_panel_is_fixed_once_the_call_is_cancelled(en, officer):
    call = factories.CallFactory(officer=officer)
    evaluator = factories.EvaluatorFactory()
    en.force_login(officer)
    en.post(reverse("call-cancel", args=[call.pk]), {"cancel-reason": "ยกเลิก"})
    url = reverse("call-evaluators", args=[call.pk])
    page = en.get(url).content.decode()
    assert "The panel cannot change" in page and "Save the panel" not in page
    response = en.post(url, {"usernames": [evaluator.username]}, follow=True)
    assert response.status_code == 200
    assert not call.evaluators.exists()


def test_agency_dashboard_counts_proposals_per_state(en, officer):
    busy = factories.CallFactory(officer=officer, title="ประกาศที่มีข้อเสนอ")
    factories.ProposalFactory(call=busy, status="submitted")
    factories.ProposalFactory(call=busy, status="submitted")
    factories.ProposalFactory(call=busy)  # a draft
    factories.CallFactory(status="draft", officer=officer, title="ประกาศฉบับร่าง")
    factories.CallFactory(title="ประกาศของหน่วยงานอื่น")
    en.force_login(officer)
    page = en.get("/agency/calls/").content.decode()
    assert "ประกาศที่มีข้อเสนอ" in page and "ประกาศฉบับร่าง" in page
    assert "ประกาศของหน่วยงานอื่น" not in page
    row = page[page.index("ประกาศที่มีข้อเสนอ") :].split("</tr>")[0]
    cells = [c.split("<")[0] for c in row.split("<td>")[1:]]
    # status, closes, then draft, concept note sent, submitted, shortlisted, presented,
    # selected, not selected, withdrawn, evaluators
    assert cells[2:] == ["1", "0", "2", "0", "0", "0", "0", "0", "0", "0"]

    drafts = en.get("/agency/calls/", {"status": "draft"}).content.decode()
    assert "ประกาศฉบับร่าง" in drafts and "ประกาศที่มีข้อเสนอ" not in drafts
    assert en.get("/agency/calls/", {"status": "bogus"}).status_code == 200


def test_agency_dashboard_query_count_does_not_grow(client, officer, django_assert_max_num_queries):
    mission = factories.MissionFactory(officer=officer)
    for _ in range(2):
        call = factories.CallFactory(officer=officer, mission=mission)
    factories.ProposalFactory(call=call, status="submitted")
    client.force_login(officer)
    # 8: 7 for the page, and whether the officer has a two-factor app (the middleware)
    with django_assert_max_num_queries(8):
        client.get("/agency/calls/")
    for _ in range(22):
        factories.CallFactory(status="draft", officer=officer, mission=mission)
    with django_assert_max_num_queries(8):
        response = client.get("/agency/calls/")
    assert 'rel="next"' in response.content.decode()


# --- the public list ---------------------------------------------------------------------


def test_public_list_shows_each_call_with_baht_and_be_dates(en):
    call = factories.CallFactory(budget_ceiling=Decimal("2500000.00"))
    factories.CallFactory(status="closed", title="ประกาศที่ปิดแล้ว")
    page = en.get("/calls/").content.decode()
    assert call.title in page and call.agency.name_en in page
    assert "2,500,000.00" in page and "Grant" in page
    closes = timezone.localtime(call.closes_at)
    assert f"{closes.year + 543} BE, {closes:%H:%M}" in page
    assert "Closes in 14 days." in page
    assert "ประกาศที่ปิดแล้ว" not in page
    assert "1 open call found." in page


def test_public_list_filters(en):
    now = timezone.now()
    health = factories.CallFactory(
        title="ทุนสุขภาพเชียงใหม่",
        instrument="commissioning",
        eligible_provinces=["50"],
        eligible_activity_fields=["health"],
    )
    soon = factories.CallFactory(title="ทุนใกล้ปิดรับ", closes_at=now + datetime.timedelta(days=2))
    nationwide = factories.CallFactory(
        title="ทุนทั่วประเทศ", eligible_provinces=[], eligible_activity_fields=[]
    )

    def titles(**params):
        page = en.get("/calls/", params).content.decode()
        return {t for t in ("ทุนสุขภาพเชียงใหม่", "ทุนใกล้ปิดรับ", "ทุนทั่วประเทศ") if t in page}

    assert titles() == {"ทุนสุขภาพเชียงใหม่", "ทุนใกล้ปิดรับ", "ทุนทั่วประเทศ"}
    assert titles(instrument="commissioning") == {"ทุนสุขภาพเชียงใหม่"}
    assert titles(province="50") == {"ทุนสุขภาพเชียงใหม่", "ทุนทั่วประเทศ"}
    assert titles(activity_field="health") == {"ทุนสุขภาพเชียงใหม่", "ทุนทั่วประเทศ"}
    assert titles(closing_soon="on") == {"ทุนใกล้ปิดรับ"}
    assert titles(agency=str(soon.agency_id)) == {"ทุนใกล้ปิดรับ"}
    assert titles(q="ทั่วประเทศ") == {"ทุนทั่วประเทศ"}
    assert titles(q=health.agency.name_en) == {"ทุนสุขภาพเชียงใหม่"}
    # An unknown value is ignored, not an error; the other filters still apply.
    assert titles(province="99", instrument="grant") == {"ทุนใกล้ปิดรับ", "ทุนทั่วประเทศ"}
    assert en.get("/calls/", {"agency": "abc", "page": "x"}).status_code == 200
    assert nationwide.pk


def test_public_list_pages_and_keeps_the_filters(en):
    mission = factories.MissionFactory()
    officer = mission.agency.officers.get()
    for n in range(23):
        factories.CallFactory(officer=officer, mission=mission, title=f"ประกาศลำดับ {n:02d}")
    page = en.get("/calls/", {"instrument": "grant"}).content.decode()
    assert "23 open calls found." in page
    assert "?instrument=grant&amp;page=2" in page
    second = en.get("/calls/", {"instrument": "grant", "page": "2"}).content.decode()
    assert second.count('class="result"') == 3


def test_public_list_query_count_does_not_grow(client, django_assert_max_num_queries):
    mission = factories.MissionFactory()
    officer = mission.agency.officers.get()
    for status in ("open", "open", "open", "forecast"):
        factories.CallFactory(officer=officer, mission=mission, status=status)
    with django_assert_max_num_queries(8):  # the open calls' page and the forecasts
        client.get("/calls/")
    for status in ["open"] * 17 + ["forecast"] * 3:
        factories.CallFactory(status=status)  # each with its own agency and mission
    with django_assert_max_num_queries(8):
        response = client.get("/calls/", {"province": "10", "closing_soon": ""})
    assert response.content.decode().count('class="result"') == 20 + 4  # a page and forecasts
