"""Answers for visitors who are not signed in come from the cache (portal/page_cache.py) and
are never stale after a write, never one visitor's page shown to another, and never a form
without a working CSRF token."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.consultations.models import Consultation
from contracts.calls.models import Call
from tests.factories.agencies import open_consultation
from tests.factories.contracts import CallFactory
from tests.factories.portal import OfficerFactory

pytestmark = pytest.mark.django_db


def _queries(client, path, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert response.status_code == 200
    return response, len(queries)


def test_a_second_visit_is_served_without_a_query():
    call = CallFactory()
    first, first_queries = _queries(Client(), "/calls/")
    again, again_queries = _queries(Client(), "/calls/")
    assert call.title in again.content.decode()
    assert again.content == first.content
    assert first_queries > 0
    assert again_queries == 0


def test_a_saved_change_shows_at_once():
    call = CallFactory(title="ทุนเดิม")
    assert "ทุนเดิม" in Client().get("/calls/").content.decode()
    call.title = "ทุนที่แก้แล้ว"
    call.save(update_fields=["title"])
    page = Client().get("/calls/").content.decode()
    assert "ทุนที่แก้แล้ว" in page
    assert "ทุนเดิม" not in page


def test_a_bulk_update_without_signals_shows_at_once():
    call = CallFactory(title="ทุนเดิม")
    Client().get(f"/calls/{call.pk}/")
    Call.objects.filter(pk=call.pk).update(title="ทุนที่แก้ทีละหลายแถว")
    assert "ทุนที่แก้ทีละหลายแถว" in Client().get(f"/calls/{call.pk}/").content.decode()


def test_a_new_row_in_a_list_shows_at_once():
    officer = OfficerFactory()
    CallFactory(officer=officer, title="ทุนแรก")
    Client().get("/calls/")
    CallFactory(officer=officer, title="ทุนที่สอง")
    assert "ทุนที่สอง" in Client().get("/calls/").content.decode()


def test_a_value_kept_by_portal_caching_still_ties_the_page_to_its_rows():
    """The consultation list keeps its rows in portal.caching; a bulk update (no signal, no
    caching.changed) must still reach the page."""
    officer = OfficerFactory()
    consultation = open_consultation(officer, title="รับฟังเรื่องเดิม")
    assert "รับฟังเรื่องเดิม" in Client().get("/consultations/").content.decode()
    Consultation.objects.filter(pk=consultation.pk).update(title="รับฟังเรื่องใหม่")
    assert "รับฟังเรื่องใหม่" in Client().get("/consultations/").content.decode()


def test_each_language_has_its_own_answer():
    CallFactory()
    thai = Client().get("/calls/")
    english_client = Client()
    english_client.cookies["django_language"] = "en"
    english = english_client.get("/calls/")
    assert 'lang="th"' in thai.content.decode()
    assert 'lang="en"' in english.content.decode()
    assert 'lang="th"' in Client().get("/calls/").content.decode()


def test_a_signed_in_page_is_never_served_to_anyone_else():
    officer = OfficerFactory()
    CallFactory(officer=officer)
    signed_in = Client()
    signed_in.force_login(officer)
    assert officer.username in signed_in.get("/calls/").content.decode()
    anonymous = Client().get("/calls/").content.decode()
    assert officer.username not in anonymous
    # and the other way round: the anonymous answer, now cached, is not the officer's
    assert officer.username in signed_in.get("/calls/").content.decode()


def test_a_form_page_gives_each_visitor_a_working_token():
    """The sign-in form needs a CSRF token: each new visitor gets one that works."""
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(reverse("login"))
        assert "csrftoken" in page.cookies
        token = page.context["csrf_token"]
        answer = visitor.post(
            reverse("login"),
            {"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": str(token)},
        )
        assert answer.status_code == 200  # the form again with its error, not a 403


def test_the_language_switch_works_from_a_cached_page():
    CallFactory()
    Client().get("/calls/")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/calls/").content.decode()
    assert "csrfmiddlewaretoken" not in page.split('class="lang-form"')[1].split("</form>")[0]
    answer = visitor.post(reverse("set_language"), {"language": "en", "next": "/calls/"})
    assert answer.status_code == 302
    assert 'lang="en"' in visitor.get("/calls/").content.decode()


def test_the_api_rate_limit_counts_answers_from_the_cache(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "anon": "2/minute",
        },
    }
    CallFactory()
    statuses = [Client().get("/api/v1/calls/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.django_db(transaction=True)
def test_a_page_built_while_a_write_was_uncommitted_is_not_served_after_the_commit():
    """Another process changes a call in a transaction; a visitor's page is built (and kept)
    before it commits, from the rows as they were. After the commit, the next visitor sees
    the change."""
    call = CallFactory(title="ทุนก่อนแก้")
    written, page_built = threading.Event(), threading.Event()

    def other_process():
        try:
            with transaction.atomic():
                Call.objects.filter(pk=call.pk).update(title="ทุนหลังแก้")
                written.set()
                page_built.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=other_process)
    writer.start()
    assert written.wait(10)
    before = Client().get(f"/calls/{call.pk}/").content.decode()
    page_built.set()
    writer.join(10)
    assert "ทุนก่อนแก้" in before
    assert "ทุนหลังแก้" in Client().get(f"/calls/{call.pk}/").content.decode()


def test_an_emptied_cache_never_gives_back_a_fingerprint_taken_before():
    """Versions start afresh in an emptied cache; a fingerprint kept in the database (the
    open-data files') must not match the new ones by chance."""
    from django.core.cache import cache

    from portal import page_cache

    CallFactory()
    before = page_cache.fingerprint(["contracts_call"])
    cache.clear()
    CallFactory()
    assert page_cache.fingerprint(["contracts_call"]) != before


@pytest.mark.django_db(transaction=True)
def test_a_write_to_another_table_during_a_build_does_not_stop_it_being_kept():
    """At national scale something is written every moment: only the tables a page read
    may invalidate it."""
    from agencies.models import Agency
    from portal import page_cache

    officer = OfficerFactory()
    CallFactory(officer=officer)
    builds, renamed = [], []

    def other_request():
        try:
            renamed.append(Agency.objects.filter(pk=officer.agency_id).update(name_en="Other"))
        finally:
            connection.close()

    def build():
        builds.append(1)
        elsewhere = threading.Thread(target=other_request)  # in a context of its own
        elsewhere.start()
        elsewhere.join()
        return [c.title for c in Call.objects.all()]

    first = page_cache.remember("test:calls", build, 60)
    assert renamed == [1]
    assert page_cache.remember("test:calls", build, 60) == first
    assert len(builds) == 1
    Call.objects.update(title="เปลี่ยนแล้ว")
    assert page_cache.remember("test:calls", build, 60) == ["เปลี่ยนแล้ว"]
    assert len(builds) == 2


def test_a_build_that_writes_is_built_again_each_time():
    from portal import page_cache

    call = CallFactory()
    writes = []

    def build():
        writes.append(1)
        Call.objects.filter(pk=call.pk).update(title=f"ครั้งที่ {len(writes)}")
        return len(writes)

    assert page_cache.remember("test:writes", build, 60) == 1
    assert page_cache.remember("test:writes", build, 60) == 2
