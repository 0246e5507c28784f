"""Catalog search results as a lazy table: the model holds the matching SKUs (ids) and fetches
product rows in blocks, off the GUI thread, when the view first shows them. After a sync the
cached rows are marked stale (shown until refetched), not cleared."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QObject, Qt, Signal

from app.services.workspace import ProductDetails, Workspace
from app.ui import fmt
from app.ui.ops import Operations
from app.ui.rows_model import Index

BLOCK = 100
SKU_ROLE = Qt.ItemDataRole.UserRole + 1


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

    def __init__(self, ops: Operations, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.skus: list[str] = []
        self._rows: dict[str, ProductDetails] = {}
        self._stale: set[str] = set()
        self._asked: set[int] = set()
        self._generation = 0

    # -- feeding -----------------------------------------------------------------------
    def set_skus(self, skus: list[str]) -> None:
        self.beginResetModel()
        self.skus = skus
        self._generation += 1
        self._asked.clear()
        self.endResetModel()

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
            return [p for p in map(ws.product, skus) if p is not None]

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
        if not index.isValid() or index.row() >= len(self.skus):
            return None
        sku = self.skus[index.row()]
        if role == SKU_ROLE:
            return sku
        if role == Qt.ItemDataRole.TextAlignmentRole:
            right = index.column() == 5
            flag = Qt.AlignmentFlag.AlignRight if right else Qt.AlignmentFlag.AlignLeft
            return int(flag | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
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
