"""Retry timing: exponential backoff with full jitter, reset by success or reconnect."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    base_s: float = 2.0
    cap_s: float = 300.0
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def next_delay(self) -> float:
        """Seconds to wait after one more failure (0 .. min(cap, base * 2^n))."""
        self.failures += 1
        ceiling = min(self.cap_s, self.base_s * 2 ** min(self.failures, 20))
        return self.rng.uniform(0, ceiling)

    def reset(self) -> None:
        self.failures = 0
