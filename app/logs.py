"""Log files of the desktop app: ``<data dir>/logs/orderpad.log``, rotated at 1 MB, five kept.

`setup_file_logging(data_dir)` is called for the window (``orderpad``, ``orderpad demo``), not
for the command line, which prints. Every record passes `redact` first, so a bearer token, a
refresh token or a password that ends up in a message (an httpx error quoting a request, a
server answer) is written as ``<hidden>``.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_DIR = "logs"
LOG_FILE = "orderpad.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s]: %(message)s"

_SECRET_PATTERNS = (
    # "access_token": "…", refresh_token=…, password: …, Authorization: Bearer …
    re.compile(
        r"(?i)(\b[\w-]*(?:token|password|passwd|secret|api[_-]?key|authorization)[\w-]*"
        r"[\"']?\s*[:=]\s*[\"']?(?:bearer\s+|basic\s+)?)[^\s\"',;&}]+"
    ),
    # a bearer token anywhere else
    re.compile(r"(?i)(\bbearer\s+)(?!<hidden>)[A-Za-z0-9._~+/=-]+"),
)


def redact(text: str) -> str:
    """``text`` with tokens, passwords and keys replaced by ``<hidden>``."""
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1<hidden>", text)
    return text


class RedactingFilter(logging.Filter):
    """Replaces a record's message (arguments merged in) and exception text by their
    redacted versions before any handler formats them."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the raw text
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def log_path(data_dir: Path) -> Path:
    return data_dir / LOG_DIR / LOG_FILE


def setup_file_logging(
    data_dir: Path, *, verbose: bool = False, logger: logging.Logger | None = None
) -> Path | None:
    """Add a rotating file handler (INFO, or DEBUG with ``verbose``) to ``logger`` (default:
    the root logger); returns the log file, or None when the folder cannot be written (the
    app still runs without one)."""
    path = log_path(data_dir)
    root = logger or logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and Path(
            handler.baseFilename
        ) == path.resolve(strict=False):
            return path  # already set up (a second window in the same process)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
    except OSError as exc:
        logging.getLogger("orderpad").warning("no log file in %s: %s", path.parent, exc)
        return None
    handler.setLevel(logging.DEBUG if verbose else logging.INFO)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    # The console keeps its level (WARNING unless -v); the root lets INFO through to the file.
    level = root.getEffectiveLevel()
    for other in root.handlers:
        if other is not handler and other.level == logging.NOTSET:
            other.setLevel(level)
    root.setLevel(min(level, handler.level))
    # Libraries that log every request at INFO would fill the file with URLs and noise.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    logging.getLogger("orderpad").info("log file %s", path)
    return path
