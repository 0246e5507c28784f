"""Bucket checksums shared by server and client: order-independent, over (entity, key, position)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def row_hash(entity: str, key: str, position: int) -> int:
    """64-bit hash of one live row of a bucket."""
    digest = hashlib.sha256(f"{entity}\x1f{key}\x1f{position}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def fold(hashes: Iterable[int]) -> str:
    """XOR of row hashes as 16 hex digits; the same set gives the same value in any order."""
    acc = 0
    for h in hashes:
        acc ^= h
    return f"{acc:016x}"
