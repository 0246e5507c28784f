"""GS1 element strings from GS1-128 / DataMatrix / QR scans: GTIN, batch, expiry, count.

Accepts the raw form a scanner sends ("]C1" + "0109506000134352" + "10ABC" + GS + "3712")
and the printed form "(01)09506000134352(10)ABC". Only the AIs ordering needs are known;
anything else raises ``Gs1Error`` rather than being guessed at.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from app.domain.gtin import InvalidGtin, gtin_check_digit, normalize_gtin

GS = "\x1d"

# Symbology identifiers of the GS1 carriers: GS1-128, DataMatrix, QR, DataBar, DotCode.
_SYMBOLOGY_IDS = ("]C1", "]d2", "]Q3", "]e0", "]J1")
# GS1 "AI encodable character set 82": the characters allowed in batch and serial values.
_CSET82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
_HUMAN_ELEMENT = re.compile(r"\((\d{2,4})\)([^()]*)")


@dataclass(frozen=True, slots=True)
class _Ai:
    name: str
    length: int  # exact length when fixed, else the maximum
    fixed: bool
    kind: str  # "gtin", "sscc", "date", "text", "count"


_AIS: dict[str, _Ai] = {
    "00": _Ai("SSCC", 18, True, "sscc"),
    "01": _Ai("GTIN", 14, True, "gtin"),
    "02": _Ai("content GTIN", 14, True, "gtin"),
    "10": _Ai("batch", 20, False, "text"),
    "11": _Ai("production date", 6, True, "date"),
    "15": _Ai("best before date", 6, True, "date"),
    "17": _Ai("expiry date", 6, True, "date"),
    "21": _Ai("serial", 20, False, "text"),
    "30": _Ai("count", 8, False, "count"),
    "37": _Ai("count of trade items", 8, False, "count"),
}


class Gs1Error(ValueError):
    """Raised for data that is not a GS1 element string we understand; says what and where."""


@dataclass(frozen=True, slots=True)
class Gs1Data:
    """The fields of one scan; ``elements`` keeps every (AI, value) pair in scan order.

    ``count`` comes from AI 37, else AI 30. Dates are 20YY (GS1 dates before 2000 do
    not occur in ordering) and day 00 means the last day of the month.
    """

    gtin: str | None = None
    content_gtin: str | None = None
    batch: str | None = None
    serial: str | None = None
    expiry: date | None = None
    count: int | None = None
    sscc: str | None = None
    production_date: date | None = None
    best_before: date | None = None
    elements: tuple[tuple[str, str], ...] = ()


def looks_like_gs1(data: str) -> bool:
    """Return True if ``data`` carries GS1 markers (symbology id, GS, "(01)" …).

    A bare EAN/UPC is not GS1; a long digit run starting with a known AI is. This is a
    cheap guess to pick a parser: ``parse_gs1`` may still raise.
    """
    text = data.strip()
    if text.startswith(_SYMBOLOGY_IDS) or GS in text:
        return True
    if _HUMAN_ELEMENT.match(text):
        return True
    return text.isascii() and text.isdigit() and len(text) > 14 and text[:2] in _AIS


def parse_gs1(data: str) -> Gs1Data:
    """Parse a raw or printed GS1 element string; raises Gs1Error with the AI and position.

    GTINs in AI 01/02 and the SSCC in AI 00 must have correct check digits; a repeated
    AI with a different value is refused.
    """
    text = data.strip()
    pairs = _split_human(text) if text.startswith("(") else _split_raw(text)
    if not pairs:
        raise Gs1Error("no GS1 elements found")
    return _collect(pairs)


def _split_human(text: str) -> list[tuple[str, str, int]]:
    pairs: list[tuple[str, str, int]] = []
    position = 0
    for match in _HUMAN_ELEMENT.finditer(text):
        if match.start() != position:
            raise Gs1Error(f"unexpected text {text[position : match.start()]!r} at {position}")
        ai, value = match.group(1), match.group(2).strip()
        spec = _lookup(ai, match.start())
        if spec.fixed and len(value) != spec.length:
            raise Gs1Error(
                f"AI {ai} ({spec.name}) at position {match.start()} needs {spec.length} "
                f"characters, got {len(value)}"
            )
        pairs.append((ai, value, match.start()))
        position = match.end()
    if position != len(text):
        raise Gs1Error(f"unexpected text {text[position:]!r} at {position}")
    return pairs


def _split_raw(text: str) -> list[tuple[str, str, int]]:
    if text.startswith("]"):
        if not text.startswith(_SYMBOLOGY_IDS):
            raise Gs1Error(f"symbology identifier {text[:3]!r} does not carry GS1 data")
        text = text[3:]
    pairs: list[tuple[str, str, int]] = []
    position = 0
    while position < len(text):
        if text[position] == GS:  # leading FNC1, or a separator after a fixed-length AI
            position += 1
            continue
        ai = text[position : position + 2]
        spec = _lookup(ai, position)
        start = position + 2
        if spec.fixed:
            end = start + spec.length
            if end > len(text):
                raise Gs1Error(
                    f"AI {ai} ({spec.name}) at position {position} needs {spec.length} "
                    f"characters, got {len(text) - start}"
                )
            value, position = text[start:end], end
        else:
            separator = text.find(GS, start)
            end = len(text) if separator < 0 else separator
            value, position = text[start:end], end
        pairs.append((ai, value, start - 2))
    return pairs


def _lookup(ai: str, position: int) -> _Ai:
    spec = _AIS.get(ai)
    if spec is None:
        raise Gs1Error(f"unknown AI {ai!r} at position {position}")
    return spec


def _collect(pairs: list[tuple[str, str, int]]) -> Gs1Data:
    fields: dict[str, object] = {}
    seen: dict[str, str] = {}
    for ai, value, position in pairs:
        if ai in seen:
            if seen[ai] != value:
                raise Gs1Error(f"AI {ai} appears twice with different values at {position}")
            continue
        seen[ai] = value
        fields[ai] = _convert(ai, value, position)
    count = fields.get("37", fields.get("30"))
    return Gs1Data(
        gtin=_text(fields.get("01")),
        content_gtin=_text(fields.get("02")),
        batch=_text(fields.get("10")),
        serial=_text(fields.get("21")),
        expiry=_date(fields.get("17")),
        count=count if isinstance(count, int) else None,
        sscc=_text(fields.get("00")),
        production_date=_date(fields.get("11")),
        best_before=_date(fields.get("15")),
        elements=tuple((ai, value) for ai, value, _ in pairs),
    )


def _convert(ai: str, value: str, position: int) -> str | date | int:
    spec = _AIS[ai]
    where = f"AI {ai} ({spec.name}) at position {position}"
    if not value:
        raise Gs1Error(f"{where} is empty")
    if len(value) > spec.length:
        raise Gs1Error(f"{where} is {len(value)} characters; at most {spec.length} allowed")
    if spec.kind == "text":
        bad = next((char for char in value if char not in _CSET82), None)
        if bad is not None:
            raise Gs1Error(f"{where} contains the character {bad!r}")
        return value
    if not (value.isascii() and value.isdigit()):
        raise Gs1Error(f"{where} must be digits, got {value!r}")
    if spec.kind == "gtin":
        try:
            return normalize_gtin(value)
        except InvalidGtin as exc:
            raise Gs1Error(f"{where}: {exc}") from None
    if spec.kind == "sscc":
        expected = gtin_check_digit(value[:-1])
        if int(value[-1]) != expected:
            raise Gs1Error(f"{where}: check digit should be {expected}, not {value[-1]}")
        return value
    if spec.kind == "date":
        return _parse_date(value, where)
    return int(value)


def _parse_date(value: str, where: str) -> date:
    year, month, day = 2000 + int(value[0:2]), int(value[2:4]), int(value[4:6])
    if not 1 <= month <= 12:
        raise Gs1Error(f"{where}: month {month:02d} does not exist")
    if day == 0:
        day = calendar.monthrange(year, month)[1]
    try:
        return date(year, month, day)
    except ValueError:
        raise Gs1Error(f"{where}: {value} is not a calendar date") from None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _date(value: object) -> date | None:
    return value if isinstance(value, date) else None
