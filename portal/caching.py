"""Public pages' costly parts, kept in the cache until what they show changes.

Each *area* (``participation``: consultations, polls, meetings, FAQs) has a generation number
in the cache. Any write to the area's rows bumps it, and again when its transaction commits (model
signals, and :func:`changed` where a service updates rows in bulk), so every value cached
under the previous generation is never read again and expires on its own. Readers build a
value at most once per generation and ``timeout``: ``memo(area, key_parts, build)``.

The cache is shared by the web workers (Redis in production), so one worker's write is
seen by every worker's next read."""

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

_MISSING = object()


def _key(area: str) -> str:
    return f"generation:{area}"


def generation(area: str) -> int:
    return cache.get_or_set(_key(area), 1, timeout=None)


def _bump(area: str) -> None:
    try:
        cache.incr(_key(area))
    except ValueError:  # no number yet (a cleared cache): start one past the default
        cache.set(_key(area), 2, timeout=None)


def changed(area: str) -> None:
    """What ``area`` shows has changed: bump now (this request's own next read is fresh) and
    again once the transaction commits (a reader between the two may have cached the rows as
    they were before the commit, under the first new number)."""
    _bump(area)
    transaction.on_commit(lambda: _bump(area))


def memo(area: str, parts: Iterable, build: Callable, *, timeout: int = 600):
    """``build()``, cached per generation of ``area``, the active language and ``parts``."""
    digest = hashlib.sha256(repr((get_language(), *parts)).encode()).hexdigest()[:32]
    key = f"memo:{area}:{generation(area)}:{digest}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, timeout)
    return value


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


def watch(area: str, *models) -> None:
    """Bump ``area`` whenever one of ``models`` (or a many-to-many table) is written."""

    def on_write(sender, **kwargs):
        changed(area)

    for model in models:
        uid = f"caching:{area}:{model._meta.label}"
        post_save.connect(on_write, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(on_write, sender=model, weak=False, dispatch_uid=uid + ":delete")
        m2m_changed.connect(on_write, sender=model, weak=False, dispatch_uid=uid + ":m2m")
