"""Catalog: search-as-you-type over the replica, narrowed by category, brand and stock, and a
product's detail (units, price and why, stock per warehouse "as of")."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.workspace import (
    CatalogFilter,
    Facets,
    PriceView,
    ProductDetails,
    WarehouseStock,
    Workspace,
)
from app.ui import fmt
from app.ui.bus import Changes
from app.ui.catalog_model import MAX_ROWS, CatalogModel
from app.ui.context import AppContext

FIRST_PAGE = 200  # matches fetched per key; more as the list is scrolled (fetchMore)
FIRST_ROWS = 40  # products fetched with them, so the first paint has its rows
# The detail follows the selection once it rests: soon when the person moves in the list,
# later while they type (loading a card takes ~25 ms of the worker the next key needs).
CARD_DELAY_MS = 60
CARD_DELAY_TYPING_MS = 300


@dataclass(frozen=True, slots=True)
class Results:
    skus: list[str]
    first: list[ProductDetails]  # the first rows' products
    complete: bool = True  # False: the first page of the matches (more when scrolled)


@dataclass(frozen=True, slots=True)
class ProductCard:
    product: ProductDetails
    price: PriceView
    stock: list[WarehouseStock]
    today: dt.date  # the server's date (validity is judged by it, not this PC's clock)


def load_card(ws: Workspace, sku: str) -> ProductCard | None:
    product = ws.product(sku)
    if product is None:
        return None
    return ProductCard(product, ws.price_of(sku), ws.stock_of(sku), ws.today())


class CatalogPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.search = QLineEdit()
        self.search.setObjectName("catalogSearch")
        self.search.setPlaceholderText(self.tr("Search SKU, name, brand, barcode… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.count = QLabel()
        self.category = _facet_box("categoryFilter", self.tr("All categories"))
        self.brand = _facet_box("brandFilter", self.tr("All brands"))
        self.in_stock = QCheckBox(self.tr("In &stock only"))
        self.in_stock.setObjectName("inStockFilter")
        self.in_stock.setToolTip(self.tr("Products some warehouse had available at the last sync"))
        self.clear_filters = QToolButton()
        self.clear_filters.setText(self.tr("Clear filters"))
        self.clear_filters.setEnabled(False)
        self.model = CatalogModel(ctx.ops, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((92, 205, 92, 92, 40, 72, 88)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the name takes the rest
        self.detail = QTextBrowser()
        self.detail.setObjectName("productDetail")
        self.detail.setOpenLinks(False)
        self.detail.setHtml(self._hint())

        self.add_action = QAction(self.tr("Add to cart"), self)
        self.add_action.setShortcut(QKeySequence("Ctrl+D"))
        self.find_action = QAction(self.tr("Find in catalog"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        for action in (self.add_action, self.find_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        add = QPushButton(self.tr("Add to cart (Ctrl+D)"))
        add.clicked.connect(self.add_action.trigger)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        filters = QHBoxLayout()
        for text, box in ((self.tr("C&ategory"), self.category), (self.tr("&Brand"), self.brand)):
            label = QLabel(text)
            label.setBuddy(box)
            filters.addWidget(label)
            filters.addWidget(box)
            filters.addSpacing(12)
        filters.addWidget(self.in_stock)
        filters.addSpacing(12)
        filters.addWidget(self.clear_filters)
        filters.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addWidget(add)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([690, 370])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(split, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(0)  # one search per pass of the event loop, not per edit
        self._debounce.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.category.currentIndexChanged.connect(self._filters_changed)
        self.brand.currentIndexChanged.connect(self._filters_changed)
        self.in_stock.toggled.connect(self._filters_changed)
        self.clear_filters.clicked.connect(self.clear)
        self.search.returnPressed.connect(self._focus_results)
        self._card_timer = QTimer(self)
        self._card_timer.setSingleShot(True)
        self._card_timer.timeout.connect(self._load_card)
        self.table.selectionModel().selectionChanged.connect(
            lambda _new, _old: self._card_timer.start(
                CARD_DELAY_MS if self.table.hasFocus() else CARD_DELAY_TYPING_MS
            )
        )
        self.table.activated.connect(lambda _i: self.add_action.trigger())
        self.model.grown.connect(lambda n, done: self._show_count(n, complete=done))
        self.add_action.triggered.connect(self.add_current)
        self.find_action.triggered.connect(self.focus_search)
        ctx.bus.changed.connect(self._on_changed)
        self._searched: str | None = None
        self.shown_query: str | None = None  # the query whose results are on screen
        self.shown_filters = CatalogFilter()  # and the filters they were found with
        self._facets: Facets | None = None
        self._card_serial = 0
        self.card: ProductCard | None = None
        self._search_serial = 0
        self._searching = False
        self._again = False
        self._everything: Results | None = None  # the empty search, until the catalog changes

    def activate(self) -> None:
        if self._searched is None:
            self.run_search()
        if self._facets is None:
            self.load_facets()
        self.focus_search()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _focus_results(self) -> None:
        if self.model.rowCount():
            self.table.setFocus()
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)

    # -- filters -----------------------------------------------------------------------
    def filters(self) -> CatalogFilter:
        """The filters as set on screen."""
        return CatalogFilter(
            category=self.category.currentData(),
            brand=self.brand.currentData(),
            in_stock=self.in_stock.isChecked(),
        )

    def set_filters(self, filters: CatalogFilter) -> None:
        """Set the filters (a value the catalog does not hold yet is added to its list)."""
        for box, value in ((self.category, filters.category), (self.brand, filters.brand)):
            box.blockSignals(True)
            index = box.findData(value) if value else 0
            if value and index < 0:
                box.addItem(value, value)
                index = box.count() - 1
            box.setCurrentIndex(index)
            box.blockSignals(False)
        self.in_stock.blockSignals(True)
        self.in_stock.setChecked(filters.in_stock)
        self.in_stock.blockSignals(False)
        self._filters_changed()

    def clear(self) -> None:
        self.set_filters(CatalogFilter())
        self.focus_search()

    def _filters_changed(self, *_args: object) -> None:
        self.clear_filters.setEnabled(self.filters().active)
        self._debounce.start()

    def load_facets(self) -> None:
        """Fill the category and brand lists (again after a sync), keeping the choices."""
        self.ctx.ops.run(lambda ws: ws.catalog_facets(), on_success=self._show_facets)

    def _show_facets(self, facets: Facets) -> None:
        self._facets = facets
        for box, values in ((self.category, facets.categories), (self.brand, facets.brands)):
            chosen = box.currentData()
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for value in values:
                box.addItem(value, value)
            index = box.findData(chosen) if chosen else 0
            if index < 0:  # gone from the catalog: still shown while it is chosen
                box.addItem(chosen, chosen)
                index = box.count() - 1
            box.setCurrentIndex(index)
            box.blockSignals(False)

    # -- search ------------------------------------------------------------------------
    def run_search(self) -> None:
        """Search for what is typed under the filters set, on every key: one search runs
        at a time and, when it is back, the newest text is searched next (keys typed
        meanwhile are not queued)."""
        query = self.search.text().strip()
        filters = self.filters()
        self._searched = query
        if self._searching:
            self._again = True
            return
        if query == "" and not filters.active and self._everything is not None:
            self._show_results(query, filters, self._everything)
            return
        self._searching = True
        self._search_serial += 1
        serial = self._search_serial

        def search(ws: Workspace) -> Results:
            skus = ws.search_skus(query, limit=FIRST_PAGE, filters=filters)
            first = ws.products(skus[:FIRST_ROWS])  # the first screenful, ready to paint
            return Results(skus, first, complete=len(skus) < FIRST_PAGE)

        def show(results: Results) -> None:
            self._searching = False
            if query == "" and not filters.active:
                self._everything = results
            if self._again:
                self._again = False
                if (self.search.text().strip(), self.filters()) != (query, filters):
                    self.run_search()  # typed on: these results are already old
                    return
            if serial == self._search_serial:
                self._show_results(query, filters, results)

        def failed(_exc: BaseException) -> bool:
            self._searching = self._again = False
            return False  # reported as usual

        self.ctx.ops.run(search, on_success=show, on_error=failed)

    def _show_count(self, count: int, *, complete: bool) -> None:
        more = "+" if count >= MAX_ROWS or not complete else ""
        text = self.tr("{0}{1} products").format(count, more)
        if self.shown_filters.active:
            text = self.tr("{0} (filtered)").format(text)
        self.count.setText(text)

    def _show_results(self, query: str, filters: CatalogFilter, results: Results) -> None:
        self.shown_query = query
        changed_filters, self.shown_filters = filters != self.shown_filters, filters
        skus = results.skus
        more = None if results.complete else query
        if skus == self.model.skus:  # the same rows (after a sync: marked stale): keep place
            self.model.continue_with(more, filters)  # but scrolling on fetches these matches
            if changed_filters:
                self._show_count(len(skus), complete=results.complete)
            return
        selected = self.card.product.sku if self.card is not None else None
        self.model.set_skus(skus, results.first, query=more, filters=filters)
        self._show_count(len(skus), complete=results.complete)
        if skus:
            self.table.selectRow(skus.index(selected) if selected in skus else 0)

    def _on_changed(self, changes: Changes) -> None:
        if changes.catalog:
            self._everything = None
            self.model.mark_stale()
            if self._facets is not None:
                self.load_facets()
            if self._searched is not None:
                self.run_search()
                self._load_card()  # prices may have moved

    # -- detail ------------------------------------------------------------------------
    def _load_card(self) -> None:
        index = self.table.currentIndex()
        rows = self.table.selectionModel().selectedRows()
        row = rows[0].row() if rows else index.row()
        if not 0 <= row < len(self.model.skus):
            return
        sku = self.model.skus[row]
        self._card_serial += 1
        serial = self._card_serial

        def show(card: ProductCard | None) -> None:
            if serial == self._card_serial and card is not None:
                self.card = card
                self.detail.setHtml(self._card_html(card))

        self.ctx.ops.run(lambda ws: load_card(ws, sku), on_success=show)

    def add_current(self) -> None:
        card = self.card
        if card is None:
            return
        product, cart = card.product, self.ctx.cart_name
        quantity = max(product.min_qty, product.multiple)
        self.ctx.ops.run(
            lambda ws: ws.add_to_cart(product.sku, quantity, product.base_unit, cart),
            changes=Changes(cart=True, outbox=True),
            on_success=lambda _id: self.ctx.notify(
                self.tr("Added {0} × {1} {2} to the cart").format(
                    product.sku, fmt.qty(quantity), product.base_unit
                )
            ),
        )

    def _hint(self) -> str:
        return "<p style='color:gray'>" + html.escape(
            self.tr("Pick a product to see its units, price and stock.")
        ) + "</p>"  # fmt: skip

    def _card_html(self, card: ProductCard) -> str:
        p, price, e = card.product, card.price, html.escape
        cur = price.currency or p.currency or ""
        parts = [f"<h3 style='margin-bottom:2px'>{e(p.name)}</h3>",
                 f"<p><b>{e(p.sku)}</b> · {e(p.brand or '')} · {e(p.category or '')}"
                 f" · <i>{e(p.status)}</i></p>"]  # fmt: skip
        if p.replacement_sku:
            parts.append(f"<p>{e(self.tr('Replaced by'))} <b>{e(p.replacement_sku)}</b></p>")
        if p.description:
            parts.append(f"<p>{e(p.description)}</p>")
        parts.append(f"<h4>{e(self.tr('Price'))}</h4>")
        if price.unit_price is not None:
            parts.append(
                f"<p><b>{e(fmt.unit_price(price.unit_price))} {e(cur)}</b> / {e(p.base_unit)}"
                f" — {e(price.explanation)}</p>"
            )
        else:
            parts.append(f"<p>{e(price.explanation)}</p>")
        rows: list[tuple[str, str, str]] = []
        if price.list_price is not None:
            rows.append((self.tr("List price"), fmt.unit_price(price.list_price), ""))
        for min_qty, amount in price.tiers:
            label = self.tr("Price list {0}").format(price.price_list or "")
            if min_qty > 0:
                label += self.tr(" from {0}").format(fmt.qty(min_qty))
            rows.append((label, fmt.unit_price(amount), ""))
        for c in price.contracts:
            label = self.tr("Contract {0}").format(c.contract)
            if c.min_qty > 0:
                label += self.tr(" from {0}").format(fmt.qty(c.min_qty))
            if c.valid_to is not None and c.valid_to < card.today:
                valid = self.tr("ended {0}").format(c.valid_to)
            elif c.valid_from is not None and c.valid_from > card.today:
                valid = self.tr("from {0}").format(c.valid_from)
            else:
                valid = self.tr("until {0}").format(c.valid_to) if c.valid_to else ""
            rows.append((label, fmt.unit_price(c.unit_price), valid))
        parts.append(_table([self.tr("Price"), cur, self.tr("Valid")], rows))
        parts.append(f"<h4>{e(self.tr('Units'))}</h4>")
        parts.append(
            _table(
                [self.tr("Unit"), self.tr("Holds"), self.tr("Barcode (GTIN)")],
                [(u.code, f"{u.factor} {p.base_unit}", u.gtin or "") for u in p.units],
            )
        )
        if p.min_qty > 1 or p.multiple > 1:
            rule = self.tr("Order at least {0}, in steps of {1} {2}").format(
                fmt.qty(p.min_qty), fmt.qty(p.multiple), p.base_unit
            )
            parts.append(f"<p>{e(rule)}</p>")
        parts.append(f"<h4>{e(self.tr('Stock'))}</h4>")
        if card.stock:
            receipts = any(s.next_receipt_date for s in card.stock)
            header = [
                self.tr("Warehouse"),
                self.tr("Available"),
                self.tr("Lead time"),
                self.tr("As of"),
            ] + ([self.tr("Next receipt")] if receipts else [])
            stock_rows: list[list[str]] = []
            for s in card.stock:
                row = [
                    s.warehouse_name,
                    fmt.qty(s.available or Decimal(0)),
                    self.tr("{0} d").format(s.lead_time_days)
                    if s.lead_time_days is not None
                    else "",
                    fmt.local_time(s.as_of),
                ]
                if receipts:
                    row.append(
                        f"{fmt.qty(s.next_receipt_qty)} · {s.next_receipt_date}"
                        if s.next_receipt_date
                        else ""
                    )
                stock_rows.append(row)
            parts.append(_table(header, stock_rows))
        else:
            parts.append(f"<p>{e(self.tr('No stock information synced.'))}</p>")
        return "".join(parts)


def _facet_box(name: str, everything: str) -> QComboBox:
    """A filter list whose first entry (no value) lets everything through."""
    box = QComboBox()
    box.setObjectName(name)
    box.addItem(everything, None)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(18)
    box.setMaxVisibleItems(20)
    return box


def _table(header: list[str], rows: Sequence[Sequence[str]]) -> str:
    """An HTML table; only the first column (names) wraps, so dates and amounts stay whole."""
    e = html.escape
    head = "".join(f"<th align='left' style='white-space:nowrap'>{e(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{e(str(c))}</td>"
            if n == 0
            else f"<td style='white-space:nowrap'>{e(str(c))}</td>"
            for n, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table cellspacing='0' cellpadding='3'><tr>{head}</tr>{body}</table>"
