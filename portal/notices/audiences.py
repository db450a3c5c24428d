"""Whom a deadline notice goes to, named rather than read: ``People(members_of_csos, 7)``
stands for the members of organisation 7. The sweep reads the people of a whole batch of
notices with one call of each reader (``people_of``); read notice by notice, the members and
officers cost a query each, 39,000 of them in one sweep at national size."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model


@dataclass(frozen=True)
class People:
    """The people ``read_many({key, ...})[key]`` gives. ``read_many`` takes a set of keys and
    answers ``{key: [user, ...]}`` (a key with no one may be left out)."""

    read_many: Callable[[set], dict]
    key: object


def active_with_role(role: str, field: str, keys) -> dict:
    """The active users with ``role`` whose ``field`` (``cso_id``, ``agency_id``) is one of
    ``keys``, by that key, read in one query: a ``People`` reader."""
    found = defaultdict(list)
    users = get_user_model().objects.filter(
        **{f"{field}__in": keys}, is_active=True, role_rows__role=role
    )
    for user in users.order_by("pk"):
        found[getattr(user, field)].append(user)
    return found


def people_of(recipient_lists: Iterable[Iterable]) -> list[list]:
    """Each list of recipients (users, ``People`` or both) as a list of users: the
    ``People`` of all the lists read together, one call per reader."""
    lists = [list(recipients) for recipients in recipient_lists]
    wanted: dict[Callable, set] = {}
    for recipients in lists:
        for entry in recipients:
            if isinstance(entry, People):
                wanted.setdefault(entry.read_many, set()).add(entry.key)
    found = {reader: reader(keys) for reader, keys in wanted.items()}
    resolved = []
    for recipients in lists:
        users = []
        for entry in recipients:
            if isinstance(entry, People):
                users.extend(found[entry.read_many].get(entry.key, ()))
            else:
                users.append(entry)
        resolved.append(users)
    return resolved
