"""Tokens, self sign-up, /me/, the reference sets, and the request language."""

import pytest
from rest_framework.authtoken.models import Token

from portal.models import User
from portal.roles import Role

from .conftest import assert_error
from .factories import PASSWORD, CSOFactory, MemberFactory, OfficerFactory

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REGISTER = "/api/v1/auth/register/"
ME = "/api/v1/me/"


def has_thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


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
    for _ in range(20):
        assert api_client.post(REGISTER, {}, format="json").status_code == 400

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


# --- reference sets -------------------------------------------------------------------

SETS = {
    "service-categories": 3,
    "mission-types": 7,
    "participation-models": 3,
    "participation-levels": 4,
    "activity-fields": 11,
    "org-forms": 14,
    "selection-criteria": 5,
    "costing-methods": 3,
    "provinces": 77,
}


@pytest.mark.parametrize(("name", "size"), SETS.items())
def test_every_reference_set_is_public_and_complete(api_client, name, size):
    response = api_client.get(f"/api/v1/reference/{name}/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == size
    assert len(body["results"]) == size  # one page, whatever the default page size
    assert body["next"] is None
    codes = [item["code"] for item in body["results"]]
    assert len(set(codes)) == size
    for item in body["results"]:
        assert set(item) == {"code", "name_th", "name_en"}
        assert item["code"] and item["name_th"] and item["name_en"]


def test_reference_sets_page_on_request(api_client):
    response = api_client.get("/api/v1/reference/provinces/", {"page_size": 10, "page": 2})

    body = response.json()
    assert body["count"] == 77
    assert len(body["results"]) == 10
    assert body["next"] and body["previous"]


def test_provinces_use_dopa_codes(api_client):
    items = api_client.get("/api/v1/reference/provinces/").json()["results"]
    by_code = {item["code"]: item for item in items}

    assert by_code["10"]["name_th"] == "กรุงเทพมหานคร"
    assert by_code["10"]["name_en"] == "Bangkok"
    assert by_code["50"]["name_th"] == "เชียงใหม่"
    assert all(code.isdigit() and len(code) == 2 for code in by_code)


def test_reference_codes_are_the_ones_in_domain_md(api_client):
    def codes(name):
        return [i["code"] for i in api_client.get(f"/api/v1/reference/{name}/").json()["results"]]

    assert codes("service-categories") == [
        "administrative",
        "industrial_commercial",
        "social_cultural",
    ]
    assert codes("participation-levels") == [
        "information",
        "consultation",
        "decision_making",
        "co_production",
    ]
    assert "law_advocacy_politics" in codes("activity-fields")
    assert codes("costing-methods") == ["per_person", "per_project", "reference_price"]


@pytest.mark.parametrize(
    "name",
    [
        "service-categories",
        "mission-types",
        "participation-models",
        "participation-levels",
        "org-forms",
        "selection-criteria",
        "costing-methods",
    ],
)
def test_choice_sets_have_thai_and_english_names(api_client, name):
    items = api_client.get(f"/api/v1/reference/{name}/", HTTP_ACCEPT_LANGUAGE="en").json()
    for item in items["results"]:
        assert has_thai(item["name_th"]), item
        assert not has_thai(item["name_en"]), item


def test_category_names_are_the_ones_in_domain_md(api_client):
    items = api_client.get("/api/v1/reference/service-categories/").json()["results"]

    assert {i["code"]: i["name_th"] for i in items} == {
        "administrative": "บริการสาธารณะทางปกครอง",
        "industrial_commercial": "บริการสาธารณะทางพาณิชยกรรมและอุตสาหกรรม",
        "social_cultural": "บริการสาธารณะทางสังคมและวัฒนธรรม",
    }


def test_activity_fields_have_thai_names(api_client):
    items = api_client.get("/api/v1/reference/activity-fields/").json()["results"]

    assert all(has_thai(item["name_th"]) and not has_thai(item["name_en"]) for item in items)


def test_an_unknown_reference_set_is_not_found(api_client):
    assert_error(api_client.get("/api/v1/reference/colours/"), 404, "not_found")


# --- the request language -------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [(ME, 401, "not_authenticated"), ("/api/v1/reference/colours/", 404, "not_found")],
)
def test_error_messages_follow_accept_language(api_client, path, status, code):
    english = assert_error(api_client.get(path, HTTP_ACCEPT_LANGUAGE="en"), status, code)
    thai = assert_error(api_client.get(path, HTTP_ACCEPT_LANGUAGE="th"), status, code)

    assert english["message"] != thai["message"]
    assert has_thai(thai["message"]) and not has_thai(english["message"])


def test_thai_is_the_default_language(api_client):
    error = assert_error(api_client.get(ME), 401, "not_authenticated")

    assert has_thai(error["message"])


def test_field_messages_follow_accept_language(api_client):
    english = assert_error(
        api_client.post(TOKEN, {}, format="json", HTTP_ACCEPT_LANGUAGE="en"),
        400,
        "validation_error",
    )
    thai = assert_error(
        api_client.post(TOKEN, {}, format="json", HTTP_ACCEPT_LANGUAGE="th"),
        400,
        "validation_error",
    )

    assert english["fields"]["username"] != thai["fields"]["username"]
    assert has_thai(thai["fields"]["username"][0])


def test_the_portals_own_messages_follow_accept_language(api_client):
    body = {"username": "nobody", "password": "wrong"}
    messages = {}
    for lang in ("en", "th"):
        error = assert_error(
            api_client.post(TOKEN, body, HTTP_ACCEPT_LANGUAGE=lang),
            400,
            "validation_error",
            fields=["non_field_errors"],
        )
        assert error["message"] == error["fields"]["non_field_errors"][0]
        messages[lang] = error["message"]

    assert messages["en"] == "The username or password is wrong."
    assert has_thai(messages["th"])
