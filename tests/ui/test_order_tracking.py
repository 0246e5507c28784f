"""Against a real server process: a buyer submits an order; the supplier's ERP (the
integration API, with an API key) takes it over, confirms it, backorders a line and ships the
rest; after each sync the Orders screen shows the timeline, the line quantities and the
parcel with its tracking link, and the notification centre has told the buyer."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QTextDocument
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.services import order_notices as kinds
from app.ui.main_window import NOTIFICATIONS, ORDERS, MainWindow
from tests.support import RunningServer, server_cli
from tests.ui.fixtures import (
    OFFSCREEN_NOISE,
    open_window,
    sample_lines,
    save_shot,
    signed_in,
    sync,
    wait_for,
)

pytestmark = [pytest.mark.qt_log_ignore(OFFSCREEN_NOISE), pytest.mark.e2e]
TRACKING = "00340434161094042557"


class Erp:
    """The supplier's ERP: an API key and the integration endpoints."""

    def __init__(self, server: RunningServer) -> None:
        name = f"ui-tracking-{uuid.uuid4().hex[:8]}"
        key = server_cli(server.database_url, "api-key", "create", name).stdout.split()[-1]
        self.http = httpx.Client(
            base_url=server.url, timeout=30, headers={"Authorization": f"ApiKey {key}"}
        )

    def take_over(self, client_order_id: str, erp_number: str) -> None:
        ready = self.http.get("/api/v1/erp/orders/ready", params={"limit": 1000}).json()
        assert client_order_id in {o["client_order_id"] for o in ready}
        r = self.http.post(
            f"/api/v1/erp/orders/{client_order_id}/ack", json={"erp_number": erp_number}
        )
        assert r.status_code == 200, r.text

    def post(self, order: str, *events: dict[str, Any]) -> None:
        body = {"events": [{"event_id": f"e-{uuid.uuid4()}", "order": order, **e} for e in events]}
        r = self.http.post("/api/v1/erp/events", json=body)
        assert r.status_code == 200, r.text
        assert [x["status"] for x in r.json()["results"]] == ["applied"] * len(events), r.text


@pytest.fixture
def erp(demo_server: RunningServer) -> Iterator[Erp]:
    if demo_server.process is None:  # a test before may have stopped the shared server
        demo_server.start()
    erp = Erp(demo_server)
    yield erp
    erp.http.close()


