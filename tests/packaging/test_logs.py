"""Log files in the data folder: rotating, and no secret ever written."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.logs import BACKUPS, MAX_BYTES, log_path, redact, setup_file_logging


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Bearer eyJhbGciOi.JIUzI1Ni.abc-123", "eyJhbGciOi"),
        ('{"access_token": "tok-123456", "expires_in": 900}', "tok-123456"),
        ("refresh_token=rt-abcdef&grant=refresh", "rt-abcdef"),
        ("login failed for password='hunter2!' from 10.0.0.1", "hunter2"),
        ("ORDERPAD_SECRET_KEY=s3cr3t-value", "s3cr3t-value"),
    ],
)
def test_redact_hides_secrets(text: str, secret: str) -> None:
    hidden = redact(text)
    assert secret not in hidden
    assert "<hidden>" in hidden


def test_redact_keeps_ordinary_text() -> None:
    text = "synced catalog:1 to 120 (3 pages) for buyer@example.com in 0.4 s"
    assert redact(text) == text


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    log = logging.getLogger("orderpad.test-packaging")
    log.propagate = False
    yield log
    for handler in list(log.handlers):
        handler.close()
        log.removeHandler(handler)
    log.propagate = True
    log.setLevel(logging.NOTSET)


def test_file_log_rotates_in_the_data_folder_and_hides_secrets(
    tmp_path: Path, logger: logging.Logger
) -> None:
    path = setup_file_logging(tmp_path, logger=logger)
    assert path == log_path(tmp_path) == tmp_path / "logs" / "orderpad.log"
    assert setup_file_logging(tmp_path, logger=logger) == path  # once per file
    handlers = [h for h in logger.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert len(handlers) == 1
    assert (handlers[0].maxBytes, handlers[0].backupCount) == (MAX_BYTES, BACKUPS)

    logger.info("pulled %d rows", 120)
    logger.warning("server said 401 to Authorization: Bearer %s", "abc.def.ghi")
    try:
        raise RuntimeError('refused {"refresh_token": "rt-XYZ-987"}')
    except RuntimeError:
        logger.exception("sync failed")
    for handler in logger.handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "pulled 120 rows" in text
    assert "sync failed" in text and "RuntimeError" in text
    assert "abc.def.ghi" not in text and "rt-XYZ-987" not in text


def test_unwritable_folder_gives_no_log_file(tmp_path: Path, logger: logging.Logger) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert setup_file_logging(a_file, logger=logger) is None
