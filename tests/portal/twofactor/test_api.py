"""The API's token endpoint and two-factor sign-in: an account with an app sends its code as
``otp``; without it the answer says a code is needed (400, ``otp_required``)."""

import pytest
from rest_framework.authtoken.models import Token

from portal.twofactor import services
from tests import factories
from tests.factories.portal import PASSWORD
from tests.helpers import assert_error, totp_code

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"


def enrolled(user):
    device = services.two_factor_enrol_begin(user=user)
    _device, codes = services.two_factor_enrol_confirm(user=user, code=totp_code(device))
    return device, codes


def test_a_password_alone_gets_no_token_for_an_account_with_an_app(api_client):
    officer = factories.OfficerFactory()
    enrolled(officer)

    response = api_client.post(
        TOKEN, {"username": officer.username, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )

    error = assert_error(response, 400, "otp_required", fields=["otp"])
    assert "two-factor" in error["message"]
    assert not Token.objects.filter(user=officer).exists()


def test_the_password_and_the_code_get_a_token(api_client):
    reviewer = factories.ReviewerFactory()
    device, _codes = enrolled(reviewer)

    response = api_client.post(
        TOKEN,
        {
            "username": reviewer.username,
            "password": PASSWORD,
            "otp": totp_code(device, steps_ahead=1),
        },
    )

    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=reviewer).key


def test_a_wrong_code_gets_no_token_and_the_next_try_waits(api_client):
    officer = factories.OfficerFactory()
    device, _codes = enrolled(officer)
    body = {"username": officer.username, "password": PASSWORD}

    wrong = api_client.post(TOKEN, {**body, "otp": "000000"}, HTTP_ACCEPT_LANGUAGE="en")
    soon = api_client.post(TOKEN, {**body, "otp": totp_code(device, steps_ahead=1)})

    assert_error(wrong, 400, "validation_error", fields=["otp"])
    assert_error(soon, 429, "throttled")
    assert not Token.objects.filter(user=officer).exists()


def test_a_recovery_code_gets_a_token_once(api_client):
    officer = factories.OfficerFactory()
    _device, codes = enrolled(officer)
    body = {"username": officer.username, "password": PASSWORD, "otp": codes[3]}

    first = api_client.post(TOKEN, body)
    Token.objects.filter(user=officer).delete()
    second = api_client.post(TOKEN, body)

    assert first.status_code == 200
    assert_error(second, 400, "validation_error", fields=["otp"])


def test_a_reviewer_without_an_app_sets_it_up_before_getting_a_token(api_client):
    reviewer = factories.ReviewerFactory()

    response = api_client.post(TOKEN, {"username": reviewer.username, "password": PASSWORD})

    assert_error(response, 400, "otp_enrolment_required")
    assert not Token.objects.filter(user=reviewer).exists()


def test_an_officer_without_an_app_still_gets_a_token_with_the_password(api_client):
    officer = factories.OfficerFactory()

    response = api_client.post(TOKEN, {"username": officer.username, "password": PASSWORD})

    assert response.status_code == 200


def test_the_schema_documents_otp_and_otp_required(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/auth/token/"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    request = schema["components"]["schemas"][body.rsplit("/", 1)[1]]
    assert "otp" in request["properties"] and "otp" not in request.get("required", [])
    assert "otp_required" in operation["responses"]["400"]["description"]
