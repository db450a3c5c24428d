"""The web UI as people use it: sign-up keeps what was typed and says what to fix; Thai first
with English a click away."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


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
