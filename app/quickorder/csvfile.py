"""Reading a CSV as Excel users save it: any of , ; tab | as delimiter, UTF-8 with or without
BOM, UTF-16 ("Unicode text"), else Windows-1252. Cells stay text, so "00123" keeps its zeros
and "2,5" is read as a decimal later, with the other quantities."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from app.quickorder.table import Cell, Table, TableRow

_DELIMITERS = ("\t", ";", ",", "|")
_SNIFF_LINES = 50


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding name) for the bytes of a text file."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8 (BOM)"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most lines into the same number (>1) of fields.

    Title lines above a table have fewer fields and do not disturb it; a decimal comma
    splits some lines but not others, so ";" wins over "," in a German file.
    """
    lines = [line for line in text.splitlines() if line.strip()][:_SNIFF_LINES]
    best = (0, 0, ",")
    for delimiter in _DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        common = Counter(count for count in counts if count > 1).most_common(1)
        if not common:
            continue
        fields, lines_with = common[0]
        if (lines_with, fields) > best[:2]:
            best = (lines_with, fields, delimiter)
    return best[2]


def read_csv(path: Path) -> Table:
    """Every record of the file as a row (row numbers count records, as Excel shows them)."""
    text, encoding = decode(path.read_bytes())
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = tuple(
        TableRow(number, tuple(Cell(value) if value else Cell() for value in record))
        for number, record in enumerate(reader, start=1)
    )
    shown = {"\t": "tab", ";": "semicolon", ",": "comma", "|": "bar"}[delimiter]
    return Table(path.name, rows, (f"encoding {encoding}", f"delimiter {shown}"))
