"""An API client account (another government system) works through the API only: its password
does not open a web session, and a session that names it is anonymous, so it never reads the
web pages' agreements and payment orders outside its scopes."""

import pytest
from django.contrib.auth import SESSION_KEY

from tests.factories import PASSWORD, ApiClientFactory, award

pytestmark = pytest.mark.django_db


def test_its_password_does_not_sign_in_to_the_web_and_says_why(client):
    user = ApiClientFactory(scopes=["read", "payments"]).user
    client.cookies["django_language"] = "en"
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "API client account" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_session_that_names_it_is_anonymous(client):
    agreement = award()
    user = ApiClientFactory(scopes=["read", "payments"]).user
    client.force_login(user)
    response = client.get(f"/agreements/{agreement.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/api/v1/agreements/").status_code in (401, 403)


def test_it_still_gets_its_api_token_with_the_password(client):
    user = ApiClientFactory(scopes=["read"]).user
    response = client.post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["token"]
