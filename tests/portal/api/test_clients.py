"""Other government systems as API clients: a staff admin creates one (its token shown
once), rotates and revokes its token; each request it makes is logged; its scopes are
enforced on every endpoint; throttles per client and per anonymous address answer 429 in
the contract's shape. Also: the wrong caller is refused (403) before a bad body is read
(400), and a bad filter, ordering or page size never makes a list answer 5xx."""

import os
import re
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny

from agencies.models import Agency
from contracts.agreements import services as agreement_services
from portal import services
from portal.api.access import ClientScopes
from portal.audit import audit_history
from portal.models import ApiClient, ApiRequestLog, Notice
from portal.roles import Role
from portal.workflow import InvalidTransition
from tests.factories import (
    AgencyFactory,
    ApiClientFactory,
    CSOFactory,
    MemberFactory,
    MissionFactory,
    OfficerFactory,
    StaffAdminFactory,
    award,
    sample_file,
)
from tests.helpers import assert_error, redis_ready

pytestmark = pytest.mark.django_db

API = "/api/v1"
ME = f"{API}/me/"
AGREEMENTS = f"{API}/agreements/"
ADMIN = "/admin/portal/apiclient/"
TOKEN_ON_PAGE = re.compile(r'<code class="api-token">([0-9a-f]{40})</code>')


def token_header(key):
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


@pytest.fixture
def admin_user(db):
    """The staff admin, as the Django admin knows them (seed_demo makes them superuser)."""
    return StaffAdminFactory(is_superuser=True)


@pytest.fixture
def browser(admin_user):
    """The staff admin's browser, signed in to the Django admin."""
    client = Client()
    client.force_login(admin_user)
    return client


def new_client(admin_user, scopes=("read",), name="ระบบ GFMIS กรมบัญชีกลาง"):
    return services.api_client_create(
        actor=admin_user, name=name, contact="gfmis@cgd.go.th", scopes=scopes
    )


def released_grant():
    """An active grant whose first (only) tranche is released and waiting to be paid."""
    agreement = award()
    tranche = agreement.tranches.get(seq=1)
    agreement_services.tranche_release(tranche=tranche, officer=agreement.proposal.call.created_by)
    return agreement


PAYMENT = {"payment_reference": "GFMIS-0001", "paid_on": "2026-01-15"}


def pay(api, agreement):
    return api.post(
        f"{AGREEMENTS}{agreement.pk}/tranches/1/pay/",
        {**PAYMENT, "paid_on": timezone.localdate().isoformat()},
        format="json",
    )


# --- create, rotate, revoke through the services -------------------------------------------


def test_creating_a_client_makes_its_account_role_scopes_and_a_working_token(
    api_client, admin_user
):
    client, key = new_client(admin_user, scopes=["payments", "read", "read"])

    assert client.scopes == ["read", "payments"]  # known, once each, in one order
    assert client.user.roles == frozenset({Role.API_CLIENT})
    assert not client.user.has_usable_password()  # it signs in with its token only
    assert client.token_issued_at is not None and client.revoked_at is None
    me = api_client.get(ME, **token_header(key))
    assert me.status_code == 200
    assert me.json()["roles"] == ["api_client"]
    assert me.json()["scopes"] == ["read", "payments"]
    (entry,) = audit_history(client)
    assert (entry.action, entry.actor, entry.data["scopes"]) == (
        "create",
        admin_user,
        ["read", "payments"],
    )


@pytest.mark.parametrize(
    "answers, field",
    [
        ({"name": "  ", "scopes": ["read"]}, "name"),
        ({"name": "x" * 201, "scopes": ["read"]}, "name"),
        ({"name": "ระบบงบประมาณ", "scopes": ["read", "admin"]}, "scopes"),
    ],
)
def test_a_client_needs_a_name_and_known_scopes(admin_user, answers, field):
    with pytest.raises(ValidationError) as exc:
        services.api_client_create(actor=admin_user, **answers)

    assert field in exc.value.message_dict
    assert not ApiClient.objects.exists()


