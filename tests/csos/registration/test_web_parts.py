"""The registration's parts in any order, the check-answers page with a "change" link for
every answer, and the documents part complete as soon as its documents are in."""

import re

import pytest
from django.urls import reverse

from csos.models import CSO
from tests import factories

pytestmark = pytest.mark.django_db


def states(client) -> dict[str, str]:
    """The task list as a member reads it: each part's link text and its tag."""
    page = client.get("/registration/").content.decode()
    found = re.findall(
        r'<a href="/registration/([a-z]+)/">.*?class="tag tag-([a-z_]+)"', page, re.S
    )
    return dict(found)


def upload(client, kind, path="/registration/documents/"):
    return client.post(
        path,
        {"kind": kind, "file": factories.sample_file("registration.pdf", as_name=f"{kind}.pdf")},
    )


@pytest.fixture
def member(client):
    member = factories.MemberFactory()
    client.force_login(member)
    return member


def test_capacity_first_starts_the_draft_and_the_other_parts_follow_in_any_order(client, member):
    response = client.post(
        "/registration/capacity/",
        {"staff_count": "4", "certified_staff_count": "1", "track_record": "ดูแลผู้สูงอายุ"},
    )

    assert response.status_code == 302
    cso = CSO.objects.get(members=member)
    assert cso.status == CSO.Status.DRAFT and cso.staff_count == 4
    assert states(client) == {
        "organisation": "not_started",
        "activities": "not_started",
        "capacity": "completed",
        "documents": "not_started",
    }

    client.post(
        "/registration/activities/", {"activity_fields": ["health"], "service_provinces": ["10"]}
    )
    assert states(client)["activities"] == "completed"
    # Submitting before the organisation part is refused, naming that part.
    refused = client.post("/registration/check/")
    assert refused.status_code == 200
    assert reverse("registration-part", args=["organisation"]) in refused.content.decode()
    assert CSO.objects.get(pk=cso.pk).status == CSO.Status.DRAFT


def test_documents_first_start_the_draft_too(client, member):
    response = upload(client, "activity_report")

    assert response.status_code == 302
    cso = CSO.objects.get(members=member)
    assert [d.kind for d in cso.documents.all()] == ["activity_report"]
    # An informal group (the default until the organisation part says otherwise) needs any
    # one document: complete without another click.
    assert states(client)["documents"] == "completed"


def test_a_registered_organisation_is_complete_once_its_certificate_is_uploaded(client, member):
    client.post(
        "/registration/organisation/",
        {
            "name_th": "มูลนิธิลำดับใดก็ได้",
            "org_form": "ngo",
            "registered": "on",
            "juristic_id": factories.juristic_id(901),
            "founded_year": "2015",
            "contact_email": "any@example.org",
        },
    )
    upload(client, "constitution")
    assert states(client)["documents"] == "in_progress"
    page = client.get("/registration/documents/").content.decode()
    assert "หนังสือรับรองการจดทะเบียนนิติบุคคล: <strong>ยังไม่ได้อัปโหลด</strong>" in page

    upload(client, "registration")

    assert states(client)["documents"] == "completed"
    page = client.get("/registration/documents/").content.decode()
    assert "หนังสือรับรองการจดทะเบียนนิติบุคคล: <strong>อัปโหลดแล้ว</strong>" in page
    assert "ส่วนนี้ครบถ้วนแล้ว" in page


def test_check_answers_links_each_answer_to_its_part_and_comes_back(client, member):
    cso = factories.CSOFactory(status=CSO.Status.DRAFT, member=member)

    page = client.get("/registration/check/").content.decode()

    changes = re.findall(
        r'<a href="([^"]+\?next=check)">แก้ไข<span class="visually-hidden"> ([^<]+)</span>', page
    )
    targets = {label: href for href, label in changes}
    assert targets["ชื่อ (ภาษาไทย)"] == "/registration/organisation/?next=check"
    assert targets["จังหวัดที่ให้บริการ"] == "/registration/activities/?next=check"
    assert targets["การมีผลงานเป็นที่ประจักษ์และมีชื่อเสียงเป็นที่ยอมรับ"] == "/registration/capacity/?next=check"
    assert targets["เอกสาร"] == "/registration/documents/?next=check"
    assert len(changes) == 15  # the 14 answers and the documents

    form = client.get("/registration/capacity/?next=check").content.decode()
    assert 'href="/registration/check/"' in form  # "back" goes to check answers
    saved = client.post(
        "/registration/capacity/?next=check",
        {"staff_count": "30", "certified_staff_count": "2", "track_record": "ผลงานใหม่"},
    )
    assert saved.status_code == 302
    assert saved["Location"] == "/registration/check/"
    assert CSO.objects.get(pk=cso.pk).staff_count == 30
    # Without the marker a part goes back to the task list, as before.
    assert (
        client.post(
            "/registration/capacity/",
            {"staff_count": "31", "certified_staff_count": "2", "track_record": "ผลงานใหม่"},
        )["Location"]
        == "/registration/"
    )
    assert upload(client, "other", "/registration/documents/?next=check")["Location"] == (
        "/registration/documents/?next=check"
    )


def test_a_submitted_registration_offers_no_change_links(client, member):
    factories.CSOFactory(status=CSO.Status.SUBMITTED, member=member)

    page = client.get("/registration/check/").content.decode()

    assert "?next=check" not in page


def test_a_part_sent_empty_comes_back_with_its_errors(client, member):
    # A form sent with nothing in it (no field at all, not even blank ones) is still judged:
    # the page lists what is missing rather than failing.
    response = client.post("/registration/organisation/", {})

    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert not CSO.objects.filter(members=member).exists()
