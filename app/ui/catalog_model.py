"""Catalog search results as a lazy table: the model holds the matching SKUs (ids) and fetches
product rows in blocks, off the GUI thread, when the view first shows them. After a sync the
cached rows are marked stale (shown until refetched), not cleared."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, Qt, Signal

from app.services.workspace import CatalogFilter, ProductDetails, Workspace
from app.ui import fmt
from app.ui.ops import Operations
from app.ui.rows_model import ALIGNMENT, DISPLAY, LEFT, RIGHT, TOOLTIP, Index

BLOCK = 100
MAX_ROWS = 5000  # a search lists at most this many matches
MORE_ROWS = 1000  # fetched when the list is scrolled to its end
SKU_ROLE = Qt.ItemDataRole.UserRole + 1
_SKU = int(SKU_ROLE)
_ANSWERED = frozenset({DISPLAY, TOOLTIP, ALIGNMENT, _SKU})


def _tr(text: str) -> str:
    return QCoreApplication.translate("CatalogModel", text)


_COLUMNS = ("SKU", "Name", "Brand", "Category", "Unit", "List price", "Status")


def _cell(product: ProductDetails, column: int) -> str:
    return (
        product.sku,
        product.name,
        product.brand or "",
        product.category or "",
        product.base_unit,
        fmt.unit_price(product.list_price),
        product.status,
    )[column]


class CatalogModel(QAbstractTableModel):
    """``set_skus`` after a search; rows arrive by themselves. ``rows_loaded`` fires when a
    block is in (tests wait on it)."""

    rows_loaded = Signal()
    grown = Signal(int, bool)  # rows now, whether that is every match

    def __init__(self, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.skus: list[str] = []
        self._rows: dict[str, ProductDetails] = {}
        self._stale: set[str] = set()
        self._asked: set[int] = set()
        self._generation = 0
        self._query: str | None = None  # more matches of it can be fetched
        self._filters: CatalogFilter | None = None  # and of these filters
        self._fetching = False

    # -- feeding -----------------------------------------------------------------------
    def set_skus(
        self,
        skus: list[str],
        first: Sequence[ProductDetails] = (),
        *,
        query: str | None = None,
        filters: CatalogFilter | None = None,
    ) -> None:
        """Show ``skus``; ``first`` are products already fetched (the first screenful).
        With ``query`` the SKUs are the first page of its matches (under ``filters``):
        scrolling to the end fetches more (Qt's fetchMore), up to ``MAX_ROWS``."""
        self.beginResetModel()
        self.skus = skus
        self._query = query
        self._filters = filters
        self._fetching = False
        for product in first:
            self._rows[product.sku] = product
            self._stale.discard(product.sku)
        self._generation += 1
        self._asked.clear()
        self.endResetModel()

    def continue_with(self, query: str | None, filters: CatalogFilter | None) -> None:
        """The rows shown are also the first page of ``query`` under ``filters``: scrolling
        to the end fetches more of those (None: they are every match)."""
        if (query, filters) != (self._query, self._filters):
            self._query, self._filters = query, filters
            self._fetching = False  # a fetch under way was for the old search: dropped

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return (
            not parent.isValid()
            and self._query is not None
            and not self._fetching
            and len(self.skus) < MAX_ROWS
        )

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        query, filters, generation = self._query, self._filters, self._generation
        assert query is not None
        limit = min(len(self.skus) + MORE_ROWS, MAX_ROWS)
        self._fetching = True

        def done(skus: list[str]) -> None:
            if generation != self._generation or (self._query, self._filters) != (query, filters):
                return  # a new search replaced the rows
            self._fetching = False
            if len(skus) < limit or limit >= MAX_ROWS:
                self._query = None  # that was every match (or as many as we list)
            self.extend(skus)
            self.grown.emit(len(self.skus), self._query is None and len(skus) < MAX_ROWS)

        self.ops.run(
            lambda ws: ws.search_skus(query, limit=limit, filters=filters), on_success=done
        )

    def extend(self, skus: list[str]) -> None:
        """Show ``skus`` where they begin with the rows shown: the new rows are appended
        (the view keeps its place); anything else replaces the rows."""
        old = self.skus
        if skus[: len(old)] != old:
            self.set_skus(skus, query=self._query, filters=self._filters)
            return
        if len(skus) > len(old):
            self.beginInsertRows(QModelIndex(), len(old), len(skus) - 1)
            self.skus = skus
            self.endInsertRows()

    def mark_stale(self) -> None:
        """Products may have changed: refetch rows as they are shown again."""
        self._stale = set(self._rows)
        self._asked.clear()
        if self.skus:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.skus) - 1, 6))

    def product(self, row: int) -> ProductDetails | None:
        return self._rows.get(self.skus[row]) if 0 <= row < len(self.skus) else None

    def _request(self, row: int) -> None:
        block = row // BLOCK
        if block in self._asked:
            return
        self._asked.add(block)
        generation = self._generation
        skus = self.skus[block * BLOCK : (block + 1) * BLOCK]

        def fetch(ws: Workspace) -> list[ProductDetails]:
            return ws.products(skus)

        def done(products: list[ProductDetails]) -> None:
            if generation != self._generation:
                return  # a newer search replaced these rows
            for product in products:
                self._rows[product.sku] = product
                self._stale.discard(product.sku)
            first, last = block * BLOCK, min(len(self.skus), (block + 1) * BLOCK) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(_COLUMNS) - 1))
            self.rows_loaded.emit()

        self.ops.run(fetch, on_success=done)

    # -- Qt model ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.skus)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED:
            return None
        number = index.row()
        if not 0 <= number < len(self.skus) or not index.isValid():
            return None
        sku = self.skus[number]
        if role == _SKU:
            return sku
        if role == ALIGNMENT:
            return RIGHT if index.column() == 5 else LEFT
        product = self._rows.get(sku)
        if product is None or sku in self._stale:
            self._request(index.row())
        if product is None:
            return sku if index.column() == 0 else ("…" if index.column() == 1 else "")
        return _cell(product, index.column())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(_COLUMNS)
        ):
            return _tr(_COLUMNS[section])
        return None
