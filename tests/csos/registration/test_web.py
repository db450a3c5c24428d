"""Registering an organisation on the web: the form in parts that keeps what was typed and
says what to fix, the upload check, and the public directory."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from csos.models import CSO
from tests import factories

pytestmark = pytest.mark.django_db
LONG_THAI = "ก" * 5000


def test_registration_in_parts_then_submit(client):
    member = factories.MemberFactory()
    client.force_login(member)
    jid = factories.juristic_id(900)

    response = client.post(
        "/registration/organisation/",
        {"name_th": "กลุ่มทดสอบ", "org_form": "ngo", "registered": "on", "juristic_id": "0123"},
    )
    page = response.content.decode()
    assert response.status_code == 200, "a bad juristic id must not save"
    assert 'href="#id_juristic_id"' in page
    assert 'value="กลุ่มทดสอบ"' in page and 'value="0123"' in page
    assert not CSO.objects.exists()

    response = client.post(
        "/registration/organisation/",
        {
            "name_th": "กลุ่มทดสอบ",
            "org_form": "ngo",
            "registered": "on",
            "juristic_id": jid,
            "founded_year_year": "2558",
            "contact_email": "group@example.org",
        },
    )
    assert response.status_code == 302
    cso = CSO.objects.get()
    assert cso.juristic_id == jid and cso.status == CSO.Status.DRAFT
    assert cso.founded_year == 2015  # typed as B.E. 2558 on the Thai page

    # Submitting now lists the parts still missing and changes nothing.
    response = client.post("/registration/check/")
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert reverse("registration-part", args=["capacity"]) in page
    cso.refresh_from_db()
    assert cso.status == CSO.Status.DRAFT

    client.post(
        "/registration/activities/",
        {"activity_fields": ["health"], "service_provinces": ["10", "50"]},
    )
    client.post(
        "/registration/capacity/",
        {"staff_count": "5", "certified_staff_count": "1", "track_record": LONG_THAI},
    )
    client.post(
        "/registration/documents/",
        {
            "kind": "constitution",
            "file": factories.sample_file("registration.pdf", as_name="rules.pdf"),
        },
    )
    # A registered organisation's documents need its registration certificate.
    task_list = client.get("/registration/").content.decode()
    assert task_list.count("tag-completed") == 3
    assert task_list.count("tag-in_progress") == 1
    client.post(
        "/registration/documents/",
        {
            "kind": "registration",
            "file": factories.sample_file("registration.pdf", as_name="certificate.pdf"),
        },
    )
    task_list = client.get("/registration/").content.decode()
    assert task_list.count("tag-completed") == 4

    response = client.post("/registration/check/")
    assert response.status_code == 302
    cso.refresh_from_db()
    assert cso.status == CSO.Status.SUBMITTED
    assert cso.track_record == LONG_THAI

    # Submitted: the parts can no longer be changed.
    response = client.post("/registration/capacity/", {"staff_count": "9"})
    assert response.status_code == 302
    cso.refresh_from_db()
    assert cso.staff_count == 5


def test_upload_that_is_not_a_pdf_inside_is_refused_with_the_reason(client):
    cso = factories.CSOFactory(status=CSO.Status.DRAFT, documents=False)
    client.force_login(cso.members.get())
    text = SimpleUploadedFile("report.pdf", b"just some text, not a PDF", "application/pdf")
    response = client.post("/registration/documents/", {"kind": "other", "file": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_file"' in page
    assert cso.documents.count() == 0


def test_directory_hides_unapproved_and_contacts_from_anonymous(client):
    approved = factories.CSOFactory(status=CSO.Status.APPROVED, name_th="มูลนิธิเปิดเผย")
    factories.CSOFactory(status=CSO.Status.SUBMITTED, name_th="มูลนิธิรอตรวจ")
    page = client.get("/csos/").content.decode()
    assert "มูลนิธิเปิดเผย" in page and "มูลนิธิรอตรวจ" not in page

    detail = client.get(f"/csos/{approved.pk}/").content.decode()
    assert approved.contact_email not in detail
    client.force_login(factories.OfficerFactory())
    assert approved.contact_email in client.get(f"/csos/{approved.pk}/").content.decode()


def test_directory_filters_and_pages(client):
    for n in range(23):
        factories.CSOFactory(
            status=CSO.Status.APPROVED,
            name_th=f"กลุ่มที่ {n:02d}",
            activity_fields=["environment"] if n % 2 else ["health"],
            service_provinces=["50"] if n % 3 == 0 else ["10"],
        )
    first = client.get("/csos/").content.decode()
    assert "23" in first and 'rel="next"' in first
    env = client.get("/csos/", {"activity_field": "environment"}).content.decode()
    assert "กลุ่มที่ 01" in env and "กลุ่มที่ 02" not in env
    chiang_mai = client.get("/csos/", {"province": "50", "activity_field": "health"})
    text = chiang_mai.content.decode()
    assert "กลุ่มที่ 00" in text and "กลุ่มที่ 03" not in text and "กลุ่มที่ 02" not in text
    # Unknown codes in the query are ignored, not an error.
    assert client.get("/csos/", {"province": "99999", "org_form": "nope"}).status_code == 200


def test_directory_query_count_does_not_grow(client, django_assert_max_num_queries):
    for _ in range(3):
        factories.CSOFactory(status=CSO.Status.APPROVED)
    with django_assert_max_num_queries(12):
        client.get("/csos/")
    for _ in range(15):
        factories.CSOFactory(status=CSO.Status.APPROVED)
    with django_assert_max_num_queries(12):
        client.get("/csos/")


def test_directory_filters_by_certified_field_and_any_of_several_provinces(client):
    def cso(name, certified, served):
        factories.CSOFactory(
            status=CSO.Status.APPROVED,
            name_th=name,
            activity_fields=["social_services", "health"],
            certified_fields=certified,
            service_provinces=served,
        )

    cso("กลุ่มกรุงเทพ", ["health"], ["10"])
    cso("กลุ่มเชียงใหม่", ["health", "social_services"], ["50"])
    cso("กลุ่มแจ้งไว้", ["social_services"], ["10"])  # declared health, not certified in it
    cso("กลุ่มโคราช", ["health"], ["30"])

    page = client.get("/csos/", {"certified_field": "health", "province": ["10", "50"]})
    text = page.content.decode()

    assert "กลุ่มกรุงเทพ" in text and "กลุ่มเชียงใหม่" in text
    assert "กลุ่มแจ้งไว้" not in text and "กลุ่มโคราช" not in text
    # The filters show what was asked: both provinces chosen, the field certified.
    assert re.search(r'value="10" id="[^"]+" checked', text)
    assert re.search(r'value="50" id="[^"]+" checked', text)
    assert 'name="certified_field"' in text
    declared = client.get("/csos/", {"activity_field": "health", "province": "10"})
    assert "กลุ่มแจ้งไว้" in declared.content.decode()  # declared fields still filter


def test_filtered_directory_query_count_does_not_grow(client, django_assert_max_num_queries):
    query = {"certified_field": "social_services", "province": ["10", "50"]}
    for _ in range(3):
        factories.CSOFactory(status=CSO.Status.APPROVED)
    with django_assert_max_num_queries(12):
        client.get("/csos/", query)
    for _ in range(15):
        factories.CSOFactory(status=CSO.Status.APPROVED, service_provinces=["50"])
    with django_assert_max_num_queries(12):
        assert "18" in client.get("/csos/", query).content.decode()


def test_someone_elses_draft_is_not_found(client):
    draft = factories.CSOFactory(status=CSO.Status.DRAFT)
    client.force_login(factories.MemberFactory())
    assert client.get(f"/csos/{draft.pk}/").status_code == 404
    assert client.get(f"/csos/{draft.pk}/certificate.pdf").status_code == 404


def test_one_submit_lists_the_juristic_id_with_the_forms_own_problems(client):
    """The form refuses the missing name and the bad email, and the service's rule on the
    juristic person ID is in the same error summary: nothing is left for a second submit."""
    client.force_login(factories.MemberFactory())
    response = client.post(
        "/registration/organisation/",
        {
            "name_th": "",
            "org_form": "ngo",
            "registered": "on",
            "juristic_id": "0123",
            "contact_email": "not-an-email",
        },
    )
    page = response.content.decode()
    summary = page[page.index('id="error-summary"') :]
    for field in ("name_th", "contact_email", "juristic_id"):
        assert f'href="#id_{field}"' in summary, field
    assert 'value="0123"' in page and 'value="not-an-email"' in page
    assert not CSO.objects.exists()
