"""A meeting's documents and calendar file: its officers add PDFs (checked by content) that
anyone who can see the meeting opens, remove them with an audit row, and anyone adds the
meeting to their calendar with one .ics file."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from icalendar import Calendar

from agencies.meetings import services
from portal.models import AuditLog
from tests import factories
from tests.factories import sample_file
from tests.helpers import page

from .test_meetings import meeting

pytestmark = pytest.mark.django_db


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_adds_the_agenda_and_the_public_opens_it():
    officer = factories.OfficerFactory()
    made = meeting(officer)
    form = {
        "material-title": "วาระการประชุม",
        "material-file": sample_file("registration.pdf", content_type="application/pdf"),
    }
    answer = _signed_in(officer).post(f"/meetings/{made.pk}/materials/", form)
    assert answer.status_code == 302

    html = page(Client().get(f"/meetings/{made.pk}/"))
    assert "วาระการประชุม" in html
    material = made.materials.get()
    opened = Client().get(f"/meetings/{made.pk}/materials/{material.pk}/")
    assert opened.status_code == 200
    assert opened["Content-Type"] == "application/pdf"
    assert b"".join(opened.streaming_content).startswith(b"%PDF")
    assert AuditLog.objects.filter(action="meeting_material_add", object_id=str(made.pk)).exists()


def test_a_file_that_is_not_a_pdf_is_refused_and_the_title_kept():
    officer = factories.OfficerFactory()
    made = meeting(officer)
    form = {
        "material-title": "สไลด์นำเสนอ",
        "material-file": sample_file("not-really.pdf", content_type="application/pdf"),
    }
    answer = _signed_in(officer).post(f"/meetings/{made.pk}/materials/", form)
    assert answer.status_code == 200
    html = page(answer)
    assert 'value="สไลด์นำเสนอ"' in html  # what was typed stays
    assert not made.materials.exists()
    photo = sample_file("photo.jpg", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        services.material_add(officer=officer, meeting=made, title="Photo", upload=photo)
    assert "file" in refused.value.message_dict


def test_only_the_agency_adds_or_removes_documents():
    officer = factories.OfficerFactory()
    made = meeting(officer)
    pdf = sample_file("registration.pdf", content_type="application/pdf")
    with pytest.raises(PermissionDenied):
        services.material_add(
            officer=factories.OfficerFactory(), meeting=made, title="Agenda", upload=pdf
        )
    material = services.material_add(officer=officer, meeting=made, title="Agenda", upload=pdf)
    stranger = _signed_in(factories.OfficerFactory())
    assert stranger.post(f"/meetings/{made.pk}/materials/{material.pk}/remove/").status_code == 403
    assert made.materials.exists()

    removed = _signed_in(officer).post(f"/meetings/{made.pk}/materials/{material.pk}/remove/")
    assert removed.status_code == 302
    assert not made.materials.exists()
    assert Client().get(f"/meetings/{made.pk}/materials/{material.pk}/").status_code == 404
    assert AuditLog.objects.filter(action="meeting_material_remove").exists()


def test_a_draft_meetings_documents_are_not_public():
    officer = factories.OfficerFactory()
    made = meeting(officer, publish=False)
    pdf = sample_file("registration.pdf", content_type="application/pdf")
    material = services.material_add(officer=officer, meeting=made, title="Agenda", upload=pdf)
    assert Client().get(f"/meetings/{made.pk}/materials/{material.pk}/").status_code == 404
    own = _signed_in(officer).get(f"/meetings/{made.pk}/materials/{material.pk}/")
    assert own.status_code == 200


def test_the_meeting_goes_into_a_calendar_as_an_ics_event():
    made = meeting(online_url="https://meet.example.go.th/hearing")
    answer = Client().get(f"/meetings/{made.pk}/calendar.ics")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(answer.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == made.title
    assert event.decoded("dtstart") == made.starts_at
    assert event.decoded("dtend") == made.ends_at
    assert str(event["location"]) == "ศาลากลางจังหวัด"
    assert "https://meet.example.go.th/hearing" in str(event["description"])
    assert f"/meetings/{made.pk}/" in str(event["url"])
    assert str(event["status"]) == "CONFIRMED"
    # Its page offers it.
    assert f"/meetings/{made.pk}/calendar.ics" in page(Client().get(f"/meetings/{made.pk}/"))


def test_the_api_lists_the_meetings_documents():
    officer = factories.OfficerFactory()
    made = meeting(officer)
    pdf = sample_file("registration.pdf", content_type="application/pdf")
    services.material_add(officer=officer, meeting=made, title="Agenda", upload=pdf)
    body = Client().get(f"/api/v1/meetings/{made.pk}/").json()
    (material,) = body["materials"]
    assert material["title"] == "Agenda"
    assert material["url"].endswith(f"/meetings/{made.pk}/materials/{material['id']}/")
    assert body["minutes"] == ""
