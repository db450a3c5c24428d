"""The work queues of "what needs you": each app's nouns register theirs in a ``queues.py``
(found at start-up, like ``notices.py``), since portal reads no app's data itself. A queue
belongs to one or more roles; the home page shows a person the queues of their roles."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Window
from django.utils import timezone

from portal.roles import has_role

SHOWN = 10  # items shown per queue; "see all" leads to the filtered list


@dataclass(frozen=True)
class Item:
    """One thing waiting: what it is, where it is acted on, and since when or by when."""

    text: str
    url: str
    date: datetime.date | datetime.datetime | None = None  # shown as its day in Bangkok
    overdue: bool = False
    note: str = ""


@dataclass(frozen=True)
class Queue:
    key: str
    title: str
    date_label: str  # what the item's date means: "waiting since", "due on"…
    items: list[Item]
    count: int
    see_all: str = ""


@dataclass(frozen=True)
class _Registered:
    key: str
    roles: tuple[str, ...]
    order: int
    read: Callable = field(compare=False)


_queues: dict[str, _Registered] = {}


def register_queue(key: str, *roles: str, order: int = 100):
    """Register ``read(user, today) -> Queue | None`` as the queue ``key`` of ``roles``
    (None: the queue does not apply to this person, e.g. an officer without an agency)."""

    def decorate(read):
        _queues[key] = _Registered(key, tuple(roles), order, read)
        return read

    return decorate


def queues_for(user, *, today: datetime.date | None = None) -> list[Queue]:
    """The queues of every role ``user`` holds, each asked once, in their order."""
    today = today or timezone.localdate()
    wanted = sorted(
        (q for q in _queues.values() if any(has_role(user, role) for role in q.roles)),
        key=lambda q: (q.order, q.key),
    )
    return [queue for q in wanted if (queue := q.read(user, today)) is not None]


def first_rows(qs, limit: int = SHOWN) -> tuple[list, int]:
    """The first ``limit`` rows of ``qs`` (already ordered, oldest first) and how many rows it
    has in all, in one query: every row carries the total as a window count."""
    rows = list(qs.annotate(queue_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].queue_total if rows else 0)
