"""One pusher per device: an exclusive, non-blocking OS file lock on the data directory.

The OS releases the lock when the process dies, so a crash never leaves the queue wedged.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import TracebackType


class PushLock:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "push.lock"
        self._fd: int | None = None

    def acquire(self) -> bool:
        """True if this process now holds the lock; False if another one does."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if sys.platform == "win32":
                import msvcrt

                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(self._fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
