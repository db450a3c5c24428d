"""Shared fixtures: fast passwords, a clean throttle cache, uploads in a temporary folder,
one user per role, and API clients that authenticate the way other systems do (a token)."""

import os

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from portal.roles import Role
from tests import factories
from tests.factories import sample_file
from tests.helpers import TokenClient


def _worker_broker(url: str, worker: str) -> str:
    """Under pytest-xdist each worker has its own test database (pytest-django suffixes its
    name) and must have its own Celery queue too: a real worker started by one test would
    otherwise take tasks another test process queued for rows in another database. Worker
    gw<n> uses the Redis database n below the configured one."""
    from urllib.parse import urlsplit, urlunsplit

    index = int(worker.removeprefix("gw") or 0)
    if not url.startswith("redis://") or index == 0:
        return url
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base - index) % 16}"))


def pytest_configure(config):
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    from django.conf import settings

    broker = _worker_broker(settings.CELERY_BROKER_URL, worker)
    if broker != settings.CELERY_BROKER_URL:
        from portal.celery import app

        settings.CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"] = broker
        app.conf.broker_url = broker


@pytest.fixture(scope="session", autouse=True)
def _postgresql_in_ci():
    """In CI the suite must run on PostgreSQL: locks, partial unique indexes and check
    constraints behave differently elsewhere. Fail (never skip) on any other database."""
    if not os.environ.get("CI"):
        return
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.fail(
            f"CI is set but the test database is {connection.vendor!r}; "
            "set DATABASE_URL=postgres://... (tests must run against PostgreSQL in CI).",
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _force_login_passes_the_code_step(monkeypatch):
    """Staff and committee reviewers must give a two-factor code after their password
    (portal/twofactor/). A test that signs one in with ``client.force_login`` tests a page,
    not the code step, so force_login also gives them an app and a verified session
    (tests.helpers.force_login_verified). The two-factor tests sign in through the real
    forms, or with ``tests.helpers.plain_force_login``."""
    from django.test.client import ClientMixin

    from tests.helpers import force_login_verified

    monkeypatch.setattr(ClientMixin, "force_login", force_login_verified)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _reference_rows(request):
    """Provinces, activity fields and banks come from data migrations. A transactional test
    (``transaction=True``, ``live_server``) flushes tables afterwards, so put them back
    before such a test runs. Other tests see them through the rolled-back transaction."""
    marker = request.node.get_closest_marker("django_db")
    if "live_server" in request.fixturenames or "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif marker is None or not marker.kwargs.get("transaction"):
        return
    from portal.models import ActivityField, Bank, Province
    from portal.reference import BANKS
    from portal.reference_data import load_banks, load_reference_rows

    if Province.objects.count() != 77 or ActivityField.objects.count() != 11:
        load_reference_rows(Province, ActivityField)
    if Bank.objects.count() != len(BANKS):
        load_banks(Bank)


# --- files ---------------------------------------------------------------------------


@pytest.fixture
def pdf_upload():
    return sample_file("registration.pdf", content_type="application/pdf")


# --- people --------------------------------------------------------------------------


@pytest.fixture
def agency(db):
    return factories.AgencyFactory()


@pytest.fixture
def officer(agency):
    """An agency officer bound to ``agency``."""
    return factories.OfficerFactory(agency=agency)


@pytest.fixture
def other_officer(db):
    """An agency officer of another agency."""
    return factories.OfficerFactory()


@pytest.fixture
def member(db):
    """A CSO member who has not registered an organisation yet."""
    return factories.MemberFactory()


@pytest.fixture
def draft_cso(db):
    """A complete draft registration; its member is ``draft_cso.members.get()``."""
    return factories.CSOFactory(status="draft")


@pytest.fixture
def cso_member(draft_cso):
    """A CSO member bound to ``draft_cso``."""
    return draft_cso.members.get()


@pytest.fixture
def other_member(db):
    """A member of another (draft) CSO."""
    return factories.CSOFactory(status="draft").members.get()


@pytest.fixture
def approved_member(db):
    """A member of an approved CSO."""
    return factories.CSOFactory(status="approved").members.get()


@pytest.fixture
def mission(officer):
    """A mission of ``officer``'s agency."""
    return factories.MissionFactory(officer=officer)


@pytest.fixture
def reviewer(db):
    return factories.ReviewerFactory()


@pytest.fixture
def evaluator(db):
    return factories.EvaluatorFactory()


@pytest.fixture
def system_user(db):
    """Another government system: the api_client role with the read and payments scopes."""
    return factories.ApiClientFactory(scopes=["read", "payments"]).user


@pytest.fixture
def finance(db):
    """The ministry's finance system: an API client with the payments scope."""
    return factories.ApiClientFactory(scopes=["read", "payments"]).user


@pytest.fixture
def staff_admin(db):
    return factories.StaffAdminFactory()


@pytest.fixture
def users(agency, officer, member, reviewer, evaluator, system_user, staff_admin):
    """One user per role, by role name (the member has no CSO)."""
    return {
        Role.AGENCY_OFFICER: officer,
        Role.CSO_MEMBER: member,
        Role.COMMITTEE_REVIEWER: reviewer,
        Role.EVALUATOR: evaluator,
        Role.API_CLIENT: system_user,
        Role.STAFF_ADMIN: staff_admin,
    }


@pytest.fixture
def english():
    """Run the test in English: services answer in the active language, Thai by default."""
    from django.utils import translation

    with translation.override("en"):
        yield


# --- API clients ---------------------------------------------------------------------


@pytest.fixture
def api_client():
    """An anonymous DRF client."""
    return APIClient()


@pytest.fixture
def api_as(db):
    """``api_as(user, lang="en")``: a fresh client that sends the user's API token, as
    another system would; ``None`` gives an anonymous client."""

    def make(user=None, *, lang=None):
        client = APIClient() if user is None else TokenClient(user)
        if lang:
            client.credentials(HTTP_ACCEPT_LANGUAGE=lang)
        return client

    return make


@pytest.fixture(autouse=True)
def _page_cache(settings):
    """The page cache on, as in production (portal/page_cache.py): a page that shows stale
    rows after a write, or one visitor's page to another, fails the test that wrote them."""
    settings.PAGE_CACHE_SECONDS = 60
    # One process holds the tests' cache, so its table versions are everyone's (the open-data
    # files are fingerprinted by them, as in production).
    settings.TABLE_VERSIONS_SHARED = True
