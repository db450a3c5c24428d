"""Accounts as people use them: a password reset by email whose link points at the portal's
own address, a password change, the privacy notice and footer, and error pages that never
show Django's debug page."""

import re

import pytest
from django.core import mail

from portal.models import AuditLog
from tests import factories
from tests.factories.portal import PASSWORD
from tests.helpers import signs_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Plian-Ruam-2569!"


def _reset_link(message) -> str:
    return re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)


def test_the_reset_email_links_to_portal_base_url_not_the_request_host(client, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.go.th"
    settings.ALLOWED_HOSTS = ["evil.example.com", "testserver"]
    user = factories.MemberFactory(email="somchai@example.org")

    response = client.post(
        "/accounts/password/reset/",
        {"email": "somchai@example.org"},
        HTTP_HOST="evil.example.com",
    )

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["somchai@example.org"]
    link = _reset_link(message)
    assert link.startswith("https://portal.example.go.th/accounts/password/reset/")
    assert "evil.example.com" not in message.body
    assert user.username in message.body
    assert "ตั้งรหัสผ่านใหม่" in message.subject  # Thai first


def test_a_reset_link_sets_a_new_password_once_and_is_audited(client, settings):
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"
    user = factories.MemberFactory(email="somsri@example.org")
    client.post("/accounts/password/reset/", {"email": "somsri@example.org"})
    path = _reset_link(mail.outbox[0]).removeprefix("http://127.0.0.1:8000")

    form_page = client.get(path, follow=True)
    assert "รหัสผ่านใหม่" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    assert signs_in(user.username, NEW_PASSWORD)
    assert AuditLog.objects.filter(object_id=str(user.pk), action="password_reset").exists()
    again = client.get(path, follow=True).content.decode()
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in again  # "This link no longer works"


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_bad_email_is_refused_and_kept(client):
    response = client.post("/accounts/password/reset/", {"email": "not-an-address"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page
    assert 'value="not-an-address"' in page


def test_password_change_needs_the_current_password_and_is_audited(client):
    user = factories.MemberFactory()
    client.force_login(user)

    wrong = client.post(
        "/accounts/password/change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert 'href="#id_old_password"' in wrong.content.decode()

    right = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert right.status_code == 302
    assert signs_in(user.username, NEW_PASSWORD)
    assert AuditLog.objects.filter(object_id=str(user.pk), action="password_change").exists()
    assert client.get("/").status_code == 200  # still signed in


def test_password_change_needs_a_signed_in_user(client):
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_every_page_has_a_footer_with_help_contact_and_privacy(client):
    page = client.get("/").content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert 'href="/help/"' in footer
    assert 'href="/help/#contact"' in footer
    assert 'href="/privacy/"' in footer


@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/password/reset/"])
def test_forms_that_take_personal_data_link_the_privacy_notice(client, path):
    assert 'href="/privacy/"' in client.get(path).content.decode().split("<footer")[0]


def test_the_privacy_notice_in_thai_and_english(client, settings):
    settings.PORTAL_CONTACT_EMAIL = "dpo@example.go.th"
    page = client.get("/privacy/").content.decode()
    assert "พระราชบัญญัติคุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562" in page
    assert "สิทธิของท่าน" in page
    assert "mailto:dpo@example.go.th" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Your rights" in client.get("/privacy/").content.decode()


def test_an_unknown_page_is_the_portals_404_not_a_debug_page(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()
    assert "URLconf" not in response.content.decode()


def test_an_unknown_api_address_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_server_error_under_api_answers_json_and_elsewhere_the_page(rf):
    from portal.api.errors import server_error

    api = server_error(rf.get("/api/v1/csos/"))
    assert api.status_code == 500
    assert api["Content-Type"] == "application/json"
    assert b'"server_error"' in api.content

    page = server_error(rf.get("/calls/"))
    assert page.status_code == 500
    assert "ขออภัย ระบบขัดข้อง" in page.content.decode()
    assert "Sorry, something went wrong" in page.content.decode()
