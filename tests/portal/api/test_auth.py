"""Tokens, self sign-up and /me/."""

import pytest
from rest_framework.authtoken.models import Token

from portal.models import User
from portal.roles import Role
from tests.factories import PASSWORD, CSOFactory, MemberFactory, OfficerFactory
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"
REGISTER = "/api/v1/auth/register/"
ME = "/api/v1/me/"


# --- auth/token -----------------------------------------------------------------------


def test_a_good_password_gets_a_token_that_works(api_client):
    officer = OfficerFactory()

    response = api_client.post(TOKEN, {"username": officer.username, "password": PASSWORD})

    assert response.status_code == 200
    key = response.json()["token"]
    assert key == Token.objects.get(user=officer).key
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get(ME).json()["username"] == officer.username


def test_asking_twice_gives_the_same_token(api_client):
    officer = OfficerFactory()
    body = {"username": officer.username, "password": PASSWORD}

    first = api_client.post(TOKEN, body).json()["token"]
    second = api_client.post(TOKEN, body).json()["token"]

    assert first == second


@pytest.mark.parametrize("who", ["wrong_password", "unknown_user", "inactive"])
def test_a_bad_login_is_a_validation_error_that_does_not_say_which_part(api_client, who):
    user = OfficerFactory(is_active=who != "inactive")
    body = {
        "wrong_password": {"username": user.username, "password": "not-the-password"},
        "unknown_user": {"username": "nobody-here", "password": PASSWORD},
        "inactive": {"username": user.username, "password": PASSWORD},
    }[who]

    response = api_client.post(TOKEN, body, HTTP_ACCEPT_LANGUAGE="en")

    error = assert_error(response, 400, "validation_error", fields=["non_field_errors"])
    assert error["message"] == "The username or password is wrong."
    assert not Token.objects.exists()


def test_a_login_without_a_password_names_the_field(api_client):
    response = api_client.post(TOKEN, {"username": "someone"}, format="json")

    assert_error(response, 400, "validation_error", fields=["password"])


# --- auth/register --------------------------------------------------------------------


def test_sign_up_creates_a_cso_member_account(api_client, api_as):
    response = api_client.post(
        REGISTER,
        {"username": "somchai", "password": "Ruam-Mue-2568!", "email": "somchai@example.org"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["username"] == "somchai"
    assert body["roles"] == [Role.CSO_MEMBER]
    assert "password" not in body
    user = User.objects.get(username="somchai")
    assert user.check_password("Ruam-Mue-2568!")
    assert user.cso is None
    me = api_client.get(ME, HTTP_AUTHORIZATION=f"Token {body['token']}").json()
    assert me["roles"] == [Role.CSO_MEMBER]
    assert me["cso"] is None


@pytest.mark.parametrize("username", ["member-taken", "MEMBER-TAKEN"])
def test_sign_up_with_a_taken_username_is_refused(api_client, username):
    MemberFactory(username="member-taken")

    response = api_client.post(
        REGISTER,
        {"username": username, "password": "Ruam-Mue-2568!", "email": "x@example.org"},
        format="json",
    )

    assert_error(response, 400, "validation_error", fields=["username"])
    assert User.objects.filter(username__iexact="member-taken").count() == 1


@pytest.mark.parametrize("password", ["12345678", "password", "short1!", "somchai2568"])
def test_sign_up_with_a_weak_password_is_refused(api_client, password):
    response = api_client.post(
        REGISTER,
        {"username": "somchai2568", "password": password, "email": "somchai@example.org"},
        format="json",
    )

    assert_error(response, 400, "validation_error", fields=["password"])
    assert not User.objects.filter(username="somchai2568").exists()


def test_sign_up_needs_a_valid_email(api_client):
    response = api_client.post(
        REGISTER,
        {"username": "somchai", "password": "Ruam-Mue-2568!", "email": "not-an-email"},
        format="json",
    )

    assert_error(response, 400, "validation_error", fields=["email"])


def test_sign_up_is_rate_limited(api_client):
    # Mistakes do not count: only accounts made do.
    for _ in range(25):
        assert api_client.post(REGISTER, {}, format="json").status_code == 400
    for n in range(20):
        made = {"username": f"early{n}", "password": "Ruam-Mue-2568!", "email": f"e{n}@example.org"}
        assert api_client.post(REGISTER, made, format="json").status_code == 201

    response = api_client.post(
        REGISTER,
        {"username": "late", "password": "Ruam-Mue-2568!", "email": "late@example.org"},
        format="json",
    )

    assert_error(response, 429, "throttled")
    assert not User.objects.filter(username="late").exists()


# --- me -------------------------------------------------------------------------------


def test_me_needs_a_caller(api_client):
    assert_error(api_client.get(ME), 401, "not_authenticated")


def test_me_refuses_a_wrong_token(api_client):
    response = api_client.get(ME, HTTP_AUTHORIZATION="Token 0123456789abcdef")

    assert_error(response, 401, "not_authenticated")


def test_me_for_each_role(api_as, users):
    for role, user in users.items():
        body = api_as(user).get(ME).json()
        assert body["username"] == user.username
        assert body["roles"] == [role]

    officer = users[Role.AGENCY_OFFICER]
    assert api_as(officer).get(ME).json()["agency"] == officer.agency_id
    assert api_as(users[Role.API_CLIENT]).get(ME).json()["scopes"] == ["read", "payments"]
    assert api_as(users[Role.COMMITTEE_REVIEWER]).get(ME).json()["scopes"] == []


def test_me_names_the_members_organisation(api_as):
    cso = CSOFactory(status="draft")
    member = cso.members.get()

    body = api_as(member).get(ME).json()

    assert body["cso"] == cso.pk
    assert body["agency"] is None
    assert body["roles"] == [Role.CSO_MEMBER]
