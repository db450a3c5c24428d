"""Whole answers for visitors who are not signed in, kept until the rows they show change.

Most requests at national scale are anonymous GETs of public pages and API lists, and each
costs 20–80 ms of template rendering and serialising on the same rows. This middleware keeps
the view's answer in the shared cache (Redis in production) and serves it again, in the
visitor's language, until a table it was built from is written, or ``PAGE_CACHE_SECONDS``
pass (what depends on the clock alone, such as a call closing, is at most that late).

How it knows what changed, without a list kept by hand:

- **Reads.** While a view builds a cacheable answer, every SELECT it runs through Django's
  connection is read for the tables it names (``FROM``/``JOIN``), and each table's *version*
  is taken just before its first read. The answer is stored with those versions.
- **Writes.** Every INSERT, UPDATE and DELETE through Django's connection, from any process
  (web, Celery, a management command; the ORM, bulk writes and raw SQL alike), bumps its
  table's version: once as it runs, and again when its transaction commits, so an answer
  built from the rows as they were before the commit is never served after it.
- **Serving.** An answer is served only while every one of its tables has the version it
  was stored with: a write to one of them after its first read (committed or not) moved
  it on. Writes to other tables meanwhile do not matter. An answer whose build wrote
  anything itself is not stored (serving it again would skip the write).

What is never cached: a signed-in visitor, an API caller with credentials, a visitor with a
session (what a session holds can change a page), anything but a GET answered 200, an answer
that sets a cookie, uses the CSRF token (so every form page), says ``private`` or
``no-store``, or comes from a view marked :func:`exempt`. API answers still count against the
anonymous rate limit when they come from the cache.

Values kept by :mod:`portal.caching` (``remember``) carry the versions of the tables they
were built from, so a page that reads one from the cache still depends on them.
"""

import hashlib
import re
import secrets
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection as default_connection
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from .roles import Role

# A SELECT's tables: Django quotes every name it writes ("csos_cso"); raw SQL may not.
_READ_TABLES = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE)
_WRITTEN_TABLE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z_][A-Za-z0-9_]*)"?', re.IGNORECASE
)
# Written on every sign-in or failed attempt, and never read by a page anyone can see
# signed out: no version to bump.
_UNWATCHED_PREFIXES = ("django_session", "axes_", "otp_")
_PREFIX = "page:"


class _Reads:
    """What the answer being built has read: each table with its version as it was just
    before the table's first read (a write after that moves it past), and whether the
    build wrote anything itself (then it is not kept: its writes would be skipped)."""

    def __init__(self):
        self.versions: dict[str, int | None] = {}
        self.wrote = False

    def read(self, tables) -> None:
        new = [t for t in dict.fromkeys(tables) if t not in self.versions]
        if new:
            self.versions.update(zip(new, _versions(new), strict=True))

    def kept(self, versions: dict) -> None:
        """A value kept in the cache, with the versions it was built at, went in."""
        for table, version in versions.items():
            self.versions.setdefault(table, version)


# What the cacheable answer being built in this context has read, or None.
_reading: ContextVar[_Reads | None] = ContextVar("page_cache_reading", default=None)


def exempt(view):
    """Never cache this view's answers (it depends on something other than the database
    and the language: the visitor's address, a random choice, an outside service)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        response = view(*args, **kwargs)
        response.page_cache_exempt = True
        return response

    return wrapped


# --- versions ------------------------------------------------------------------------------


def _version_key(table: str) -> str:
    return f"{_PREFIX}v:{table}"


def _bump(tables) -> None:
    for table in tables:
        try:
            cache.incr(_version_key(table))
        except ValueError:  # no number yet (a new or cleared cache): a random start, so a
            # number never comes back to one a fingerprint was taken at
            cache.set(_version_key(table), secrets.randbits(48) + 1, timeout=None)


def _versions(tables) -> tuple:
    keys = [_version_key(t) for t in tables]
    found = cache.get_many(keys)
    return tuple(found.get(k) for k in keys)


def versions_shared() -> bool:
    """Whether every process reads the same table versions (the cache is shared: Redis)."""
    return settings.TABLE_VERSIONS_SHARED


def fingerprint(tables) -> str:
    """A fingerprint of what ``tables`` hold, from their versions alone: it changes with any
    write to one of them, without reading them. Only where ``versions_shared()``. It names
    the cache's epoch too, so emptying the cache (versions start afresh) changes it."""
    epoch = cache.get_or_set(_PREFIX + "epoch", secrets.token_hex(8), timeout=None)
    tables = sorted(tables)
    what = repr((epoch, tables, _versions(tables)))
    return hashlib.sha256(what.encode()).hexdigest()[:32]