@pytest.mark.parametrize("who", ["officer", "member", "system", "anonymous"])
def test_only_a_staff_admin_manages_clients(admin_user, who):
    actor = {
        "officer": OfficerFactory,
        "member": MemberFactory,
        "system": lambda: ApiClientFactory(scopes=["read", "payments", "reports"]).user,
        "anonymous": AnonymousUser,
    }[who]()
    client, key = new_client(admin_user)

    with pytest.raises(PermissionDenied):
        services.api_client_create(actor=actor, name="ระบบอื่น", scopes=["read"])
    with pytest.raises(PermissionDenied):
        services.api_client_rotate_token(client=client, actor=actor)
    with pytest.raises(PermissionDenied):
        services.api_client_revoke(client=client, actor=actor)
    assert Token.objects.get(user=client.user).key == key


def test_after_rotation_the_old_token_is_refused_and_the_new_one_works(api_client, admin_user):
    client, old = new_client(admin_user)
    assert api_client.get(ME, **token_header(old)).status_code == 200

    new = services.api_client_rotate_token(client=client, actor=admin_user)

    assert new != old
    assert_error(api_client.get(ME, **token_header(old)), 401, "not_authenticated")
    assert api_client.get(ME, **token_header(new)).status_code == 200
    assert [e.action for e in audit_history(client)] == ["create", "rotate_token"]


def test_a_revoked_client_is_refused_and_stays_on_record(api_client, admin_user):
    client, key = new_client(admin_user, scopes=["read", "payments"])

    services.api_client_revoke(client=client, actor=admin_user, reason="ระบบเลิกใช้")

    assert_error(api_client.get(AGREEMENTS, **token_header(key)), 401, "not_authenticated")
    client.refresh_from_db()
    client.user.refresh_from_db()
    assert client.is_revoked and not client.user.is_active
    assert not Token.objects.filter(user=client.user).exists()
    revoked = audit_history(client).last()
    assert (revoked.action, revoked.to_status, revoked.reason) == ("revoke", "revoked", "ระบบเลิกใช้")
    # No way back in: no new token, no second revocation, no password to sign in with.
    with pytest.raises(InvalidTransition):
        services.api_client_rotate_token(client=client, actor=admin_user)
    with pytest.raises(InvalidTransition):
        services.api_client_revoke(client=client, actor=admin_user)
    assert not Token.objects.filter(user=client.user).exists()
    refused = api_client.post(
        f"{API}/auth/token/", {"username": client.user.username, "password": ""}, format="json"
    )
    assert_error(refused, 400, "validation_error")


def test_changing_scopes_applies_from_the_next_request_and_is_audited(api_as, admin_user):
    client, key = new_client(admin_user, scopes=["read"])
    api = api_as(None)
    api.credentials(**token_header(key))
    assert api.get(AGREEMENTS).status_code == 200

    services.api_client_update(
        client=client, actor=admin_user, name=client.name, contact="", scopes=["payments"]
    )

    assert_error(api.get(AGREEMENTS), 403, "permission_denied")
    entry = audit_history(client).last()
    assert (entry.action, entry.data["scopes_before"], entry.data["scopes"]) == (
        "update",
        ["read"],
        ["payments"],
    )


# --- the Django admin ---------------------------------------------------------------------


def test_the_admin_creates_a_client_and_shows_its_token_once(browser, api_client):
    assert browser.get(f"{ADMIN}add/").status_code == 200

    page = browser.post(
        f"{ADMIN}add/",
        {
            "name": "ระบบงบประมาณ สำนักงบประมาณ",
            "contact": "it@bb.go.th",
            "scopes": ["read", "reports"],
        },
    )

    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    (key,) = TOKEN_ON_PAGE.findall(page.content.decode())
    client = ApiClient.objects.get()
    assert (client.name, client.contact, client.scopes) == (
        "ระบบงบประมาณ สำนักงบประมาณ",
        "it@bb.go.th",
        ["read", "reports"],
    )
    assert Token.objects.get(user=client.user).key == key
    assert api_client.get(ME, **token_header(key)).json()["scopes"] == ["read", "reports"]
    # Nowhere in the admin shows it again.
    for address in (ADMIN, f"{ADMIN}{client.pk}/change/", "/admin/authtoken/tokenproxy/"):
        again = browser.get(address)
        assert key not in again.content.decode()
    assert browser.get("/admin/authtoken/tokenproxy/").status_code == 404


