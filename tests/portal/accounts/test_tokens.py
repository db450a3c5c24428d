"""A person's API token expires after API_TOKEN_DAYS, is revoked on a password change, on
deactivation and on request, and its owner sees and revokes it on the web. Staff, reviewers
and officers are signed out after a working day without activity."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from portal.models import AuditLog
from portal.services import user_deactivate
from tests import factories
from tests.factories.portal import PASSWORD
from tests.helpers import page

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"


def sign_in_api(user, password=PASSWORD) -> str:
    answer = APIClient().post(TOKEN, {"username": user.username, "password": password})
    assert answer.status_code == 200, answer.content
    return answer.json()["token"]


def me(key):
    return APIClient().get(ME, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_expires_after_thirty_days_and_signing_in_gives_a_new_one():
    member = factories.MemberFactory()
    key = sign_in_api(member)
    assert sign_in_api(member) == key  # the same token while it lasts
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        assert me(key).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        expired = me(key)
        assert expired.status_code == 401
        assert expired.json()["error"]["code"] == "token_expired"
        fresh = sign_in_api(member)
        assert fresh != key
        assert me(fresh).status_code == 200


def test_the_token_lifetime_is_configurable(settings):
    settings.API_TOKEN_DAYS = 2
    member = factories.MemberFactory()
    key = sign_in_api(member)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        assert me(key).status_code == 401


def test_an_api_client_accounts_token_does_not_expire():
    system = factories.ApiClientFactory()
    from tests.helpers import token_key

    key = token_key(system.user)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=400)):
        assert me(key).status_code == 200


def test_changing_the_password_revokes_the_token():
    member = factories.MemberFactory()
    key = sign_in_api(member)
    client = Client()
    client.force_login(member)
    new = "Mai-Ruam-Mue-2569"
    changed = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert changed.status_code == 302
    assert me(key).status_code == 401
    row = AuditLog.objects.get(object_id=str(member.pk), action="token_revoked")
    assert row.data == {"why": "password_change"}


def test_deactivation_revokes_the_token():
    officer = factories.OfficerFactory()
    key = sign_in_api(officer)
    user_deactivate(user=officer, actor=factories.StaffAdminFactory(), reason="left")
    assert me(key).status_code == 401
    assert AuditLog.objects.filter(object_id=str(officer.pk), action="token_revoked").exists()


def test_a_program_revokes_its_own_token_on_request():
    member = factories.MemberFactory()
    key = sign_in_api(member)
    client = APIClient()
    assert client.delete(TOKEN).status_code == 401  # needs the token itself
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.delete(TOKEN).status_code == 204
    assert me(key).status_code == 401
    assert AuditLog.objects.filter(object_id=str(member.pk), action="token_revoked").exists()


def test_an_expired_token_in_the_header_does_not_stop_signing_in_again():
    member = factories.MemberFactory()
    key = sign_in_api(member)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        answer = APIClient().post(
            TOKEN,
            {"username": member.username, "password": PASSWORD},
            HTTP_AUTHORIZATION=f"Token {key}",
        )
        assert answer.status_code == 200


def test_a_person_sees_makes_and_revokes_their_token_on_the_web():
    officer = factories.OfficerFactory()
    client = Client()
    client.force_login(officer)
    empty = page(client.get("/accounts/tokens/"))
    assert "ขณะนี้ท่านไม่มีโทเค็น API" in empty

    made = client.post("/accounts/tokens/")
    assert made["Cache-Control"] == "no-store"
    text = page(made)
    key = text.split('id="new-token"')[1].split('value="')[1].split('"')[0]
    assert me(key).status_code == 200
    assert "หมดอายุเมื่อ" in text and "พ.ศ." in text  # the expiry, in the Buddhist Era
    assert key not in page(client.get("/accounts/tokens/"))  # shown once only

    assert client.get("/accounts/tokens/revoke/").status_code == 200  # the confirmation
    assert client.post("/accounts/tokens/revoke/").status_code == 302
    assert me(key).status_code == 401
    assert "ขณะนี้ท่านไม่มีโทเค็น API" in page(client.get("/accounts/tokens/"))


def test_making_a_new_token_on_the_web_stops_the_old_one():
    member = factories.MemberFactory()
    old = sign_in_api(member)
    client = Client()
    client.force_login(member)
    client.post("/accounts/tokens/")
    assert me(old).status_code == 401


def test_the_token_page_needs_a_signed_in_person():
    response = Client().get("/accounts/tokens/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- idle sessions ------------------------------------------------------------------------


def _signed_in(user) -> Client:
    client = Client()
    assert (
        client.post(
            "/accounts/login/", {"username": user.username, "password": PASSWORD}
        ).status_code
        == 302
    )
    return client


@pytest.mark.parametrize(
    "make", [factories.OfficerFactory, factories.ReviewerFactory, factories.StaffAdminFactory]
)
def test_officers_reviewers_and_staff_are_signed_out_after_a_working_day_idle(make):
    user = make()
    start = timezone.now()
    client = _signed_in(user)
    with time_machine.travel(start + datetime.timedelta(hours=8, minutes=5)):
        response = client.get("/work/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        follow = page(client.get(response["Location"]))
        assert "ไม่มีการใช้งานนาน 8 ชั่วโมง" in follow


def test_working_through_the_day_keeps_the_session():
    officer = factories.OfficerFactory()
    start = timezone.now()
    client = _signed_in(officer)
    for hours in (3, 6, 9, 12):  # a page every three hours
        with time_machine.travel(start + datetime.timedelta(hours=hours)):
            assert client.get("/work/").status_code == 200


def test_a_cso_member_keeps_the_usual_session():
    member = factories.MemberFactory()
    start = timezone.now()
    client = _signed_in(member)
    with time_machine.travel(start + datetime.timedelta(hours=9)):
        assert client.get("/work/").status_code == 200