@contextmanager
def collecting():
    """What the queries inside the block read, and whether they wrote (``_Reads``); also
    counted for the answer being built around the block, if any."""
    reads = _Reads()
    token = _reading.set(reads)
    try:
        yield reads
    finally:
        _reading.reset(token)
        outer = _reading.get()
        if outer is not None:
            outer.kept(reads.versions)
            outer.wrote = outer.wrote or reads.wrote


def _fresh(kept) -> bool:
    """Whether a value kept with its tables' versions still has them."""
    return kept is not None and _versions(kept["versions"]) == tuple(kept["versions"].values())


def _keep(key, reads, value, timeout) -> None:
    if not reads.wrote:
        cache.set(key, {"versions": reads.versions, "value": value}, timeout)


def _served(kept):
    """The kept value, counted for the answer being built around it (it depends on the
    same tables, as they were)."""
    outer = _reading.get()
    if outer is not None:
        outer.kept(kept["versions"])
    return kept["value"]


def remember(key: str, build, timeout: int):
    """``build()``, kept in the cache under ``key`` for at most ``timeout`` seconds and only
    while no table it read is written."""
    kept = cache.get(key)
    if _fresh(kept):
        return _served(kept)
    with collecting() as reads:
        value = build()
    _keep(key, reads, value, timeout)
    return value


class VersionsAfterCommit:
    """Bumps the tables a transaction wrote once it commits: one callback per transaction
    (a test counting what a service queued on commit leaves it out)."""

    def __init__(self):
        self.tables = set()

    def __call__(self):
        _bump(self.tables)


def _watch_sql(execute, sql, params, many, context):
    written = _WRITTEN_TABLE.match(sql)
    reads = _reading.get()
    if written is None:
        if reads is not None:
            reads.read(_READ_TABLES.findall(sql))  # their versions, before the rows
        return execute(sql, params, many, context)
    result = execute(sql, params, many, context)
    if reads is not None:
        reads.wrote = True
    if not written.group(1).startswith(_UNWATCHED_PREFIXES):
        _written(context["connection"], written.group(1))
    return result


def _written(connection, table: str) -> None:
    _bump([table])
    if not connection.in_atomic_block:
        return  # committed already
    callback = getattr(connection, "_page_cache_after_commit", None)
    # A rolled-back transaction or savepoint drops its callbacks: register a new one then.
    if callback is None or not any(entry[1] is callback for entry in connection.run_on_commit):
        callback = connection._page_cache_after_commit = VersionsAfterCommit()
        connection.on_commit(callback)
    callback.tables.add(table)


def watch_connection(sender, connection, **kwargs) -> None:
    if _watch_sql not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_sql)


def start_watching() -> None:
    """Watch every database connection this process opens (``PortalConfig.ready``)."""
    connection_created.connect(watch_connection, dispatch_uid="page_cache")
    if default_connection.connection is not None:  # opened before the apps were ready
        watch_connection(None, default_connection)


# --- the middleware ------------------------------------------------------------------------


def _cacheable_request(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES  # a message to show once
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.user.is_authenticated
    )


def _what_was_asked(request) -> tuple:
    """What an answer depends on in the request itself: the scheme and address, the path
    with its query, the language and ``Accept``."""
    return (
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        get_language() or "",
        request.META.get("HTTP_ACCEPT", ""),
    )


def _entry_key(request) -> str:
    what = "\n".join(_what_was_asked(request))
    return _PREFIX + "a:" + hashlib.sha256(what.encode()).hexdigest()