class Browser(QObject):
    """Stands in for the person's web browser: Qt hands it the https links opened."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def link_targets(document: QTextDocument) -> list[str]:
    found = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            href = it.fragment().charFormat().anchorHref()
            if href:
                found.append(href)
            it += 1
        block = block.next()
    return found


def notices(window: MainWindow) -> list[tuple[str, str]]:
    return [(n.kind, n.title) for n in window.notifications.model.rows]


def test_the_buyer_follows_an_order_through_the_erp(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    tmp_path: Path,
    demo_server: RunningServer,
    erp: Erp,
) -> None:
    data_dir = signed_in(tmp_path / "client", demo_server)
    lines = sample_lines(data_dir, 3)
    window = open_window(qtbot, data_dir)
    assert window.notifications.desktop.tray is None  # offscreen: in-app messages only
    window.quick.pad.paste("\n".join(f"{sku} {qty}" for sku, qty in lines))
    wait_for(qtbot, window, lambda: window.quick.model.rowCount() == 3)
    po = f"PO-TRACK-{uuid.uuid4().hex[:6]}"
    with qtbot.waitSignal(window.quick.pad.submitted):
        window.quick.pad.submit(po_number=po, ship_to=None, requested_date=None, note=None)
    wait_for(qtbot, window, lambda: not window.ctx.sync.syncing)  # submitting syncs at once
    page = window.orders
    window.go(ORDERS)
    wait_for(qtbot, window, lambda: any(o.po_number == po and not o.queued
                                        for o in page.model.rows))  # fmt: skip
    order = next(o for o in page.model.rows if o.po_number == po)
    assert order.status == "submitted" and order.number

    # The ERP takes the order over, confirms it and backorders line 2.
    erp_number = f"45{uuid.uuid4().int % 10**8:08d}"
    later = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=10)).isoformat()
    erp.take_over(order.client_order_id, erp_number)
    erp.post(
        erp_number,
        {"type": "order.confirmed"},
        {"type": "line.status", "line_no": 2, "status": "backordered", "expected_date": later,
         "reason": "Awaiting goods from the manufacturer"},
    )  # fmt: skip
    assert sync(qtbot, window)[0]
    wait_for(qtbot, window, lambda: window.notifications.unread == 2)
    assert set(notices(window)) == {
        (kinds.ORDER_CONFIRMED, f"Order {order.number} confirmed"),
        (kinds.LINE_BACKORDERED, f"Backorder on order {order.number}"),
    }
    assert window.nav.item(NOTIFICATIONS).text() == "Notifications (2)"
    assert window.notice_button.isVisible() and window.notice_button.text() == "2 new"
    # No system tray here: the news goes to the status bar (each notification once).
    wait_for(qtbot, window, lambda: len(window.notifications.desktop.shown) == 2)
    assert f"Order {order.number} confirmed" in {t for t, _ in window.notifications.desktop.shown}

    # The ERP ships lines 1 and 3 with DHL.
    erp.post(
        erp_number,
        {"type": "shipment", "shipment_ref": f"DN-{erp_number}-1", "carrier": "DHL",
         "tracking_number": TRACKING, "expected_delivery": later,
         "lines": [{"line_no": 1, "quantity": str(lines[0][1])},
                   {"line_no": 3, "quantity": str(lines[2][1])}]},
    )  # fmt: skip
    assert sync(qtbot, window)[0]
    wait_for(qtbot, window, lambda: window.notifications.unread == 3)
    assert notices(window)[0] == (kinds.ORDER_SHIPPED, f"Order {order.number} partly shipped")
    assert TRACKING in window.notifications.model.rows[0].text
    window.go(NOTIFICATIONS)
    window.notifications.table.selectRow(0)
    qtmodeltester.check(window.notifications.model, force_py=True)
    save_shot(window, "notifications.png", tmp_path)
    # The kinds worth a desktop message are the person's choice, kept on this computer.
    window.notifications.choices[kinds.ORDER_DELIVERED].setChecked(False)
    window.ctx.ops.wait_idle()
    wanted = window.ctx.workspace.notifications.desktop_choices()
    assert not wanted[kinds.ORDER_DELIVERED] and wanted[kinds.ORDER_SHIPPED]

    # Enter on the notification opens the order.
    window.notifications.table.setFocus()
    QTest.keyClick(window.notifications.table, Qt.Key.Key_Return)
    assert window.stack.currentIndex() == ORDERS
    wait_for(qtbot, window, lambda: page.detail is not None
             and page.detail.client_order_id == order.client_order_id)  # fmt: skip
    wait_for(qtbot, window, lambda: window.notifications.unread == 2)  # opened: read
    detail = page.detail
    assert detail is not None and detail.track is not None
    assert detail.erp_number == erp_number and detail.status == "partly_shipped"
    panel = page.panel
    steps = [(s.key, s.state.value) for s in panel.timeline.steps]
    assert steps == [("submitted", "done"), ("sent", "done"), ("confirmed", "done"),
                     ("partly_shipped", "current"), ("shipped", "future"),
                     ("delivered", "future")]  # fmt: skip
    assert panel.timeline.steps[1].detail == f"ERP order {erp_number}"
    assert "Partly shipped" in panel.now.text() and "1 line backordered" in panel.now.text()
    assert erp_number in panel.header.text()
    rows = {r.line.line_no: r for r in page.lines.rows}
    assert rows[2].progress is not None and rows[2].progress.backordered == rows[2].line.quantity
    column = {page.lines.headerData(c, Qt.Orientation.Horizontal): c
              for c in range(page.lines.columnCount())}  # fmt: skip
    line2 = list(rows).index(2)
    assert page.lines.data(page.lines.index(line2, column["Expected"])) == later
    assert page.lines.data(page.lines.index(line2, column["Shipped"])) == ""
    assert page.lines.data(page.lines.index(0, column["Shipped"])) != ""
    assert panel.shipments_title.text() == "<b>Shipments</b> (1)"
    (link,) = link_targets(panel.shipments.document())
    assert TRACKING in link and link.startswith("https://www.dhl.com/")
    save_shot(window, "order-tracking.png", tmp_path)

    # The tracking number opens the carrier's page in the browser.
    browser = Browser()
    QDesktopServices.setUrlHandler("https", browser, "open")
    try:
        panel.shipments.anchorClicked.emit(QUrl(link))
    finally:
        QDesktopServices.unsetUrlHandler("https")
    assert browser.opened == [QUrl(link).toString()]

    # The search field finds the order by the ERP's number and by the PO number.
    page.filter.setText(erp_number)
    assert [o.client_order_id for o in page.model.rows] == [order.client_order_id]
    page.filter.setText(po.lower())
    assert [o.client_order_id for o in page.model.rows] == [order.client_order_id]
    page.clear_filters()
    window.shut_down()
