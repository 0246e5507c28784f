"""Demo data: `seed_demo(engine, skus=..., seed=...)` fills a fresh database deterministically."""

from __future__ import annotations

from server.seed.demo import DemoUser, SeedError, SeedReport, seed_demo

__all__ = ["DemoUser", "SeedError", "SeedReport", "seed_demo"]
