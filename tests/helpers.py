"""Helpers the tests share: moments in Bangkok, fresh copies from the database, who acts on
an agreement, the API's one error shape, what a page or a PDF says, and skipping what this
machine cannot run (outside CI)."""

import datetime
import html
import os
import re
import shutil
import subprocess

import pytest
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from portal.models import AuditLog

BKK = datetime.timezone(datetime.timedelta(hours=7))


def at(y, m, d, hour=10):
    """A moment in Bangkok, for time travel."""
    return datetime.datetime(y, m, d, hour, tzinfo=BKK)


def date_boxes(name: str, value, *, language: str = "th") -> dict:
    """What a person types in the date boxes of field ``name`` for ``value`` (a date or a
    moment, read in Bangkok): the day, the month's number (the value of its list), the year
    in B.E. on a Thai page or in C.E. on an English one, and for a moment hours and minutes."""
    if isinstance(value, datetime.datetime):
        value = value.astimezone(BKK)
    year = value.year + 543 if language == "th" else value.year
    boxes = {f"{name}_day": str(value.day), f"{name}_month": str(value.month)}
    boxes[f"{name}_year"] = str(year)
    if isinstance(value, datetime.datetime):
        boxes.update({f"{name}_hour": f"{value:%H}", f"{name}_minute": f"{value:%M}"})
    return boxes


# What must never stand in a text people read in Thai: an ISO date, or a C.E. year (a year
# 2000–2100 standing alone as a year, not part of an amount, a number or a code).
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CE_YEAR = re.compile(r"(?<![\d,.\-/])(?:20\d\d|2100)(?![\d\-/]|[.,]\d)")


def date_leaks(text: str) -> list[str]:
    """The ISO dates and C.E. years in ``text`` (empty: it reads B.E. dates only)."""
    return ISO_DATE.findall(text) + CE_YEAR.findall(text)


def fresh(obj):
    """The object as the database has it now."""
    return type(obj).objects.get(pk=obj.pk)


def officer_of(agreement):
    return agreement.proposal.call.created_by


def member_of(agreement):
    return agreement.cso.members.first()


# --- the API -------------------------------------------------------------------------


def assert_error(response, status: int, code: str, *, fields=None):
    """The one error shape of the API; ``fields`` are names that must carry a message."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, error
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"], error
    assert isinstance(error["fields"], dict), error
    for name in fields or ():
        assert error["fields"].get(name), (name, error)
    return error


# --- words -----------------------------------------------------------------------------


def in_thai(message: str) -> str:
    """The message as a Thai reader gets it (the English source until it is translated)."""
    with translation.override("th"):
        return gettext(message)


def has_thai(text: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


def page(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """The page's words without tags, spaces squeezed, for reading sentences (entities read
    as the characters a reader sees: &#x27; as ')."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page(response))).split())


