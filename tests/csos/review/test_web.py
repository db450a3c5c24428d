"""The committee's review on the web: the queue, the decisions, and the CSO reading the reason."""

import pytest
from django.utils import translation

from csos.models import CSO
from portal.models import AuditLog
from tests import factories

pytestmark = pytest.mark.django_db


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


def test_the_review_page_names_each_file_by_its_kind_not_its_mime_type(client):
    cso = factories.CSOFactory(status=CSO.Status.SUBMITTED)
    assert cso.documents.filter(content_type="application/pdf").exists()
    client.force_login(factories.ReviewerFactory())
    with translation.override("th"):
        body = client.get(f"/review/csos/{cso.pk}/", HTTP_ACCEPT_LANGUAGE="th").content.decode()
    assert "application/pdf" not in body
    assert "(PDF," in body
