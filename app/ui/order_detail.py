"""One order on the Orders screen: a header, the timeline of its steps, its lines with what
was confirmed, shipped, backordered and cancelled, and beneath them the shipments (tracking
numbers open the carrier's page) beside the status history."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.order_status import LineProgress, OrderTrack, ShipmentView
from app.services.workspace import OrderDetail, OrderLineView
from app.ui import fmt
from app.ui.order_timeline import OrderTimeline, long_time, step_colour
from app.ui.rows_model import Column, RowsModel

WAITING = "needs_confirmation"


def status_text(status: str) -> str:
    return {WAITING: "waiting for you", "pending": "queued"}.get(status, status.replace("_", " "))


@dataclass(frozen=True, slots=True)
class OrderLineRow:
    """An order line with what became of it (``progress`` is None for a queued order)."""

    line: OrderLineView
    progress: LineProgress | None

    def amount(self, name: str) -> Decimal:
        return getattr(self.progress, name) if self.progress is not None else Decimal(0)


def order_line_rows(detail: OrderDetail) -> list[OrderLineRow]:
    progress = {p.line_no: p for p in detail.track.lines} if detail.track else {}
    return [OrderLineRow(line, progress.get(line.line_no)) for line in detail.lines]


def _some(value: Decimal, unit: str = "") -> str:
    """A quantity, blank when zero (most lines have nothing backordered or cancelled)."""
    return "" if value == 0 else f"{fmt.qty(value)} {unit}".strip()


def _line_tone(row: OrderLineRow) -> str | None:
    if row.amount("backordered") > 0:
        return "warn"
    if row.amount("cancelled") > 0 and row.amount("cancelled") >= row.line.quantity:
        return "bad"
    return None


def _expected(row: OrderLineRow) -> str:
    day = row.progress.expected_date if row.progress else None
    return day.isoformat() if day else ""


def order_lines_model(parent: QWidget | None = None) -> RowsModel[OrderLineRow]:
    tr = parent.tr if parent is not None else str
    return RowsModel(
        [
            Column(tr("#"), lambda r: str(r.line.line_no), numeric=True),
            Column(tr("SKU"), lambda r: r.line.sku),
            Column(tr("Ordered"), lambda r: f"{fmt.qty(r.line.quantity)} {r.line.unit}",
                   numeric=True),
            Column(tr("Unit price"), lambda r: fmt.unit_price(r.line.unit_price), numeric=True,
                   tooltip=lambda r: r.line.price_explanation or ""),
            Column(tr("Total"), lambda r: fmt.money(r.line.line_total), numeric=True),
            Column(tr("Confirmed"), lambda r: _some(r.amount("confirmed")), numeric=True),
            Column(tr("Shipped"), lambda r: _some(r.amount("shipped")), numeric=True),
            Column(tr("Backordered"), lambda r: _some(r.amount("backordered")), numeric=True,
                   tone=lambda r: "warn" if r.amount("backordered") > 0 else None),
            Column(tr("Cancelled"), lambda r: _some(r.amount("cancelled")), numeric=True,
                   tone=lambda r: "bad" if r.amount("cancelled") > 0 else None),
            Column(tr("Expected"), _expected),
            Column(tr("Status"), lambda r: status_text(r.line.status), tone=_line_tone),
        ],
        parent,
    )  # fmt: skip


def shipments_html(track: OrderTrack | None, tr: Callable[[str], str] = str) -> str:
    """The shipments as HTML: carrier, the tracking number as a link to the carrier's page
    (when it is known), dates and the lines in the parcel."""
    if track is None or not track.shipments:
        return html.escape(tr("Nothing shipped yet."))
    return "".join(_parcel_html(p, tr) for p in track.shipments)


def _parcel_html(parcel: ShipmentView, t: Callable[[str], str]) -> str:
    e = html.escape
    number = e(parcel.tracking_number or t("no tracking number"))
    if parcel.tracking_url:
        number = f"<a href='{e(parcel.tracking_url, quote=True)}'>{number}</a>"
    if parcel.delivered:
        state = f"<span style='color:#2e9d57'>{e(t('delivered'))} "
        state += f"{e(long_time(parcel.delivered_at))}</span>"
    elif parcel.late:
        state = f"<span style='color:#c83737'><b>{e(t('late'))}</b>, "
        state += f"{e(t('expected'))} {parcel.expected_delivery}</span>"
    else:
        expected = parcel.expected_delivery.isoformat() if parcel.expected_delivery else "?"
        state = f"{e(t('on the way'))}, {e(t('expected'))} {expected}"
    lines = ", ".join(
        f"#{li.line_no} {e(li.sku)} × {e(fmt.qty(li.quantity))} {e(li.unit)}" for li in parcel.lines
    )
    return (
        f"<p style='margin:0 0 8px 0'><b>{e(parcel.carrier)}</b> {number}"
        f" · {e(t('shipped'))} {e(long_time(parcel.shipped_at))} · {state}"
        f"<br><span style='color:gray'>{lines}</span></p>"
    )


class OrderDetailPanel(QWidget):
    """Shows one ``OrderDetail``. A click on a tracking number opens the carrier's page in
    the browser (``QDesktopServices.openUrl``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = QLabel(self.tr("Pick an order"))
        self.header.setWordWrap(True)
        self.timeline = OrderTimeline()
        self.now = QLabel()
        self.now.setWordWrap(True)
        self.lines = order_lines_model(self)
        self.lines_view = QTableView()
        self.lines_view.setModel(self.lines)
        self.lines_view.verticalHeader().setVisible(False)
        self.lines_view.horizontalHeader().setStretchLastSection(True)
        self.lines_view.verticalHeader().setDefaultSectionSize(
            self.lines_view.fontMetrics().height() + 8
        )
        for column, width in enumerate((30, 110, 80, 84, 90, 84, 76, 96, 84, 96)):
            self.lines_view.setColumnWidth(column, width)
        self.shipments = QTextBrowser()
        self.shipments.setOpenLinks(False)  # opened here, in the person's browser
        self.shipments.anchorClicked.connect(self.open_link)
        self.history = QTextBrowser()
        self.shipments_title = QLabel()
        below = QGridLayout()  # shipments and history side by side, under the lines
        below.addWidget(self.shipments_title, 0, 0)
        below.addWidget(QLabel(self.tr("<b>History</b>")), 0, 1)
        below.addWidget(self.shipments, 1, 0)
        below.addWidget(self.history, 1, 1)
        below.setColumnStretch(0, 3)
        below.setColumnStretch(1, 2)
        for browser in (self.shipments, self.history):
            browser.setMinimumHeight(72)
            browser.setMaximumHeight(112)
        self.top = QHBoxLayout()  # the header; the screen adds its buttons on the right
        self.top.addWidget(self.header, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.top)
        layout.addWidget(self.timeline)
        layout.addWidget(self.now)
        layout.addWidget(self.lines_view, 1)
        layout.addLayout(below)

    def clear(self, text: str) -> None:
        self.header.setText(html.escape(text))
        self.timeline.set_steps([])
        self.now.clear()
        self.lines.set_rows([])
        self.shipments.clear()
        self.shipments_title.setText(self.tr("<b>Shipments</b>"))
        self.history.clear()

    def show_detail(self, detail: OrderDetail) -> None:
        e = html.escape
        self.header.setText(
            self.tr("<b>{0}</b> · {1}<br>PO {2} · ERP order {3} · ship to {4} · {5}").format(
                e(detail.number or self.tr("queued order")), e(status_text(detail.status)),
                e(detail.po_number or "—"), e(detail.erp_number or "—"),
                e(detail.ship_to or "—"), e(fmt.money(detail.subtotal, detail.currency)),
            )
        )  # fmt: skip
        track = detail.track
        self.timeline.set_steps(track.timeline if track else [])
        self.now.setText(self._now_text(track))
        self.lines.set_rows(order_line_rows(detail))
        self.shipments.setHtml(shipments_html(track, self.tr))
        count = len(track.shipments) if track else 0
        self.shipments_title.setText(self.tr("<b>Shipments</b> ({0})").format(count))
        history = "".join(
            f"<p><b>{e(fmt.local_time(at))}</b> {e(status_text(status))}"
            + (f" — {e(note)}" if note else "")
            + "</p>"
            for at, status, note in reversed(detail.history)
        )
        self.history.setHtml(history or e(self.tr("No history yet.")))

    def _now_text(self, track: OrderTrack | None) -> str:
        """One sentence under the timeline: where the order is, why, and what is awaited."""
        step = track.current if track else None
        if track is None or step is None:
            return ""
        e = html.escape
        colour = step_colour(step).name()
        parts = [f"<span style='color:{colour}'><b>{e(step.title)}</b></span>"]
        if step.at is not None:
            parts.append(e(long_time(step.at)))
        if step.detail:
            parts.append(e(step.detail))
        waiting = [li for li in track.lines if li.backordered > 0 and li.open > 0]
        if waiting:
            parts.append(e(self.tr("{0} backordered").format(
                self.tr("1 line") if len(waiting) == 1 else
                self.tr("{0} lines").format(len(waiting)))))  # fmt: skip
        if track.expected is not None and not track.late:
            parts.append(e(self.tr("rest expected {0}").format(track.expected.isoformat())))
        return " · ".join(parts)

    def open_link(self, url: QUrl) -> None:
        QDesktopServices.openUrl(url)