def test_the_admin_edits_scopes_with_checkboxes(browser, admin_user):
    client, _key = new_client(admin_user, scopes=["read"])
    form = browser.get(f"{ADMIN}{client.pk}/change/").content.decode()
    assert 'type="checkbox" name="scopes" value="payments"' in form

    saved = browser.post(
        f"{ADMIN}{client.pk}/change/",
        {"name": client.name, "contact": "", "scopes": ["read", "payments"]},
    )

    assert saved.status_code == 302
    client.refresh_from_db()
    assert client.scopes == ["read", "payments"]
    assert audit_history(client).last().action == "update"


def test_the_admin_rotates_a_token_and_shows_the_new_one_once(browser, admin_user, api_client):
    client, old = new_client(admin_user)

    page = browser.post(ADMIN, {"action": "rotate_token", "_selected_action": [client.pk]})

    assert page.status_code == 200
    (new,) = TOKEN_ON_PAGE.findall(page.content.decode())
    assert new != old
    assert_error(api_client.get(ME, **token_header(old)), 401, "not_authenticated")
    assert api_client.get(ME, **token_header(new)).status_code == 200


def test_the_admin_revokes_a_client(browser, admin_user, api_client):
    client, key = new_client(admin_user)

    done = browser.post(ADMIN, {"action": "revoke", "_selected_action": [client.pk]})

    assert done.status_code == 302
    client.refresh_from_db()
    assert client.is_revoked
    assert_error(api_client.get(ME, **token_header(key)), 401, "not_authenticated")
    # Rotating a revoked client issues nothing and says why.
    again = browser.post(
        ADMIN, {"action": "rotate_token", "_selected_action": [client.pk]}, follow=True
    )
    assert not TOKEN_ON_PAGE.search(again.content.decode())
    assert not Token.objects.filter(user=client.user).exists()
    # Clients are revoked, never deleted: their log and audit trail stay.
    assert browser.get(f"{ADMIN}{client.pk}/delete/").status_code == 403


# --- the request log ------------------------------------------------------------------------


def test_each_client_request_is_logged_once_with_its_status_and_endpoint(
    api_as, admin_user, officer
):
    client, key = new_client(admin_user, scopes=["read"])
    agreement = released_grant()
    system = api_as(None)
    system.credentials(**token_header(key))

    assert system.get(AGREEMENTS).status_code == 200
    assert system.get(f"{AGREEMENTS}999999/").status_code == 404
    assert pay(system, agreement).status_code == 403  # no payments scope
    # Nobody else's requests are logged: an officer, an anonymous caller, a bad token.
    api_as(officer).get(AGREEMENTS)
    api_as(None).get(f"{API}/agencies/")
    api_as(None).get(AGREEMENTS, HTTP_AUTHORIZATION="Token " + "0" * 40)

    rows = list(ApiRequestLog.objects.order_by("at", "id"))
    assert [(r.client_id, r.method, r.path, r.status_code) for r in rows] == [
        (client.pk, "GET", AGREEMENTS, 200),
        (client.pk, "GET", f"{AGREEMENTS}999999/", 404),
        (client.pk, "POST", f"{AGREEMENTS}{agreement.pk}/tranches/1/pay/", 403),
    ]
    assert all(r.duration_ms >= 0 and r.at <= timezone.now() for r in rows)


def test_the_request_log_is_read_only_in_the_admin(browser, admin_user, api_client):
    client, key = new_client(admin_user)
    api_client.get(ME, **token_header(key))
    row = ApiRequestLog.objects.get()

    listing = browser.get("/admin/portal/apirequestlog/", {"client__id__exact": client.pk})
    assert listing.status_code == 200
    assert ME in listing.content.decode()
    assert browser.get("/admin/portal/apirequestlog/", {"status_code": 200}).status_code == 200
    assert browser.get("/admin/portal/apirequestlog/add/").status_code == 403
    assert browser.get(f"/admin/portal/apirequestlog/{row.pk}/delete/").status_code == 403
    browser.post(f"/admin/portal/apirequestlog/{row.pk}/change/", {"status_code": 500})
    row.refresh_from_db()
    assert row.status_code == 200


# --- scopes -------------------------------------------------------------------------------


def scoped(api_as, *scopes):
    return api_as(ApiClientFactory(scopes=list(scopes)).user, lang="en")


