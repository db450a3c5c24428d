"""Citizens sign up (web and API), get a link by email, and verify their address with it: the
link is signed, works once, expires, and a new one can be asked for, a few times a day."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from portal import page_cache
from portal.models import AuditLog, User
from portal.roles import Role, is_verified_participant
from portal.verification.tasks import send_verification_email
from portal.verification.tokens import make_token
from tests import factories
from tests.helpers import page, text


def _own(queued):
    """What the sign-up queued on commit, less the page cache's table versions."""
    return [c for c in queued if not isinstance(c, page_cache.VersionsAfterCommit)]


pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _link(message) -> str:
    return re.search(r"/accounts/verify-email/[^/\s]+/", message.body).group(0)


def _sign_up_web(client, **over):
    form = {
        "role": "citizen",
        "username": "somsri",
        "email": "somsri@example.org",
        "password1": factories.PASSWORD,
        "password2": factories.PASSWORD,
        **over,
    }
    return client.post("/accounts/signup/", form)


def test_a_citizen_signs_up_on_the_web_and_verifies_with_the_emailed_link(
    django_capture_on_commit_callbacks,
):
    client = _client()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        made = _sign_up_web(client)
    assert made.url == "/work/"
    user = User.objects.get(username="somsri")
    assert Role.CITIZEN in user.roles and Role.CSO_MEMBER not in user.roles
    assert not is_verified_participant(user)
    assert len(_own(queued)) == 1
    send_verification_email(user.pk, "en")  # what the worker does
    message = mail.outbox[-1]
    assert message.to == ["somsri@example.org"]
    home = text(client.get("/work/"))
    assert "Verify your email address" in home
    link = _link(message)
    shown = client.get(link)
    assert "Confirm that somsri@example.org is your address." in page(shown)
    user.refresh_from_db()
    assert user.email_verified_at is None  # opening the link (a mail scanner) changes nothing
    done = client.post(link)
    assert done.url == "/work/"
    user.refresh_from_db()
    assert is_verified_participant(user)
    assert AuditLog.objects.filter(action="email_verified", object_id=str(user.pk)).exists()
    again = client.post(link)
    assert again.status_code == 400
    assert "used already" in page(again)
    assert "Verify your email address" not in text(client.get("/work/"))


def test_an_organisation_member_signs_up_as_before():
    client = _client()
    made = _sign_up_web(client, role="cso_member", username="mana", email="mana@example.org")
    assert made.url.startswith("/registration")
    assert User.objects.get(username="mana").roles == {Role.CSO_MEMBER}


def test_a_failed_sign_up_keeps_the_choice_and_what_was_typed():
    refused = _sign_up_web(_client(), password2="something-else")
    html = page(refused)
    assert refused.status_code == 200
    assert 'value="somsri@example.org"' in html
    assert re.search(r'value="citizen"[^>]*checked', html)
    assert not User.objects.exists()


def test_expired_tampered_and_foreign_links_are_refused_without_change():
    person = factories.citizen(verified=False)
    token = make_token(person)
    client = _client()
    tampered = client.post(f"/accounts/verify-email/{token[:-2]}xx/")
    assert tampered.status_code == 400 and "not a valid" in page(tampered)
    assert client.post("/accounts/verify-email/%00/").status_code in (400, 404)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        late = client.post(f"/accounts/verify-email/{token}/")
    assert late.status_code == 400 and "expired" in page(late)
    person.refresh_from_db()
    assert person.email_verified_at is None
    # A link sent to an old address does not verify the new one.
    person.email = "new@example.org"
    person.save()
    moved = client.post(f"/accounts/verify-email/{token}/")
    assert moved.status_code == 400
    person.refresh_from_db()
    assert person.email_verified_at is None


def test_asking_for_a_new_link_is_limited(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_VERIFICATION_RATE = "2/day"
    person = factories.citizen(verified=False)
    client = _client(person)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.post("/accounts/verify-email/resend/", follow=True)
    assert "We sent a new link" in page(first)
    assert len(_own(queued)) == 1
    with django_capture_on_commit_callbacks(execute=False) as queued:
        soon = client.post("/accounts/verify-email/resend/", follow=True)
    assert "too often" in page(soon) and not queued
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        client.post("/accounts/verify-email/resend/")
        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=4)):
            third = client.post("/accounts/verify-email/resend/", follow=True)
    assert "too often" in page(third)
    verified = factories.citizen()
    told = _client(verified).post("/accounts/verify-email/resend/", follow=True)
    assert "verified already" in page(told)


def test_the_api_signs_a_citizen_up_and_verifies(api_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        made = api_as(None).post(
            "/api/v1/auth/register/",
            {
                "username": "api-citizen",
                "password": factories.PASSWORD,
                "email": "c@example.org",
                "role": "citizen",
            },
            format="json",
        )
    assert made.status_code == 201
    assert (made.json()["roles"], made.json()["email_verified"]) == (["citizen"], False)
    user = User.objects.get(username="api-citizen")
    me = api_as(user).get("/api/v1/me/").json()
    assert me["email_verified"] is False
    bad = api_as(None).post("/api/v1/auth/verify-email/", {"token": "nope"}, format="json")
    assert bad.status_code == 400 and "token" in bad.json()["error"]["fields"]
    ok = api_as(None).post("/api/v1/auth/verify-email/", {"token": make_token(user)}, format="json")
    assert ok.json() == {"username": "api-citizen", "email_verified": True}
    assert api_as(user).get("/api/v1/me/").json()["email_verified"] is True
    default = api_as(None).post(
        "/api/v1/auth/register/",
        {"username": "old-client", "password": factories.PASSWORD, "email": "o@example.org"},
        format="json",
    )
    assert default.json()["roles"] == ["cso_member"]
    resend = api_as(factories.citizen(verified=False)).post("/api/v1/auth/verify-email/resend/")
    assert resend.status_code == 202
    assert api_as(None).post("/api/v1/auth/verify-email/resend/").status_code == 401
