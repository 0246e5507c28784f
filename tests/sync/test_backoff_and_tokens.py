"""Retry timing and where the session's tokens are kept."""

from __future__ import annotations

import random
import stat
from pathlib import Path

from app.sync.backoff import Backoff
from app.sync.tokens import Tokens, TokenStore


def test_backoff_grows_is_capped_jittered_and_resets() -> None:
    backoff = Backoff(base_s=2, cap_s=60, rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(12)]
    ceilings = [min(60, 2 * 2**n) for n in range(1, 13)]
    assert all(0 <= d <= c for d, c in zip(delays, ceilings, strict=True))
    assert max(delays[6:]) > max(delays[:2])  # later waits can be much longer
    assert len(set(delays)) == len(delays)  # jitter: no two clients retry in lockstep
    backoff.reset()
    assert backoff.next_delay() <= 4


def test_without_a_keyring_tokens_go_to_a_private_file(tmp_path: Path) -> None:
    # The test environment selects keyring's null backend, as on a headless Linux.
    store = TokenStore(tmp_path, "http://x|a@b.example")
    assert "0600" in store.where
    store.save(Tokens("access-secret", "refresh-secret"))
    assert stat.S_IMODE(store.file.stat().st_mode) == 0o600
    assert store.load() == Tokens("access-secret", "refresh-secret")
    assert "secret" not in repr(store.load())
    store.clear()
    assert store.load() is None and not store.file.exists()
