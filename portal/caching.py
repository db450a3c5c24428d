"""Public pages' costly parts, kept in the cache until the rows they were built from change.

``memo(area, key_parts, build)`` builds a value at most once while none of the tables its
queries read is written (the table versions of :mod:`portal.page_cache`, moved by every write
through Django's connections, bulk updates included) and at most ``timeout`` seconds. A page
that shows a value from here depends on those tables too, so its whole answer, when cached,
follows them.

The cache is shared by the web workers (Redis in production), so one worker's write is
seen by every worker's next read."""

import hashlib
from collections.abc import Callable, Iterable

from django.core.paginator import Page, Paginator
from django.utils.translation import get_language

from . import page_cache


def memo(area: str, parts: Iterable, build: Callable, *, timeout: int = 600):
    """``build()``, cached per ``area``, the active language and ``parts``."""
    digest = hashlib.sha256(repr((get_language(), *parts)).encode()).hexdigest()[:32]
    return page_cache.remember(f"memo:{area}:{digest}", build, timeout)


def cached_page(area: str, parts: Iterable, queryset, per_page: int, number, *, timeout=60):
    """``Paginator(queryset, per_page).get_page(number)`` whose count and rows come from the
    cache: a repeated visit to a public list costs no query."""
    paginator = Paginator(queryset, per_page)

    def build():
        page = paginator.get_page(number)
        return paginator.count, page.number, list(page.object_list)

    count, page_number, rows = memo(area, (*parts, per_page, str(number)), build, timeout=timeout)
    paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    return Page(rows, page_number, paginator)


def shared(area: str, parts: Iterable, build: Callable, *, timeout: int = 600):
    """``memo``, only where every process sees the same table versions
    (``page_cache.versions_shared()``: Redis). With a cache of its own, a process would not
    see the worker's writes, and ``build()`` runs each time."""
    if not page_cache.versions_shared():
        return build()
    return memo(area, parts, build, timeout=timeout)


def personal(area: str, user, parts: Iterable, build: Callable, *, timeout: int = 60):
    """``build()`` for the signed-in ``user`` alone, kept like ``shared``: their lists on a
    page they open again and again. The key holds what the request read of them before the
    view (``page_cache.who_is_asking``: their whole row, roles and scopes), so a change to
    any of it (a role, an agency, the complaints officer's flag) is a new key."""
    who = page_cache.who_is_asking(user)
    return shared(f"personal:{area}", (who, *parts), build, timeout=timeout)