def test_a_client_without_read_gets_403_naming_the_scope(api_as):
    award()
    system = scoped(api_as, "payments")

    error = assert_error(system.get(AGREEMENTS), 403, "permission_denied")
    assert "read" in error["message"]
    assert_error(system.get(f"{API}/proposals/"), 403, "permission_denied")
    assert_error(system.get(f"{API}/notices/"), 403, "permission_denied")
    # What is public needs no scope, and a system may always ask who it is.
    for public in ("agencies/", "missions/", "csos/", "calls/", "reference/provinces/"):
        assert system.get(f"{API}/{public}").status_code == 200, public
    assert system.get(ME).json()["scopes"] == ["payments"]


def test_a_client_with_read_lists_every_agreement(api_as):
    first, second = award(), award()

    rows = scoped(api_as, "read").get(AGREEMENTS).json()["results"]

    assert {row["id"] for row in rows} == {first.pk, second.pk}


def test_paying_a_tranche_needs_the_payments_scope(api_as):
    agreement = released_grant()

    error = assert_error(
        pay(scoped(api_as, "read", "reports"), agreement), 403, "permission_denied"
    )

    assert "payments" in error["message"]
    assert agreement.tranches.get(seq=1).status == "released"
    paid = pay(scoped(api_as, "payments"), agreement)
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == "paid"


@pytest.mark.parametrize("part", ["reports", "evaluations"])
def test_reading_reports_and_evaluations_needs_the_reports_scope(api_as, part):
    agreement = award(instrument="performance_contract")
    address = f"{AGREEMENTS}{agreement.pk}/{part}/"

    error = assert_error(scoped(api_as, "read").get(address), 403, "permission_denied")

    assert "reports" in error["message"]
    assert scoped(api_as, "reports").get(address).status_code == 200


def test_scopes_do_not_touch_other_callers(api_as, officer, staff_admin):
    award()
    for user in (officer, staff_admin, MemberFactory()):
        assert api_as(user).get(AGREEMENTS).status_code == 200


def test_a_client_cannot_write_what_its_role_may_not_whatever_its_scopes(api_as):
    agreement = released_grant()
    system = scoped(api_as, "read", "payments", "reports")

    for action in ("complete", "tranches/1/release", "reports/1/submit"):
        response = system.post(f"{AGREEMENTS}{agreement.pk}/{action}/", {}, format="json")
        assert response.status_code in (403, 404), (action, response.status_code)


def _drf_routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _drf_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_api_view_that_is_not_public_checks_client_scopes():
    """A view that sets its own permission_classes replaces the default: it must list
    ClientScopes too, or a client without the scope would get through."""
    missing = []
    for route, callback in _drf_routes(get_resolver().url_patterns):
        options = {**getattr(callback, "initkwargs", {})}
        authentication = options.get("authentication_classes", callback.cls.authentication_classes)
        permission = options.get("permission_classes", callback.cls.permission_classes)
        if not authentication or all(p is AllowAny for p in permission):
            continue  # nobody signs in here, or it is open to all
        if ClientScopes not in permission:
            missing.append(route)
    assert not missing


# --- throttles ----------------------------------------------------------------------------


@pytest.fixture
def rates(settings):
    """``rates(client="2/minute")``: lower a throttle rate for one test."""

    def set_rates(**changed):
        framework = dict(settings.REST_FRAMEWORK)
        framework["DEFAULT_THROTTLE_RATES"] = {**framework["DEFAULT_THROTTLE_RATES"], **changed}
        settings.REST_FRAMEWORK = framework
        cache.clear()

    return set_rates


def assert_throttled(response):
    error = assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) >= 1
    return error


def test_each_client_has_its_own_allowance(api_as, rates):
    rates(client="3/minute")
    first, second = scoped(api_as, "read"), scoped(api_as, "read")

    for _ in range(3):
        assert first.get(AGREEMENTS).status_code == 200
    error = assert_throttled(first.get(AGREEMENTS))

    assert "Try again in" in error["message"]
    assert first.get(f"{API}/agencies/").status_code == 429  # every endpoint counts
    assert second.get(AGREEMENTS).status_code == 200
    assert ApiRequestLog.objects.filter(status_code=429).count() == 2


