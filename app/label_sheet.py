"""Scan-to-order label sheets: an A4 PDF (Qt's QPdfWriter) of shelf labels with the item
name, SKU, unit and a Code 128 barcode (python-barcode SVG) of ``OP:<SKU>[:<UNIT>]``, which
the scan path resolves. Qt is used for painting only; it needs a QApplication, which is
created offscreen when the caller has none (the command line)."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import barcode
from barcode.writer import SVGWriter

COLUMNS, ROWS = 3, 8  # 70 x 37 mm labels on A4, the common office label sheet


@dataclass(frozen=True, slots=True)
class Label:
    sku: str
    name: str
    unit: str
    payload: str  # what the barcode encodes


def barcode_svg(payload: str) -> bytes:
    """A Code 128 barcode of ``payload`` as SVG, without the human-readable line.

    python-barcode sizes everything in mm without a viewBox; the units are turned into a
    viewBox so the barcode scales to whatever box it is painted into.
    """
    out = io.BytesIO()
    barcode.get("code128", payload, writer=SVGWriter()).write(
        out, options={"write_text": False, "module_height": 10.0, "quiet_zone": 2.5}
    )
    text = out.getvalue().decode()
    size = _SVG_SIZE.search(text)
    if size is not None:
        width, height = size.group(1), size.group(2)
        text = _SVG_SIZE.sub(
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"', text, count=1
        )
    return _MM.sub(r'"\1"', text).encode()


_SVG_SIZE = re.compile(r'width="([\d.]+)mm" height="([\d.]+)mm"')
_MM = re.compile(r'"([\d.]+)mm"')


def write_labels(path: Path, labels: Sequence[Label], *, title: str = "Labels") -> Path:
    """Write ``labels`` to ``path`` (PDF), 24 per page; returns the path."""
    from PySide6.QtCore import QMarginsF, QRectF
    from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

    _ensure_gui()
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("Orderpad")
    writer.setResolution(300)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    painter = QPainter(writer)
    try:
        page = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
        per_page = COLUMNS * ROWS
        for start in range(0, len(labels), per_page):
            if start:
                writer.newPage()
            paint_page(painter, page, labels[start : start + per_page])
    finally:
        painter.end()
    return path


def paint_page(painter: Any, page: Any, labels: Sequence[Label]) -> None:
    """Paint up to 24 labels into ``page`` (a QRectF) with ``painter`` (any paint device)."""
    from PySide6.QtCore import QByteArray, QRectF, Qt
    from PySide6.QtGui import QFont
    from PySide6.QtSvg import QSvgRenderer

    width, height = page.width() / COLUMNS, page.height() / ROWS
    pad = width * 0.06
    name_font = QFont("DejaVu Sans")
    name_font.setBold(True)
    name_font.setPixelSize(max(8, int(height * 0.13)))
    sku_font = QFont("DejaVu Sans Mono")
    sku_font.setPixelSize(max(8, int(height * 0.12)))
    for slot, label in enumerate(labels[: COLUMNS * ROWS]):
        cell = QRectF(
            page.left() + (slot % COLUMNS) * width,
            page.top() + (slot // COLUMNS) * height,
            width,
            height,
        ).adjusted(pad, pad, -pad, -pad)
        painter.setFont(name_font)
        name_box = QRectF(cell.left(), cell.top(), cell.width(), cell.height() * 0.25)
        name = painter.fontMetrics().elidedText(
            label.name, Qt.TextElideMode.ElideRight, int(name_box.width())
        )
        painter.drawText(name_box, Qt.AlignmentFlag.AlignLeft, name)
        painter.setFont(sku_font)
        sku_box = QRectF(cell.left(), cell.top() + cell.height() * 0.27, cell.width(),
                         cell.height() * 0.22)  # fmt: skip
        painter.drawText(sku_box, Qt.AlignmentFlag.AlignLeft, f"{label.sku}   {label.unit}")
        bars = QRectF(cell.left(), cell.top() + cell.height() * 0.52, cell.width(),
                      cell.height() * 0.48)  # fmt: skip
        QSvgRenderer(QByteArray(barcode_svg(label.payload))).render(painter, bars)


def _ensure_gui() -> None:
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        # A QApplication, not a bare QGuiApplication: Qt allows one application object per
        # process, and a window opened later in the same process needs the widgets kind.
        _keep.append(QApplication([]))


_keep: list[object] = []  # the QApplication made here lives as long as the process