def pdf_text(content: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed; .ci/run installs it")
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    # -raw keeps Thai vowel and tone marks in reading order.
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


# --- what this machine may lack ----------------------------------------------------------


def unavailable(message: str):
    """Skip on a developer's machine; in CI a test that cannot run is a failure."""
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def redis_ready(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except redis.RedisError:
        return False


# --- the audit trail ---------------------------------------------------------------------


def audit_rows(cso, action=None):
    """The CSO's audit rows (of one ``action``, if given), oldest first."""
    rows = AuditLog.objects.filter(content_type__model="cso", object_id=str(cso.pk))
    if action:
        rows = rows.filter(action=action)
    return list(rows.order_by("at", "id"))


def last_audit(cso):
    return audit_rows(cso)[-1]


def run_together(*functions):
    """Run each function in a thread of its own (each with its own database connection) and
    return their outcomes, a result or the exception raised, in the functions' order."""
    import threading

    from django.db import connection

    outcomes = [None] * len(functions)

    def run(i, function):
        try:
            outcomes[i] = function()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the tests check
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a thread hung (a deadlock?)"
    return outcomes


def pause_after(monkeypatch, module, name, reached, go_on):
    """Wrap ``module.name`` so that, once it has run, it signals ``reached`` and waits (at most
    a second) for ``go_on``: the window in which another thread may slip in."""
    original = getattr(module, name)

    def paused(*args, **kwargs):
        result = original(*args, **kwargs)
        reached.set()
        go_on.wait(timeout=1)
        return result

    monkeypatch.setattr(module, name, paused)


def signs_in(username: str, password: str, *, address: str = "192.0.2.10") -> bool:
    """Whether the web sign-in form lets ``username`` in with ``password`` (a fresh browser
    at ``address``), as a person would find out."""
    from django.test import Client

    client = Client(REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def token_key(user) -> str:
    """The user's API token as a program holding it would have it now: their current one
    while it lasts, a new one once it has expired (tokens expire after API_TOKEN_DAYS)."""
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from portal.tokens.selectors import expires_at

    token = Token.objects.filter(user=user).first()
    ends = expires_at(token) if token is not None else None
    if ends is not None and ends <= timezone.now():
        token.delete()
        token = None
    if token is None:
        token = Token.objects.create(user=user)
    return token.key


class TokenClient(APIClient):
    """A program acting for ``user`` with their token, as it holds it at each request: a
    person's token expires after API_TOKEN_DAYS, and a program signs in again for a new one
    (tests that travel in time get a valid token at the moment of each call; the tests of
    expiry itself hold one key)."""

    def __init__(self, user, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self._sign_in()

    def _sign_in(self):
        from rest_framework.authtoken.models import Token

        from portal.tokens.selectors import expires_at

        self.key = token_key(self.user)
        token = Token.objects.get(key=self.key)
        self.expires = expires_at(token)

    def request(self, **kwargs):
        from django.utils import timezone

        # No query while the token lasts (query-count tests count the request alone).
        if self.expires is not None and self.expires <= timezone.now():
            self._sign_in()
        kwargs.setdefault("HTTP_AUTHORIZATION", f"Token {self.key}")
        return super().request(**kwargs)


# --- two-factor sign-in ----------------------------------------------------------------

# Django's own force_login, before tests/conftest.py makes it give a verified session.
from django.test.client import ClientMixin  # noqa: E402

plain_force_login = ClientMixin.force_login


def totp_device_for(user, *, confirmed=True):
    """``user``'s authenticator app (a confirmed TOTP device), made if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()
    return device or TOTPDevice.objects.create(user=user, name="test phone", confirmed=confirmed)


def totp_code(device, *, steps_ahead=0) -> str:
    """The code ``device``'s app shows now, or ``steps_ahead`` 30-second steps later
    (django_otp.oath.totp, as the app computes it)."""
    import time

    from django_otp.oath import totp

    now = time.time() + steps_ahead * device.step
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if steps_ahead:
        from django_otp.oath import TOTP

        generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        generator.time = now
        code = generator.token()
    return f"{code:0{device.digits}d}"


def mark_verified(client, user):
    """The client's session passed the code step with ``user``'s app (made if none)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = totp_device_for(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def force_login_verified(client, user, backend=None):
    """Sign ``user`` in as the tests' force_login does: a person whose role requires
    two-factor sign-in, or who has an app, gets a confirmed app and a session that gave its
    code, so pages test what they test and not the code step."""
    from portal.twofactor.permissions import two_factor_required
    from portal.twofactor.selectors import has_two_factor

    plain_force_login(client, user, backend)
    if two_factor_required(user) or has_two_factor(user):
        mark_verified(client, user)


def database_url() -> str:
    """The test database's URL, for a process of its own (a Celery worker, gunicorn) to use;
    PostgreSQL only."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor != "postgresql":
        unavailable("this test needs PostgreSQL (set DATABASE_URL=postgres://...)")
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
