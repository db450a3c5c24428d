"""A signed-in person's pages kept for them alone (portal/page_cache.personal): the lists an
officer opens again and again are built once, served again while nothing they show changed,
and never to anyone else, to a session that has not given its code, or over a message
waiting to be shown; a form on a kept page still posts."""

import re

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.helpers import page, plain_force_login

pytestmark = pytest.mark.django_db


def _visit(client, url, **extra):
    """The page and the SQL its answer cost."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, [q["sql"] for q in captured.captured_queries]


def _reads(sql, table):
    return [q for q in sql if f'"{table}"' in q]


def _officer_with_agreement(client):
    agreement = factories.award()
    officer = factories.OfficerFactory(agency=agreement.agency)
    client.force_login(officer)
    client.get(reverse("agreement-list"))  # the first answer gives the browser its CSRF cookie
    return officer, agreement


def test_a_page_opened_again_is_served_as_built_without_reading_its_rows(client):
    _officer, agreement = _officer_with_agreement(client)
    built, built_sql = _visit(client, reverse("agreement-list"))
    again, again_sql = _visit(client, reverse("agreement-list"))

    assert agreement.number in page(again)
    assert again.content == built.content
    assert _reads(built_sql, "contracts_agreement")
    assert not _reads(again_sql, "contracts_agreement")


def test_a_change_to_what_the_page_shows_is_seen_at_once(client):
    officer, agreement = _officer_with_agreement(client)
    assert agreement.number in page(client.get(reverse("agreement-list")))

    another = factories.award(call=factories.CallFactory(officer=officer))
    assert another.number in page(client.get(reverse("agreement-list")))


def test_one_persons_kept_page_is_never_anothers():
    mine, theirs = Client(), Client()
    _officer, agreement = _officer_with_agreement(mine)
    assert agreement.number in page(mine.get(reverse("agreement-list")))

    stranger = factories.OfficerFactory()  # another agency's officer, the same address
    theirs.force_login(stranger)
    theirs.get(reverse("agreement-list"))
    assert agreement.number not in page(theirs.get(reverse("agreement-list")))


def test_a_message_waiting_is_shown_over_a_kept_page(client):
    _officer_with_agreement(client)
    client.get(reverse("agreement-list"))  # built and kept
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies[CookieStorage.cookie_name] = storage._encode(
        [Message(constants.SUCCESS, "บันทึกผลเรียบร้อยแล้ว")]
    )

    shown = page(client.get(reverse("agreement-list")))
    after = page(client.get(reverse("agreement-list")))

    assert "บันทึกผลเรียบร้อยแล้ว" in shown
    assert "บันทึกผลเรียบร้อยแล้ว" not in after  # shown once, and the page with it not kept


def test_a_session_without_its_code_is_sent_to_the_code_step_not_a_kept_page():
    reviewer = factories.ReviewerFactory()  # committee reviewers must use two-factor sign-in
    verified, unverified = Client(), Client()
    verified.force_login(reviewer)  # gave the code (tests/conftest.py)
    for _visit_again in range(2):
        assert verified.get(reverse("review-queue")).status_code == 200

    plain_force_login(unverified, reviewer)  # signed in, the code not given yet
    # Even with the same CSRF cookie as the verified session's browser.
    name = settings.CSRF_COOKIE_NAME
    unverified.cookies[name] = verified.cookies[name].value
    response = unverified.get(reverse("review-queue"))
    assert response.status_code == 302
    assert reverse("two-factor-verify") in response["Location"]


def test_signing_out_from_a_kept_page_works():
    client = Client(enforce_csrf_checks=True)
    _officer_with_agreement(client)
    client.get(reverse("agreement-list"))  # built and kept
    kept, sql = _visit(client, reverse("agreement-list"))
    assert not _reads(sql, "contracts_agreement")  # served as kept
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page(kept)).group(1)

    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert client.get(reverse("agreement-list")).status_code == 302  # signed out: sign in


# --- API lists (page_cache.KeptListMixin) ---------------------------------------------------


def test_an_api_list_asked_again_is_kept_until_a_row_changes(api_as):
    agreement = factories.award()
    officer = factories.OfficerFactory(agency=agreement.agency)
    api = api_as(officer)
    url = "/api/v1/agreements/"
    built, _sql = _visit(api, url)
    again, again_sql = _visit(api, url)

    assert again.json() == built.json()
    assert [row["number"] for row in again.json()["results"]] == [agreement.number]
    assert not _reads(again_sql, "contracts_agreement")

    another = factories.award(call=factories.CallFactory(officer=officer))
    numbers = {row["number"] for row in api.get(url).json()["results"]}
    assert numbers == {agreement.number, another.number}


def test_a_kept_api_list_is_never_another_callers(api_as):
    agreement = factories.award()
    officer = factories.OfficerFactory(agency=agreement.agency)
    api_as(officer).get("/api/v1/agreements/")
    api_as(officer).get("/api/v1/agreements/")

    stranger = api_as(factories.OfficerFactory()).get("/api/v1/agreements/")
    assert stranger.json()["results"] == []
    assert api_as(None).get("/api/v1/agreements/").status_code == 401


def test_a_revoked_token_is_refused_even_for_a_kept_list(api_as):
    from rest_framework.authtoken.models import Token

    agreement = factories.award()
    officer = factories.OfficerFactory(agency=agreement.agency)
    api = api_as(officer)
    api.get("/api/v1/agreements/")
    assert api.get("/api/v1/agreements/").status_code == 200

    Token.objects.filter(user=officer).delete()
    assert api.get("/api/v1/agreements/").status_code == 401
