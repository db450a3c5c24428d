"""Floods of anonymous ratings are refused, per address and per agreement, with counters in
the cache (as the API's throttles keep theirs). The address is never stored nor logged: the
counter's key holds a salted hash of it, which changes with the window and the secret key."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from portal.rates import parse_rate


class Flooded(Exception):
    """Too many answers from one address or for one agreement (API: 429)."""

    def __init__(self, message, wait: int):
        super().__init__(message)
        self.message = message
        self.wait = wait


def _rate(setting: str, default: str) -> tuple[int, int]:
    return parse_rate(str(getattr(settings, setting, default)))


def client_address(request) -> str:
    """The caller's address as the API's throttles read it (NUM_PROXIES), for the counters
    only: it is hashed below and never stored."""
    from rest_framework.throttling import BaseThrottle

    return BaseThrottle().get_ident(request) or ""


def address_key(address: str) -> str:
    """The address as the counters know it: a salted hash, never the address."""
    return salted_hmac("feedback-flood", address or "unknown").hexdigest()[:32]


def _counters(address: str, agreement_id: int, now: float):
    for setting, default, ident, message in [
        (
            "FEEDBACK_LIMIT_PER_ADDRESS",
            "10/hour",
            "a:" + address_key(address),
            _("Too many answers came from your connection. Please try again later."),
        ),
        (
            "FEEDBACK_LIMIT_PER_AGREEMENT",
            "300/hour",
            f"g:{agreement_id}",
            _("This service has received too many answers just now. Please try again later."),
        ),
    ]:
        allowed, period = _rate(setting, default)
        window = int(now // period)
        key = f"feedback-flood:{ident}:{window}"
        yield key, allowed, period, int(period - now % period) + 1, message


def check_flood(*, address: str, agreement_id: int, now: float | None = None) -> None:
    """Refuse (``Flooded``) when the address or the agreement has used its allowance."""
    now = time.time() if now is None else now
    for key, allowed, _period, wait, message in _counters(address, agreement_id, now):
        if cache.get(key, 0) >= allowed:
            raise Flooded(message, wait)


def count_answer(*, address: str, agreement_id: int, now: float | None = None) -> None:
    """Count one stored answer against both allowances."""
    now = time.time() if now is None else now
    for key, _allowed, period, _wait, _message in _counters(address, agreement_id, now):
        if not cache.add(key, 1, period + 5):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, period + 5)
