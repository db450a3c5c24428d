"""Ids from URLs, query strings and forms: a positive whole number that fits the database's
integer column, or nothing. ``?agency=abc``, ``-1``, ``%00`` or 99999999999 never reach a query
(where the last would be a 500 on PostgreSQL)."""

from django.http import Http404

LARGEST = 2**31 - 1


def id_or_none(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= LARGEST else None


def id_or_404(value) -> int:
    number = id_or_none(value)
    if number is None:
        raise Http404
    return number
