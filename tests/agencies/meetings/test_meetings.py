"""Public meetings: an officer organises one, people register until it is full and then join
the waiting list, a cancellation moves the first person waiting up (and tells them), the
officer records who came and publishes the minutes. Every change is audited."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.meetings import services
from agencies.meetings.models import Meeting, Registration
from portal.models import AuditLog
from portal.notices.models import Notice
from portal.workflow import Conflict, InvalidTransition
from tests import factories
from tests.helpers import date_boxes, page, run_together

pytestmark = pytest.mark.django_db

RS = Registration.Status


def soon(days=7, hours=0):
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=days, hours=hours)


def meeting(officer=None, *, capacity=2, publish=True, **extra):
    officer = officer or factories.OfficerFactory()
    made = services.meeting_create(
        officer=officer,
        kind="hearing",
        title="รับฟังความคิดเห็นเรื่องบริการดูแลผู้สูงอายุ",
        description="",
        starts_at=soon(),
        ends_at=soon(hours=2),
        capacity=capacity,
        **{"mission": None, "place": "ศาลากลางจังหวัด", "online_url": "", **extra},
    )
    if publish:
        made = services.meeting_publish(meeting=made, officer=officer)
    return made


def test_an_officer_organises_a_meeting_on_the_web_and_the_public_sees_it():
    officer = factories.OfficerFactory()
    client = Client()
    client.force_login(officer)
    starts = soon(days=10)
    form = {
        "kind": "town_hall",
        "title": "เวทีประชาคมเรื่องน้ำประปาหมู่บ้าน",
        "place": "วัดบ้านหนองบัว",
        "capacity": "50",
        **date_boxes("starts_at", starts),
        **date_boxes("ends_at", starts + datetime.timedelta(hours=3)),
    }
    made = client.post("/meetings/new/", form)
    assert made.status_code == 302, page(made)[:3000]
    created = Meeting.objects.get()
    assert created.status == Meeting.Status.DRAFT
    assert created.title not in page(Client().get("/meetings/"))  # a draft is not public
    assert Client().get(f"/meetings/{created.pk}/").status_code == 404

    assert client.post(f"/meetings/{created.pk}/publish/").status_code == 302
    listing = page(Client().get("/meetings/"))
    assert created.title in listing
    assert "0 จาก 50" in page(Client().get(f"/meetings/{created.pk}/"))  # places taken
    actions = list(
        AuditLog.objects.filter(object_id=str(created.pk)).values_list("action", flat=True)
    )
    assert actions == ["create", "publish"]


def test_a_failed_form_keeps_what_was_typed():
    officer = factories.OfficerFactory()
    client = Client()
    client.force_login(officer)
    starts = soon(days=10)
    refused = client.post(
        "/meetings/new/",
        {
            "kind": "hearing",
            "title": "เวทีรับฟังความเห็น",
            "capacity": "20",
            **date_boxes("starts_at", starts),
            **date_boxes("ends_at", starts - datetime.timedelta(hours=1)),
        },
    )
    html = page(refused)
    assert refused.status_code == 200
    assert 'value="เวทีรับฟังความเห็น"' in html
    assert "เวลาสิ้นสุดต้องหลังเวลาเริ่ม" in html
    assert not Meeting.objects.exists()


def test_when_full_people_wait_and_a_cancellation_moves_the_first_up():
    event = meeting(capacity=2)
    first, second, third, fourth = factories.MemberFactory.create_batch(4)
    statuses = [
        services.register(meeting=event, person=p).status for p in (first, second, third, fourth)
    ]
    assert statuses == [RS.REGISTERED, RS.REGISTERED, RS.WAITING, RS.WAITING]

    services.cancel_registration(meeting=event, person=second)
    assert Registration.objects.get(meeting=event, person=third).status == RS.REGISTERED
    assert Registration.objects.get(meeting=event, person=fourth).status == RS.WAITING
    told = Notice.objects.filter(recipient=third, kind="meeting_place_freed")
    assert told.count() == 1
    assert AuditLog.objects.filter(action="meeting_moved_up").count() == 1

    # Leaving the waiting list frees no place and moves nobody.
    services.cancel_registration(meeting=event, person=fourth)
    assert Registration.objects.filter(meeting=event, status=RS.REGISTERED).count() == 2


def test_one_registration_per_person_and_none_once_started_or_in_draft():
    event = meeting(capacity=5)
    member = factories.MemberFactory()
    services.register(meeting=event, person=member, needs=["sign_language", "bogus"])
    assert Registration.objects.get(person=member).needs == ["sign_language"]
    with pytest.raises(Conflict):
        services.register(meeting=event, person=member)
    draft = meeting(publish=False)
    with pytest.raises(InvalidTransition):
        services.register(meeting=draft, person=member)
    with time_machine.travel(soon(days=8)), pytest.raises(InvalidTransition):
        services.register(meeting=event, person=factories.MemberFactory())


@pytest.mark.django_db(transaction=True)
def test_two_people_at_once_for_the_last_place_get_one_place_and_one_wait():
    event = meeting(capacity=1)
    a, b = factories.MemberFactory.create_batch(2)
    outcomes = run_together(
        lambda: services.register(meeting=event, person=a).status,
        lambda: services.register(meeting=event, person=b).status,
    )
    assert sorted(outcomes) == [RS.REGISTERED, RS.WAITING]


def test_another_agencys_officer_cannot_organise_it():
    event = meeting(publish=False)
    stranger = factories.OfficerFactory()
    client = Client()
    client.force_login(stranger)
    assert client.post(f"/meetings/{event.pk}/publish/").status_code == 404  # a draft: hidden
    services.meeting_publish(meeting=event, officer=event.created_by)
    assert client.post(f"/meetings/{event.pk}/cancel/", {"reason": "x"}).status_code == 403
    assert Meeting.objects.get(pk=event.pk).status == Meeting.Status.PUBLISHED


def test_cancelling_a_meeting_tells_everyone_registered_or_waiting():
    event = meeting(capacity=1)
    a, b = factories.MemberFactory.create_batch(2)
    services.register(meeting=event, person=a)
    services.register(meeting=event, person=b)
    services.meeting_cancel(meeting=event, officer=event.created_by, reason="น้ำท่วมสถานที่")
    notices = Notice.objects.filter(kind="meeting_cancelled")
    assert {n.recipient_id for n in notices} == {a.pk, b.pk}
    assert "น้ำท่วมสถานที่" in notices.first().body


def test_after_the_meeting_the_officer_records_who_came_and_the_minutes_are_public():
    event = meeting(capacity=3)
    came, missed = factories.MemberFactory.create_batch(2)
    r1 = services.register(meeting=event, person=came)
    services.register(meeting=event, person=missed)
    with pytest.raises(ValidationError):  # before it takes place
        services.meeting_record(meeting=event, officer=event.created_by, minutes="x", attended=[])
    with time_machine.travel(soon(days=7, hours=3)):
        services.meeting_record(
            meeting=event, officer=event.created_by, minutes="ที่ประชุมเสนอให้ขยายเวลาบริการ",
            attended=[r1.pk],
        )  # fmt: skip
    assert Registration.objects.get(pk=r1.pk).attended is True
    assert Registration.objects.get(person=missed).attended is False
    html = page(Client().get(f"/meetings/{event.pk}/"))
    assert "ที่ประชุมเสนอให้ขยายเวลาบริการ" in html
    assert came.display_name() not in html  # who came is the organisers' business


def test_the_api_registers_answers_the_status_and_cancels(api_as):
    event = meeting(capacity=1)
    factories.MemberFactory()
    first, second = factories.MemberFactory.create_batch(2)
    assert api_as(first).post(
        f"/api/v1/meetings/{event.pk}/register/", {}, format="json"
    ).json() == {
        "status": "registered",
        "position": None,
    }
    waiting = api_as(second).post(
        f"/api/v1/meetings/{event.pk}/register/", {"needs": ["wheelchair"]}, format="json"
    )
    assert waiting.json() == {"status": "waiting", "position": 1}
    again = api_as(second).post(f"/api/v1/meetings/{event.pk}/register/", {}, format="json")
    assert again.status_code == 409
    assert api_as(None).post(f"/api/v1/meetings/{event.pk}/register/", {}).status_code == 401
    api_as(first).post(f"/api/v1/meetings/{event.pk}/cancel-registration/")
    mine = api_as(second).get(f"/api/v1/meetings/{event.pk}/my-registration/").json()
    assert mine == {"status": "registered", "position": None}
    listed = api_as(None).get("/api/v1/meetings/").json()
    assert [m["registered"] for m in listed["results"]] == [1]


def test_the_public_list_costs_the_same_queries_for_more_meetings():
    officer = factories.OfficerFactory()
    meeting(officer)
    client = Client()
    with CaptureQueriesContext(connection) as few:
        client.get("/meetings/")
    for _ in range(4):
        event = meeting(officer, capacity=1)
        services.register(meeting=event, person=factories.MemberFactory())
    with CaptureQueriesContext(connection) as many:
        client.get("/meetings/")
    assert len(few) == len(many)


def test_a_missions_page_lists_its_public_meetings_not_its_drafts():
    officer = factories.OfficerFactory()
    mission = factories.MissionFactory(officer=officer)
    shown = meeting(officer, mission=mission)
    draft = services.meeting_create(
        officer=officer,
        kind="focus_group",
        title="กลุ่มย่อยที่ยังเป็นฉบับร่าง",
        description="",
        starts_at=soon(),
        ends_at=soon(hours=1),
        place="ห้องประชุม",
        online_url="",
        capacity=10,
        mission=mission,
    )
    html = page(Client().get(f"/missions/{mission.pk}/"))
    assert shown.title in html
    assert draft.title not in html
