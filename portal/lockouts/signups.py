"""Accounts made per address: a script must not make accounts by the hundred through the
web form or the API."""

import math
import time

from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle


class SignUpLimit:
    """Accounts made per address (``register`` rate), counted together for the web form and
    the API. Only accounts actually made count: a person who mistypes the form ten times is
    not held back, a script making accounts by the hundred is."""

    def __init__(self, request):
        self.key = f"sign-ups:{BaseThrottle().get_ident(request)}"
        rate = (api_settings.DEFAULT_THROTTLE_RATES or {}).get("register")
        self.num, self.duration = SimpleRateThrottle.parse_rate(None, rate)
        self.now = time.time()

    def _history(self) -> list[float]:
        return [t for t in cache.get(self.key, []) if t > self.now - (self.duration or 0)]

    def wait(self) -> int:
        """Seconds before this address may make another account; 0 when it may now."""
        if self.num is None:
            return 0
        history = self._history()
        if len(history) < self.num:
            return 0
        return max(1, math.ceil(history[0] + self.duration - self.now))

    def record(self) -> None:
        if self.num is not None:
            cache.set(self.key, [*self._history(), self.now], self.duration)