def _cacheable_response(request, response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(response, "page_cache_exempt", False)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.session.modified
        and not getattr(getattr(request, "_messages", None), "added_new", False)
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def _api_throttled(request) -> bool:
    """Whether the anonymous API rate limit refuses this request (then the view answers,
    with its 429). A request served from the cache counts like one the view answered."""
    from rest_framework.request import Request

    from .api.access import AnonAddressThrottle

    return not AnonAddressThrottle().allow_request(Request(request), None)


class PageCacheMiddleware:
    """The last middleware, right around the view: every other one still runs for an answer
    from the cache (security headers, the content language, the API request log)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PAGE_CACHE_SECONDS or not _cacheable_request(request):
            return self.get_response(request)
        key = _entry_key(request)
        kept = cache.get(key)
        if _fresh(kept) and not (request.path.startswith("/api/") and _api_throttled(request)):
            return _response_of(_served(kept))

        with collecting() as reads:
            response = self.get_response(request)
        if _cacheable_response(request, response):
            value = (response.status_code, list(response.items()), response.content)
            _keep(key, reads, value, settings.PAGE_CACHE_SECONDS)
        return response


# --- a signed-in person's pages ---------------------------------------------------------


def personal(view):
    """Keep a signed-in person's answer of this page, for them alone, until a table it was
    built from is written (as for visitors, at most ``PAGE_CACHE_SECONDS``): the lists and
    pages an officer opens again and again through the day. Put it inside the view's access
    decorators; every middleware (two-factor, idle sign-out) has run before it, and the
    view's own rules run whenever the answer is built.

    The answer is kept under everything it may depend on besides the tables it reads: the
    person's own row and roles as the request read them, whether they gave their two-factor
    code, the session and the CSRF secret (a kept form's token stays valid only with that
    secret), the day, the address, the language and ``Accept``. It is served only to a
    request with no message waiting to be shown, and kept only if building it wrote nothing,
    showed no message, changed neither session nor cookies and did not say ``no-store``."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _personal_request(request):
            return view(request, *args, **kwargs)
        key = _personal_key(request)
        kept = cache.get(key)
        if _fresh(kept):
            get_token(request)  # the CSRF cookie renewed, as for an answer built now
            return _response_of(_served(kept))
        with collecting() as reads:
            response = view(request, *args, **kwargs)
        if _personal_response(request, response):
            value = (response.status_code, list(response.items()), response.content)
            _keep(key, reads, value, settings.PAGE_CACHE_SECONDS)
        return response

    return wrapped


def _personal_request(request) -> bool:
    return (
        bool(settings.PAGE_CACHE_SECONDS)
        and versions_shared()  # a per-process cache would miss the worker's writes
        and request.method == "GET"
        and request.user.is_authenticated
        and CookieStorage.cookie_name not in request.COOKIES  # a message waiting
        and "_messages" not in request.session
        # The browser's CSRF secret, as sent: a kept form's token is valid with it alone.
        and request.COOKIES.get(settings.CSRF_COOKIE_NAME) is not None
        and request.COOKIES.get(settings.CSRF_COOKIE_NAME) == request.META.get("CSRF_COOKIE")
    )


def _personal_key(request) -> str:
    verified = getattr(request.user, "is_verified", None)
    return _caller_key(
        request,
        request.user,
        bool(verified and verified()),
        request.session.session_key,
        request.META.get("CSRF_COOKIE"),
    )


def who_is_asking(user) -> tuple:
    """What a person's answers depend on that the request read before the view (the
    middleware loads the user and their roles): every field of their row, their roles and,
    for another government system, its scopes (``ClientScopes`` loaded them)."""
    roles = sorted(getattr(user, "roles", ()))
    scopes = []
    if Role.API_CLIENT in roles:
        client = getattr(user, "api_client", None)  # as ClientScopes loaded it
        scopes = sorted(client.scopes or []) if client is not None else []
    fields = [getattr(user, field.attname) for field in user._meta.concrete_fields]
    return (fields, roles, scopes)


def _caller_key(request, user, *parts) -> str:
    """The cache key of ``request``'s answer for ``user``: ``who_is_asking``, ``parts``, the
    day, the scheme and address, the language and ``Accept``."""
    what = repr(
        (
            who_is_asking(user),
            *parts,
            timezone.localdate().isoformat(),
            *_what_was_asked(request),
        )
    )
    return _PREFIX + "p:" + hashlib.sha256(what.encode()).hexdigest()


def kept_for_caller(request, build):
    """``build()``, the data of an API list, kept for the authenticated caller of the DRF
    ``request`` alone, like ``personal``: authentication, the caller's scopes and the
    rate limit have been checked before (DRF's ``initial``), and are checked again on every
    request. Kept under the caller's row and roles, how they authenticated (a token or a
    session), the day, the address, the language and ``Accept``."""
    renderer = getattr(request, "accepted_renderer", None)
    if not (
        settings.PAGE_CACHE_SECONDS
        and versions_shared()
        and request.method == "GET"
        and request.user.is_authenticated
        # The browsable API's page draws its own controls from the list as built.
        and getattr(renderer, "format", "json") != "api"
    ):
        return build()
    how = type(request.successful_authenticator).__name__
    key = _caller_key(request, request.user, how)
    return remember(key, build, settings.PAGE_CACHE_SECONDS)


def _personal_response(request, response) -> bool:
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not getattr(response, "page_cache_exempt", False)
        and not request.session.modified
        and not getattr(messages, "added_new", False)
        and not getattr(messages, "used", False)
        and "no-store" not in response.get("Cache-Control", "")
    )


def _response_of(value) -> HttpResponse:
    status, headers, content = value
    response = HttpResponse(content, status=status)
    for header, header_value in headers:
        response[header] = header_value
    return response


class KeptListMixin:
    """A DRF viewset whose ``list`` answers are kept per caller (``kept_for_caller``):
    another system, or an officer's own tool, asks for the same list again and again.
    Authentication, scopes and the rate limit still run on every request, before the list
    is looked up."""

    def list(self, request, *args, **kwargs):
        from rest_framework.response import Response

        data = kept_for_caller(
            request, lambda: super(KeptListMixin, self).list(request, *args, **kwargs).data
        )
        return Response(data)
