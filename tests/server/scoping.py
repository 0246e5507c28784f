"""A registry of the endpoints that have an account-scoping test (see test_api_scoping.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])
SCOPED: set[tuple[str, str]] = set()


def scoped(method: str, path: str) -> Callable[[F], F]:
    """Mark a test as the proof that `method path` cannot reach another account's data."""
    SCOPED.add((method, path))
    return lambda fn: fn
