"""The request language."""

import pytest

from tests.helpers import assert_error, has_thai

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"


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
