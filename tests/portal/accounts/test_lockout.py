"""Brute-force locks on sign-in (django-axes): failures counted per username and per address,
the web form, the admin and the API token endpoint alike; successful sign-ins never count; a
lock is audited, ends after the cool-off or a password reset, and staff can lift it."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal.models import AuditLog
from tests import factories
from tests.factories.portal import PASSWORD
from tests.helpers import signs_in

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"
OFFICE = "203.0.113.7"  # a ministry's officers behind one NAT


def fail(username, *, address=OFFICE, times=1, path=LOGIN):
    client = Client(REMOTE_ADDR=address)
    for _ in range(times):
        response = client.post(path, {"username": username, "password": "wrong-password"})
    return response


def test_five_wrong_passwords_lock_the_account_and_say_why_in_thai():
    officer = factories.OfficerFactory()
    for _ in range(4):
        assert fail(officer.username).status_code == 200  # the form again, "wrong password"

    locked = fail(officer.username)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "ลงชื่อเข้าใช้ไม่สำเร็จหลายครั้งเกินไป" in page
    assert f'value="{officer.username}"' in page  # what was typed is kept

    # The right password does not get in while the lock lasts, from anywhere.
    assert not signs_in(officer.username, PASSWORD, address="198.51.100.1")
    rows = AuditLog.objects.filter(object_id=str(officer.pk), action="signin_locked")
    assert rows.count() == 1  # the lock's start, not every refused try
    assert rows.get().data["kind"] == "username"


def test_the_lock_ends_after_the_cool_off():
    officer = factories.OfficerFactory()
    fail(officer.username, times=5)
    assert not signs_in(officer.username, PASSWORD)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        assert signs_in(officer.username, PASSWORD)


def test_successful_sign_ins_never_count_so_a_whole_office_signs_in():
    colleagues = factories.OfficerFactory.create_batch(40)
    for colleague in colleagues:
        assert signs_in(colleague.username, PASSWORD, address=OFFICE)
    # A colleague's typos lock only that colleague, not the office.
    fail(colleagues[0].username, times=5)
    assert not signs_in(colleagues[0].username, PASSWORD, address=OFFICE)
    assert signs_in(colleagues[1].username, PASSWORD, address=OFFICE)


def test_failures_from_one_address_over_many_usernames_lock_the_address():
    for n in range(30):
        fail(f"guess{n}", address="192.0.2.66")
    officer = factories.OfficerFactory()
    assert not signs_in(officer.username, PASSWORD, address="192.0.2.66")
    assert signs_in(officer.username, PASSWORD, address="192.0.2.67")
    assert AuditLog.objects.filter(action="signin_locked", data__kind="address").count() == 1


def test_failures_for_one_username_from_many_addresses_still_lock_it():
    officer = factories.OfficerFactory()
    for n in range(5):
        fail(officer.username, address=f"198.51.100.{n + 1}")
    assert not signs_in(officer.username, PASSWORD, address="198.51.100.99")


def test_the_api_token_endpoint_and_the_web_form_count_together(api_client):
    member = factories.MemberFactory()
    fail(member.username, times=3)
    for _ in range(2):
        response = api_client.post(
            TOKEN, {"username": member.username, "password": "nope"}, format="json"
        )
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"
    assert "Retry-After" in response

    right = api_client.post(TOKEN, {"username": member.username, "password": PASSWORD})
    assert right.status_code == 429  # the right password waits for the lock too


def test_the_token_endpoint_no_longer_limits_successful_sign_ins(api_client):
    system = factories.ApiClientFactory()
    user = system.user
    user.set_password(PASSWORD)
    user.save()
    for _ in range(70):  # an hour of colleagues behind one NAT, beyond the old 60/hour
        answer = api_client.post(TOKEN, {"username": user.username, "password": PASSWORD})
        assert answer.status_code == 200


def test_the_admin_sign_in_is_locked_too():
    staff = factories.StaffAdminFactory()
    fail(staff.username, times=5, path="/admin/login/")
    client = Client(REMOTE_ADDR=OFFICE)
    response = client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_staff_see_and_lift_a_lock_with_a_reason_and_it_is_audited():
    officer = factories.OfficerFactory()
    fail(officer.username, times=5)
    staff = factories.StaffAdminFactory()
    client = Client()
    client.force_login(staff)

    listing = client.get("/accounts/locks/").content.decode()
    assert officer.username in listing
    lift_url = f"/accounts/locks/username/{officer.username}/lift/"
    assert lift_url in listing
    assert client.get(lift_url).status_code == 200  # the confirmation page
    done = client.post(lift_url, {"reason": "called from the ministry's number"})
    assert done.status_code == 302

    assert signs_in(officer.username, PASSWORD)
    row = AuditLog.objects.get(object_id=str(officer.pk), action="signin_lock_lifted")
    assert row.actor == staff
    assert row.reason == "called from the ministry's number"
    assert officer.username not in client.get("/accounts/locks/").content.decode()


def test_only_staff_see_or_lift_locks():
    officer = factories.OfficerFactory()
    fail(officer.username, times=5)
    reviewer = factories.ReviewerFactory()
    client = Client()
    client.force_login(reviewer)
    assert client.get("/accounts/locks/").status_code == 403
    assert client.post(f"/accounts/locks/username/{officer.username}/lift/").status_code == 403
    assert not signs_in(officer.username, PASSWORD)


def test_a_password_reset_by_email_lifts_the_lock(settings):
    member = factories.MemberFactory(email="somchai@example.org")
    fail(member.username, times=5)
    client = Client()
    client.post("/accounts/password/reset/", {"email": "somchai@example.org"})
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    form_page = client.get(path, follow=True)
    new_password = "Mai-Ruam-Mue-2569"
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert signs_in(member.username, new_password)
    row = AuditLog.objects.get(object_id=str(member.pk), action="password_reset")
    assert row.data["lock_lifted"] is True


def test_web_sign_ups_are_limited_per_address_counting_only_accounts_made():
    client = Client(REMOTE_ADDR="192.0.2.200")
    for _ in range(25):  # mistakes do not count
        assert client.post("/accounts/signup/", {"username": ""}).status_code == 200
    for n in range(20):
        made = client.post(
            "/accounts/signup/",
            {
                "username": f"newcomer{n}",
                "email": f"n{n}@example.org",
                "password1": "Ruam-Mue-2568!",
                "password2": "Ruam-Mue-2568!",
            },
        )
        assert made.status_code == 302, made.content.decode()[:2000]
        client.logout()
    refused = client.post(
        "/accounts/signup/",
        {"username": "one-more", "email": "x@example.org", "password1": "Ruam-Mue-2568!"},
    )
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "มีการสร้างบัญชีจากที่อยู่นี้มากเกินไป" in page
    assert 'value="one-more"' in page
    elsewhere = Client(REMOTE_ADDR="192.0.2.201").post(
        "/accounts/signup/",
        {
            "username": "from-home",
            "email": "h@example.org",
            "password1": "Ruam-Mue-2568!",
            "password2": "Ruam-Mue-2568!",
        },
    )
    assert elsewhere.status_code == 302
