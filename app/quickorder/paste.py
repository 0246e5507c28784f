"""Pasted text to ``LineInput``s: one item per line, ``SKU qty [unit] [note]``.

Fields are separated by tabs, semicolons, commas or spaces; ``.`` or ``,`` is the decimal
mark ("FAS-1,1,5" is 1.5 of FAS-1). A bare SKU orders one. "10 x FAS-1", "10x FAS-1" and
"FAS-1 x 10" are understood. A table copied from Excel with its header row is read by the
header, like a spreadsheet. Row numbers are line numbers in the pasted text.
"""

from __future__ import annotations

import re
from decimal import Decimal

from app.quickorder.detect import detect_columns
from app.quickorder.lines import ITEM_FIELDS, LineInput
from app.quickorder.numbers import BadNumber, parse_number
from app.quickorder.sheet_lines import table_lines
from app.quickorder.table import Cell, TableRow

_TIMES = frozenset({"x", "X", "×", "*"})
_QTY_TIMES = re.compile(r"(\d+(?:[.,]\d+)?)[xX×*]")
_UNIT_LIKE = re.compile(r"[^\W\d_][^\W\d_.]{0,11}\.?")
_QUOTES = "\"'“”„«»"


def parse_paste(text: str) -> list[LineInput]:
    """Every non-blank line of ``text`` as one LineInput (blank lines are not input)."""
    numbered = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not numbered:
        return []
    table = _as_table(numbered)
    if table is not None:
        return table
    return [parse_line(number, line) for number, line in numbered]


def _as_table(numbered: list[tuple[int, str]]) -> list[LineInput] | None:
    """The Excel copy of a table with a header row, or None if the first line is no header."""
    first = numbered[0][1]
    separator = "\t" if "\t" in first else ";" if ";" in first else None
    if separator is None:
        return None
    rows = [
        TableRow(number, tuple(Cell(part.strip().strip(_QUOTES)) for part in line.split(separator)))
        for number, line in numbered
    ]
    detection = detect_columns(rows[:1])
    mapping = detection.mapping
    if mapping is None or mapping.header_row != rows[0].number:
        return None
    if not any(field in mapping.columns for field in ITEM_FIELDS):
        return None
    lines = list(table_lines(rows, mapping))
    # The source of a pasted row is the line as typed, not cell references.
    by_number = dict(numbered)
    return [_with_source(line, by_number[line.row]) for line in lines]


def _with_source(line: LineInput, text: str) -> LineInput:
    return LineInput(
        row=line.row, source=text.rstrip("\r\n"), sku=line.sku, part_number=line.part_number,
        barcode=line.barcode, quantity=line.quantity, unit=line.unit, note=line.note,
        columns=line.columns, problems=line.problems,
    )  # fmt: skip


def parse_line(number: int, line: str) -> LineInput:
    """One pasted line; never raises (a quantity that is no number stays text for the report)."""
    tokens = _tokens(line)
    sku, quantity, unit, note = _interpret(tokens)
    return LineInput(
        row=number,
        source=line.rstrip("\r\n"),
        sku=sku,
        quantity=quantity,
        unit=unit,
        note=note,
    )


def _tokens(line: str) -> list[str]:
    text = line.strip()
    for separator in ("\t", ";"):
        if separator in text:
            parts = [part.strip().strip(_QUOTES).strip() for part in text.split(separator)]
            return [part for part in parts if part]
    words = [word.strip(_QUOTES).rstrip(",").strip(_QUOTES) for word in text.split()]
    words = [word for word in words if word]
    if words and "," in words[0]:
        words = [*_split_commas(words[0]), *words[1:]]
    return words


def _split_commas(token: str) -> list[str]:
    """ "FAS-1,12,EA" -> [FAS-1, 12, EA]; "FAS-1,1,5" -> [FAS-1, 1,5] (a decimal comma)."""
    parts = [part.strip() for part in token.split(",")]
    out = [parts[0]]
    rest = parts[1:]
    if len(rest) >= 2 and rest[0].isdigit() and rest[1].isdigit():
        out.append(f"{rest[0]},{rest[1]}")
        rest = rest[2:]
    out.extend(rest)
    return [part for part in out if part]


def _is_number(token: str) -> bool:
    try:
        parse_number(token)
    except BadNumber:
        return False
    return True


def _interpret(
    tokens: list[str],
) -> tuple[str | None, Decimal | str | None, str | None, str | None]:
    """(sku, quantity, unit, note) from the tokens of one line."""
    if not tokens:
        return None, None, None, None
    # "10 x FAS-1", "10x FAS-1": a quantity first, only when a non-number follows.
    quantity_first = len(tokens) >= 3 and tokens[1] in _TIMES and _is_number(tokens[0])
    if quantity_first and not _is_number(tokens[2]):
        return _finish(tokens[2], tokens[0], tokens[3:])
    leading = _QTY_TIMES.fullmatch(tokens[0])
    if leading and len(tokens) >= 2 and not _is_number(tokens[1]):
        return _finish(tokens[1], leading.group(1), tokens[2:])
    sku, rest = tokens[0], tokens[1:]
    if rest and rest[0] in _TIMES:
        rest = rest[1:]
    if not rest:
        return sku, Decimal(1), None, None
    at = next((i for i, token in enumerate(rest) if _is_number(token)), None)
    if at is None:
        if len(rest) == 1 and _UNIT_LIKE.fullmatch(rest[0]):
            return sku, Decimal(1), rest[0], None  # "FAS-1 box"
        if any(char.isdigit() for char in rest[0]):
            return sku, rest[0], None, " ".join(rest[1:]) or None  # an unreadable quantity
        return sku, Decimal(1), None, " ".join(rest)
    before, quantity, after = rest[:at], rest[at], rest[at + 1 :]
    sku_text, qty, unit, note = _finish(sku, quantity, after)
    if before:  # a description between the SKU and the quantity
        note = " ".join([*before, *([note] if note else [])])
    return sku_text, qty, unit, note


def _finish(
    sku: str, quantity: str, after: list[str]
) -> tuple[str | None, Decimal | str | None, str | None, str | None]:
    unit = None
    if after and _UNIT_LIKE.fullmatch(after[0]):
        unit, after = after[0], after[1:]
    return sku, quantity, unit, " ".join(after) or None
