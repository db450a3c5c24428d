"""Grievances on the web: a citizen files one without an account (a photo attached), reads
the tracking id and the reply code once, follows the public status page (never the personal
data), says whether it was resolved; the form refuses robots and floods; the handlers' pages
by role; the list's query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.grievances import services
from assessments.grievances.models import Grievance
from tests import factories
from tests.factories import sample_file
from tests.helpers import date_boxes

from .conftest import file_one

PERSONAL = ("สมชาย", "somchai", "0812345678", "รอผู้ดูแลทั้งวัน")


def form_data(project, **extra):
    import datetime

    data = {
        "kind": "complaint",
        "title": "ไม่มีผู้ดูแลมาเยี่ยม",
        "body": "นายสมชาย รักดี โทร 0812345678 รอผู้ดูแลทั้งวัน",
        **date_boxes("occurred", datetime.date(2026, 1, 5)),
        "province": "10",
        "agreement": str(project.pk),
        "name": "สมชาย รักดี",
        "contact": "somchai@example.org",
    }
    data.update(extra)
    return data


def test_a_citizen_files_with_a_photo_and_reads_the_reply_code_once(client, project):
    data = form_data(project, attachments=sample_file("photo.jpg", content_type="image/jpeg"))
    response = client.post(reverse("grievance-file"), data)
    grievance = Grievance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("grievance-filed", args=[grievance.tracking_id])
    assert grievance.attachments.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert grievance.tracking_id in page
    codes = re.findall(r'<strong class="code">([^<]+)</strong>', page)
    assert codes[0] == grievance.tracking_id and len(codes) == 2  # the id and the reply code
    again = client.get(response["Location"]).content.decode()
    assert codes[1] not in again and grievance.tracking_id in again  # the code: once


def test_a_failed_form_keeps_what_was_typed_and_says_why_by_field(client, project):
    response = client.post(reverse("grievance-file"), form_data(project, title="", province=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "สมชาย รักดี" in page  # what was typed is kept
    assert 'id="id_title_error"' in page and 'id="id_province_error"' in page
    assert not Grievance.objects.exists()


def test_the_form_refuses_a_robot_and_a_flood(client, project, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "grievance": "2/hour",
        },
    }
    robot = client.post(reverse("grievance-file"), form_data(project, website="spam"))
    assert robot.status_code == 200 and not Grievance.objects.exists()
    assert client.post(reverse("grievance-file"), form_data(project)).status_code == 302
    flood = client.post(reverse("grievance-file"), form_data(project))
    assert flood.status_code == 429
    assert Grievance.objects.count() == 1
    # Even an empty form sent once too often gets the message, not an error page.
    empty = client.post(reverse("grievance-file"), {})
    assert empty.status_code == 429
    assert "มากเกินไป" in empty.content.decode()  # the page speaks Thai by default


def test_the_public_status_page_shows_progress_and_never_personal_data(
    client, filed, verifier, project_officer
):
    grievance, token = filed
    routed = services.grievance_route(grievance=grievance, verifier=verifier)
    services.grievance_respond(grievance=routed, officer=project_officer, response="ส่งผู้ดูแลแล้ว")
    page = client.get(reverse("grievance-status", args=[grievance.tracking_id])).content.decode()
    assert grievance.title in page and "ส่งผู้ดูแลแล้ว" in page
    for word in PERSONAL:
        assert word not in page
    # The citizen says it was resolved, with the reply code.
    response = client.post(
        reverse("grievance-status", args=[grievance.tracking_id]),
        {"action": "resolved", "resolved-resolved": "yes", "resolved-token": token},
    )
    assert response.status_code == 302
    assert Grievance.objects.get(pk=grievance.pk).status == "closed"


def test_a_wrong_reply_code_is_refused_on_its_field(client, filed, verifier, project_officer):
    grievance, _token = filed
    routed = services.grievance_route(grievance=grievance, verifier=verifier)
    services.grievance_respond(grievance=routed, officer=project_officer, response="ok")
    response = client.post(
        reverse("grievance-status", args=[grievance.tracking_id]),
        {"action": "resolved", "resolved-resolved": "yes", "resolved-token": "AAAA-BBBB-CCCC"},
    )
    assert response.status_code == 200
    assert 'id="id_resolved-token_error"' in response.content.decode()
    assert Grievance.objects.get(pk=grievance.pk).status == "responded"


def test_tracking_by_id_and_an_unknown_one(client, filed):
    grievance, _token = filed
    found = client.get(reverse("grievance-track"), {"tracking_id": grievance.tracking_id.lower()})
    assert found["Location"] == reverse("grievance-status", args=[grievance.tracking_id])
    missing = client.get(reverse("grievance-track"), {"tracking_id": "GR-2569-AAAA-BBBB"})
    assert missing.status_code == 200 and "id_tracking_id_error" in missing.content.decode()
    assert client.get("/grievances/GR-2569-0000-0000/").status_code == 404


def test_the_handlers_page_by_role(client, filed, verifier, project_officer):
    grievance, _token = filed
    url = reverse("grievance-handle", args=[grievance.pk])
    client.force_login(project_officer)
    assert client.get(url).status_code == 404  # not routed yet: the verifiers' only
    client.force_login(verifier)
    page = client.get(url).content.decode()
    assert "สมชาย รักดี" in page and "somchai@example.org" in page
    response = client.post(url, {"action": "route", "route-agency": "", "route-agreement": ""})
    assert response.status_code == 302
    client.force_login(project_officer)
    page = client.get(url).content.decode()
    assert 'name="respond-response"' in page
    client.force_login(factories.MemberFactory())
    assert client.get(url).status_code == 404


def test_a_confidential_name_is_not_shown_to_the_agency(client, project, verifier, project_officer):
    grievance, _t = file_one(project, confidential=True, body="ไม่มีใครมาตามนัด")
    services.grievance_route(grievance=grievance, verifier=verifier)
    client.force_login(project_officer)
    page = client.get(reverse("grievance-handle", args=[grievance.pk])).content.decode()
    assert "สมชาย รักดี" not in page and "somchai@example.org" not in page
    client.force_login(verifier)
    page = client.get(reverse("grievance-handle", args=[grievance.pk])).content.decode()
    assert "สมชาย รักดี" in page


@pytest.mark.parametrize("size", [2, 8])
def test_the_list_page_costs_the_same_whatever_its_size(client, project, verifier, size):
    for _i in range(size):
        file_one(project)
    client.force_login(verifier)
    client.get(reverse("grievance-list"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("grievance-list"))
    assert response.content.decode().count("/grievances/handle/") >= size
    assert len(queries) <= 12, len(queries)
