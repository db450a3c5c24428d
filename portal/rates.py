"""Per-account allowances for things people do often (contributions, reactions, reports):
a counter per account, action and window in the cache, as the API's throttles keep theirs."""

import time

from django.core.cache import cache
from django.utils.translation import gettext as _

PERIODS = {"minute": 60, "hour": 3600, "day": 86400}


class RateLimited(Exception):
    """Too many of one action by one account in the window (API: 429 with Retry-After)."""

    def __init__(self, message, wait: int):
        super().__init__(message)
        self.message = message
        self.wait = wait


def parse_rate(rate: str) -> tuple[int, int]:
    count, _sep, period = rate.partition("/")
    return int(count), PERIODS[period]


def spend(*, what: str, who, rate: str, now: float | None = None) -> None:
    """Count one ``what`` (say "react") by ``who`` (an account) against ``rate`` ("20/hour"),
    or refuse with ``RateLimited`` when the allowance is used up (nothing is counted then)."""
    now = time.time() if now is None else now
    allowed, period = parse_rate(rate)
    key = f"rate:{what}:{who.pk}:{int(now // period)}"
    if cache.get(key, 0) >= allowed:
        minutes = max(1, int((period - now % period) // 60) + 1)
        raise RateLimited(
            _("You have done this too often just now. Please try again in %(minutes)s minutes.")
            % {"minutes": minutes},
            int(period - now % period) + 1,
        )
    if not cache.add(key, 1, period + 5):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, period + 5)
