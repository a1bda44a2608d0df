"""Per-token leaky bucket, reported in ``X-Shopify-Shop-Api-Call-Limit`` as Shopify does.

The bucket lives in each process: with several API processes a client gets each one's
allowance. That keeps a runaway script from starving the shop without a shared store.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field


@dataclass
class LeakyBucket:
    size: int = 40
    leak_per_second: float = 20.0
    _levels: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, key: str, now: float | None = None) -> tuple[bool, int, float]:
        """Try to add one call. Returns (allowed, calls in the bucket, seconds to wait if refused)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            level, since = self._levels.get(key, (0.0, now))
            level = max(0.0, level - (now - since) * self.leak_per_second)
            if level + 1 > self.size:
                self._levels[key] = (level, now)
                wait = (level + 1 - self.size) / self.leak_per_second
                return False, math.ceil(level), wait
            level += 1
            if len(self._levels) > 100_000:
                self._levels.clear()
            self._levels[key] = (level, now)
            return True, math.ceil(level), 0.0


# Generous next to Shopify's 40/2 for a standard shop: this is the merchant's own server.
DEFAULT = "80/40"


def parse(spec: str) -> LeakyBucket | None:
    """``"40/20"`` is a bucket of 40 calls leaking 20 per second; ``"off"`` disables limiting."""
    if spec.strip().lower() in ("off", "none", "0"):
        return None
    size, _, rate = spec.partition("/")
    return LeakyBucket(size=int(size), leak_per_second=float(rate or 2))