def test_a_client_is_throttled_by_client_not_by_account_or_address(api_as, rates, admin_user):
    """Two tokens of one client (after rotation) share its allowance; its requests from
    another address do too."""
    rates(client="2/minute", anon="100/minute")
    client, old = new_client(admin_user)
    api = api_as(None)
    assert api.get(ME, REMOTE_ADDR="192.0.2.1", **token_header(old)).status_code == 200

    new = services.api_client_rotate_token(client=client, actor=admin_user)

    assert api.get(ME, REMOTE_ADDR="192.0.2.2", **token_header(new)).status_code == 200
    assert_throttled(api.get(ME, REMOTE_ADDR="192.0.2.3", **token_header(new)))


def test_anonymous_callers_are_throttled_per_address(api_client, rates):
    rates(anon="2/minute")
    AgencyFactory()
    agencies = f"{API}/agencies/"

    for _ in range(2):
        assert api_client.get(agencies, REMOTE_ADDR="203.0.113.5").status_code == 200
    assert_throttled(api_client.get(agencies, REMOTE_ADDR="203.0.113.5"))
    # A forged X-Forwarded-For does not make a new caller (no proxy is trusted by default).
    forged = api_client.get(agencies, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert_throttled(forged)
    assert api_client.get(agencies, REMOTE_ADDR="203.0.113.6").status_code == 200
    assert not ApiRequestLog.objects.exists()


def test_behind_one_proxy_the_forwarded_address_is_the_caller(api_client, rates, settings):
    rates(anon="1/minute")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    agencies = f"{API}/agencies/"
    proxy = {"REMOTE_ADDR": "10.0.0.2"}

    assert api_client.get(agencies, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 200
    assert_throttled(api_client.get(agencies, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy))
    assert api_client.get(agencies, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy).status_code == 200


def test_the_throttle_message_says_when_to_try_again(api_as, rates):
    rates(client="1/minute")
    system = scoped(api_as, "read")  # asks in English
    system.get(ME)

    response = system.get(ME)

    error = assert_throttled(response)
    assert error["message"] == (
        f"Too many requests. Try again in {response['Retry-After']} seconds."
    )


def _redis_cache_url():
    """CACHE_URL if it is Redis; else the broker's Redis, database 1 as in docker-compose."""
    cache_url = os.environ.get("CACHE_URL", "")
    if cache_url.startswith("redis://"):
        return cache_url
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker.startswith("redis://"):
        return None
    return urlunsplit(urlsplit(broker)._replace(path="/1"))


def test_throttling_works_on_the_redis_cache(api_as, rates, settings):
    import redis

    url = _redis_cache_url()
    unavailable = "needs Redis: set CACHE_URL or CELERY_BROKER_URL to redis://..."
    if url is None or not redis_ready(url):
        if os.environ.get("CI"):
            pytest.fail(unavailable, pytrace=False)
        pytest.skip(unavailable)
    prefix = f"test-throttle-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    rates(client="2/minute")  # no cache.clear() on a shared Redis: our keys are prefixed
    system = scoped(api_as, "read")
    server = redis.Redis.from_url(url)
    try:
        assert system.get(ME).status_code == 200
        assert system.get(ME).status_code == 200
        assert_throttled(system.get(ME))
        assert server.keys(f"{prefix}:*")  # the counter lives in Redis, shared by workers
    finally:
        for name in server.scan_iter(f"{prefix}:*"):
            server.delete(name)


# --- the wrong caller is refused before the body is read ------------------------------------


BAD_CSO = {"org_form": "not-a-form", "contact_email": "not-an-email", "founded_year": "soon"}
BAD_MISSION = {"title_th": "", "service_category": "nonsense", "mission_type": 7}


@pytest.mark.parametrize("who", ["other_member", "officer", "reviewer", "system_user"])
def test_a_stranger_cannot_change_a_cso_even_with_a_bad_body(api_as, who, request):
    cso = CSOFactory(status="approved")  # everyone sees it; only its members may change it
    api = api_as(request.getfixturevalue(who))

    assert_error(
        api.patch(f"{API}/csos/{cso.pk}/", BAD_CSO, format="json"), 403, "permission_denied"
    )
    assert_error(
        api.post(f"{API}/csos/{cso.pk}/documents/", {}, format="multipart"),
        403,
        "permission_denied",
    )
    assert not cso.documents.exclude(kind="registration").exists()


def test_a_reviewer_cannot_fill_in_a_draft_even_with_a_bad_body(api_as, draft_cso, reviewer):
    assert_error(
        api_as(reviewer).patch(f"{API}/csos/{draft_cso.pk}/", BAD_CSO, format="json"),
        403,
        "permission_denied",
    )


def test_the_csos_own_member_still_hears_about_the_bad_answers(api_as, draft_cso, cso_member):
    api = api_as(cso_member)

    assert_error(
        api.patch(f"{API}/csos/{draft_cso.pk}/", BAD_CSO, format="json"),
        400,
        "validation_error",
        fields=["org_form", "contact_email"],
    )
    assert_error(
        api.post(f"{API}/csos/{draft_cso.pk}/documents/", {}, format="multipart"),
        400,
        "validation_error",
        fields=["file"],
    )
    upload = api.post(
        f"{API}/csos/{draft_cso.pk}/documents/",
        {"kind": "other", "file": sample_file("registration.pdf")},
        format="multipart",
    )
    assert upload.status_code == 201, upload.content


def test_an_approved_csos_member_is_told_it_cannot_change_not_that_the_body_is_bad(api_as):
    cso = CSOFactory(status="approved")

    error = assert_error(
        api_as(cso.members.get()).patch(f"{API}/csos/{cso.pk}/", BAD_CSO, format="json"),
        409,
        "invalid_transition",
    )
    assert not error["fields"]


def test_only_a_cso_member_without_one_may_register_even_with_a_bad_body(api_as, officer):
    assert_error(
        api_as(officer).post(f"{API}/csos/", BAD_CSO, format="json"), 403, "permission_denied"
    )


def test_missions_refuse_the_wrong_caller_before_reading_the_body(api_as, officer, other_officer):
    mission = MissionFactory(officer=officer)

    for who in (MemberFactory(), ApiClientFactory(scopes=["read"]).user):
        assert_error(
            api_as(who).post(f"{API}/missions/", BAD_MISSION, format="json"),
            403,
            "permission_denied",
        )
    assert_error(
        api_as(other_officer).patch(f"{API}/missions/{mission.pk}/", BAD_MISSION, format="json"),
        403,
        "permission_denied",
    )
    # The agency's own officer is told what to correct.
    assert_error(
        api_as(officer).patch(f"{API}/missions/{mission.pk}/", BAD_MISSION, format="json"),
        400,
        "validation_error",
    )


# --- lists: filters, search, ordering, pagination --------------------------------------------


LISTS = {
    "agencies": "anonymous",
    "missions": "anonymous",
    "csos": "anonymous",
    "calls": "anonymous",
    "proposals": "staff_admin",
    "agreements": "staff_admin",
    "notices": "member",
}

BAD_FILTERS = [
    ("agencies", {"kind": "planet"}, "kind"),
    ("agencies", {"parent": "abc"}, "parent"),
    ("agencies", {"parent": "99999999999999999999"}, "parent"),
    ("missions", {"agency": "abc"}, "agency"),
    ("missions", {"agency": "NaN"}, "agency"),
    ("missions", {"service_category": "nonsense"}, "service_category"),
    ("csos", {"registered": "maybe"}, "registered"),
    ("csos", {"status": "famous"}, "status"),
    ("csos", {"org_form": "club"}, "org_form"),
    ("calls", {"closing_soon": "soonish"}, "closing_soon"),
    ("calls", {"status": "finished"}, "status"),
    ("calls", {"instrument": "loan"}, "instrument"),
    ("proposals", {"call": "abc"}, "call"),
    ("proposals", {"status": "lost"}, "status"),
    ("proposals", {"agency": "1.5x"}, "agency"),
    ("agreements", {"status": "paid"}, "status"),
    ("agreements", {"kind": "loan"}, "kind"),
    ("agreements", {"cso": "x"}, "cso"),
    ("notices", {"unread": "perhaps"}, "unread"),
    ("notices", {"kind": "gossip"}, "kind"),
]


@pytest.fixture
def caller(api_as, staff_admin, member):
    def make(name):
        return api_as({"anonymous": None, "staff_admin": staff_admin, "member": member}[name])

    return make


@pytest.mark.parametrize("name, params, field", BAD_FILTERS)
def test_a_bad_filter_value_is_a_validation_error(caller, name, params, field):
    response = caller(LISTS[name]).get(f"{API}/{name}/", params)

    assert_error(response, 400, "validation_error", fields=[field])


@pytest.mark.parametrize("name", LISTS)
def test_an_unknown_ordering_is_a_validation_error(caller, name):
    response = caller(LISTS[name]).get(f"{API}/{name}/", {"ordering": "-password,id"})

    error = assert_error(response, 400, "validation_error", fields=["ordering"])
    assert "id" in error["fields"]["ordering"][0]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_orders_by_each_of_its_fields_and_searches(caller, name):
    viewset = resolve(f"{API}/{name}/").func.cls  # whichever app's api_urls routes it
    api = caller(LISTS[name])
    for field in viewset.ordering_fields:
        for term in (field, f"-{field}"):
            response = api.get(f"{API}/{name}/", {"ordering": term})
            assert response.status_code == 200, (term, response.content[:300])
    assert api.get(f"{API}/{name}/", {"search": "ทดสอบ"}).status_code == 200
    assert api.get(f"{API}/{name}/", {"ordering": "id,-id"}).status_code == 200


@pytest.mark.parametrize("name", LISTS)
def test_huge_ids_and_odd_values_never_make_a_list_fail(caller, name):
    api = caller(LISTS[name])
    for params in (
        {"page_size": "abc"},
        {"page_size": "-5"},
        {"search": "a" * 2000},
        {"search": "%_\\'\""},
        {"agency": "1" * 40, "cso": "1" * 40, "call": "1" * 40},
        {"province": "' OR 1=1 --"},
    ):
        response = api.get(f"{API}/{name}/", params)
        assert response.status_code in (200, 400), (params, response.status_code)


def test_page_size_is_capped_at_100(api_client):
    Agency.objects.bulk_create(
        Agency(name_th=f"หน่วยงาน {n}", name_en=f"Agency {n}", kind="department") for n in range(105)
    )

    body = api_client.get(f"{API}/agencies/", {"page_size": 1000}).json()

    assert (body["count"], len(body["results"])) == (105, 100)
    assert body["next"] and "page=2" in body["next"]


def test_new_filters_narrow_the_lists(api_as, staff_admin):
    first, second = award(), award()
    # A name no other row holds (factory names differ only by a number: "... 1" is in "... 12").
    second.cso.name_th = "มูลนิธิเพื่อการค้นหาโดยเฉพาะ"
    second.cso.save(update_fields=["name_th"])
    api = api_as(staff_admin)

    by_proposal = api.get(AGREEMENTS, {"proposal": first.proposal_id}).json()["results"]
    by_agency = api.get(f"{API}/proposals/", {"agency": second.agency_id}).json()["results"]
    by_name = api.get(AGREEMENTS, {"search": second.cso.name_th}).json()["results"]

    assert [row["id"] for row in by_proposal] == [first.pk]
    assert [row["id"] for row in by_agency] == [second.proposal_id]
    assert [row["id"] for row in by_name] == [second.pk]


def test_csos_filter_by_certified_field_and_juristic_id(api_client):
    cso = CSOFactory(status="approved", activity_fields=["environment"])
    other = CSOFactory(status="approved")

    def ids(params):
        return [row["id"] for row in api_client.get(f"{API}/csos/", params).json()["results"]]

    assert ids({"certified_field": "environment"}) == [cso.pk]
    assert ids({"certified_field": "social_services"}) == [other.pk]
    assert ids({"search": cso.juristic_id}) == [cso.pk]
    assert ids({"search": cso.juristic_id[:6]}) == []  # the juristic id matches whole only


def test_notices_filter_strictly_by_unread(api_as, member):
    Notice.objects.create(recipient=member, kind="call_closed", key="k1", subject="s", body="b")
    api = api_as(member)

    assert api.get(f"{API}/notices/", {"unread": "true"}).json()["count"] == 1
    assert api.get(f"{API}/notices/", {"unread": "0"}).json()["count"] == 0
