"""Pausing the cyclic garbage collector while a big file is read and checked.

A 5,000-row import allocates a few hundred thousand small objects that all stay alive until
the report is built; each allocation burst triggers collections that walk every live object
again, which cost a third of the import. Nothing in an import creates garbage cycles worth
collecting early, so collection waits until the import is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable automatic garbage collection inside the block. Nestable; not a lock: with
    two imports at once, the first to finish turns collection back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
