"""How numbers, money and times read on screen (one place, so every table agrees)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QCoreApplication

# The data areas the status bar and the sync centre name (translated where shown).
AREA_NAMES = {"catalog": "Catalog", "prices": "Prices", "stock": "Stock", "orders": "Orders"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("fmt", text)


def qty(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text


def money(value: Decimal | None, currency: str | None = None) -> str:
    if value is None:
        return "—"
    text = f"{value.quantize(Decimal('0.01')):,.2f}"
    return f"{text} {currency}" if currency else text


def unit_price(value: Decimal | None) -> str:
    """Unit prices keep up to 4 decimals (0.1950), at least 2."""
    if value is None:
        return "—"
    q = value.quantize(Decimal("0.0001")).normalize()
    exponent = q.as_tuple().exponent
    places = max(2, -exponent if isinstance(exponent, int) else 2)
    return f"{value:,.{places}f}"


def parse_time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def ago(when: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """ "just now", "5 min ago", "3 h ago", "2 days ago", or "never"."""
    if when is None:
        return _tr("never")
    seconds = ((now or dt.datetime.now(dt.UTC)) - when).total_seconds()
    if seconds < 60:
        return _tr("just now")
    if seconds < 3600:
        return _tr("{0} min ago").format(int(seconds // 60))
    if seconds < 86400 * 2:
        return _tr("{0} h ago").format(int(seconds // 3600))
    return _tr("{0} days ago").format(int(seconds // 86400))


def local_time(text: str | None) -> str:
    """An ISO time from the server as local "2026-11-20 14:59"; a date stays a date."""
    when = parse_time(text)
    if when is None:
        return text or ""
    if text and len(text) == 10:
        return text
    local = when.astimezone()
    if when.time() == dt.time(0) and when.utcoffset() == dt.timedelta(0):
        return when.strftime("%Y-%m-%d")  # a stock snapshot of a day, not a moment
    return local.strftime("%Y-%m-%d %H:%M")
