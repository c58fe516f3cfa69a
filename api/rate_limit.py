"""Token buckets per API key and per client address: a steady rate with room for a burst, refusals with the
seconds to wait. In memory, per process: with several workers each one counts its own share."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

_PRUNE_ABOVE = 10_000  # buckets kept before idle, full ones are dropped


class RateLimiter:
    """Allows `per_minute` requests a minute per name, in bursts of up to `per_minute`; 0 disables it."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # name -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, name: str) -> float:
        """Spend one request for `name`: 0.0 if allowed, else the seconds until one is allowed."""
        if self.per_minute <= 0:
            return 0.0
        rate = self.per_minute / 60.0
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.get(name, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - at) * rate)
            if tokens < 1.0:
                self._buckets[name] = (tokens, now)
                return (1.0 - tokens) / rate
            self._buckets[name] = (tokens - 1.0, now)
            if len(self._buckets) > _PRUNE_ABOVE:
                self._prune(now, rate)
            return 0.0

    def _prune(self, now: float, rate: float) -> None:
        full = [n for n, (t, at) in self._buckets.items() if t + (now - at) * rate >= self.per_minute]
        for name in full:
            del self._buckets[name]


def retry_after(seconds: float) -> str:
    """A Retry-After header value: whole seconds, at least 1."""
    return str(max(1, math.ceil(seconds)))
