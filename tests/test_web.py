"""The web UI as people use it: forms that keep what was typed and say what to fix, pages
by role, Thai first with English a click away."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Mission
from csos.models import CSO
from portal.models import AuditLog

from . import factories

pytestmark = pytest.mark.django_db

LONG_THAI = "ก" * 5000


def test_pages_speak_thai_by_default_and_english_after_the_switch(client):
    page = client.get("/").content.decode()
    assert 'lang="th"' in page
    assert "ลงชื่อเข้าใช้" in page  # "Sign in"

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page


def test_sign_up_keeps_what_was_typed_and_points_at_the_problem(client):
    factories.MemberFactory(username="somchai")
    response = client.post(
        "/accounts/signup/",
        {
            "username": "somchai",
            "email": "somchai@example.org",
            "first_name": "สมชาย",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert 'href="#id_username"' in page
    assert 'value="somchai@example.org"' in page
    assert 'value="สมชาย"' in page
    assert 'aria-invalid="true"' in page


def test_sign_up_creates_a_cso_member_and_goes_to_the_registration(client):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newcso",
            "email": "newcso@example.org",
            "password1": "a-long-pass-phrase",
            "password2": "a-long-pass-phrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("registration")
    assert client.get(reverse("registration")).status_code == 200


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
            "founded_year": "2015",
            "contact_email": "group@example.org",
        },
    )
    assert response.status_code == 302
    cso = CSO.objects.get()
    assert cso.juristic_id == jid and cso.status == CSO.Status.DRAFT

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


def test_reviewer_queue_is_oldest_first_and_for_reviewers_only(client):
    first = factories.CSOFactory(status=CSO.Status.SUBMITTED, name_th="องค์กรแรก")
    second = factories.CSOFactory(status=CSO.Status.SUBMITTED, name_th="องค์กรที่สอง")
    reviewer = factories.ReviewerFactory()

    client.force_login(first.members.get())
    assert client.get("/review/csos/").status_code == 403

    client.force_login(reviewer)
    page = client.get("/review/csos/").content.decode()
    assert page.index("องค์กรแรก") < page.index("องค์กรที่สอง")
    filtered = client.get("/review/csos/", {"q": "ที่สอง"}).content.decode()
    assert "องค์กรที่สอง" in filtered and "องค์กรแรก" not in filtered
    assert second.pk


def test_reviewer_decisions_from_the_review_page(client):
    cso = factories.CSOFactory(status=CSO.Status.SUBMITTED)
    reviewer = factories.ReviewerFactory()
    client.force_login(reviewer)
    url = f"/review/csos/{cso.pk}/"

    # Asking for changes needs a reason; the form says so and nothing changes.
    response = client.post(url, {"action": "request_changes", "request_changes-reason": ""})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    cso.refresh_from_db()
    assert cso.status == CSO.Status.SUBMITTED

    response = client.post(
        url,
        {
            "action": "approve",
            "approve-certified_fields": ["social_services"],
            "approve-scope_note": "ดูแลผู้สูงอายุ",
        },
    )
    assert response.status_code == 302
    cso.refresh_from_db()
    assert cso.status == CSO.Status.APPROVED
    assert [f.code for f in cso.certified_fields.all()] == ["social_services"]

    # An action the status does not allow is refused with a message, not an error page.
    response = client.post(url, {"action": "reject", "reject-reason": "x"}, follow=True)
    assert response.status_code == 200
    cso.refresh_from_db()
    assert cso.status == CSO.Status.APPROVED

    response = client.post(url, {"action": "suspend", "suspend-reason": "ไม่ส่งรายงาน"})
    cso.refresh_from_db()
    assert cso.status == CSO.Status.SUSPENDED
    client.post(url, {"action": "reinstate", "reinstate-reason": ""})
    cso.refresh_from_db()
    assert cso.status == CSO.Status.APPROVED
    history = client.get(url).content.decode()
    assert "ไม่ส่งรายงาน" in history
    assert AuditLog.objects.filter(object_id=str(cso.pk), action="suspend").exists()


def test_cso_sees_the_committees_reason_and_can_resubmit(client):
    cso = factories.CSOFactory(status=CSO.Status.CHANGES_REQUESTED)
    client.force_login(cso.members.get())
    page = client.get("/registration/").content.decode()
    assert "แนบงบการเงินปีล่าสุด" in page
    response = client.post(
        "/registration/capacity/",
        {
            "staff_count": "20",
            "certified_staff_count": "4",
            "track_record": "ผลงานใหม่",
        },
    )
    assert response.status_code == 302
    client.post("/registration/check/")
    cso.refresh_from_db()
    assert cso.status == CSO.Status.SUBMITTED and cso.staff_count == 20


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


def test_someone_elses_draft_is_not_found(client):
    draft = factories.CSOFactory(status=CSO.Status.DRAFT)
    client.force_login(factories.MemberFactory())
    assert client.get(f"/csos/{draft.pk}/").status_code == 404
    assert client.get(f"/csos/{draft.pk}/certificate.pdf").status_code == 404


def test_officer_adds_a_mission_and_sees_the_advice(client):
    officer = factories.OfficerFactory()
    factories.CSOFactory(
        status=CSO.Status.APPROVED, activity_fields=["social_services"], service_provinces=["50"]
    )
    client.force_login(officer)
    response = client.post(
        "/missions/new/",
        {
            "title_th": "ศูนย์ดูแลผู้สูงอายุกลางวัน",
            "service_category": "social_cultural",
            "mission_type": "direct_service",
            "activity_field": "social_services",
            "target_groups": "ผู้สูงอายุ\nผู้ดูแล",
            "provinces": ["50", "10"],
        },
    )
    assert response.status_code == 302
    mission = Mission.objects.get()
    assert mission.agency == officer.agency
    assert mission.target_groups == ["ผู้สูงอายุ", "ผู้ดูแล"]
    page = client.get(response["Location"]).content.decode()
    assert "co-production" in page  # the Thai rationale names the model
    assert "A direct service in a social and cultural service fits co-production" in page
    assert "<dd>1</dd>" in page  # one capable approved CSO

    listing = client.get("/missions/").content.decode()
    assert "ศูนย์ดูแลผู้สูงอายุกลางวัน" in listing


def test_mission_form_keeps_input_on_error(client):
    client.force_login(factories.OfficerFactory())
    response = client.post(
        "/missions/new/",
        {"title_th": "ภารกิจ", "description": "ข" * 5001, "service_category": "bogus"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="ภารกิจ"' in page
    assert 'href="#id_service_category"' in page and 'href="#id_description"' in page
    assert not Mission.objects.exists()


def test_only_officers_reach_the_mission_pages(client):
    client.force_login(factories.MemberFactory())
    assert client.get("/missions/").status_code == 403
    assert client.get("/missions/new/").status_code == 403
    mission = factories.MissionFactory()
    client.force_login(factories.OfficerFactory())
    assert client.get(f"/missions/{mission.pk}/edit/").status_code == 403
    assert client.get(f"/missions/{mission.pk}/").status_code == 200
