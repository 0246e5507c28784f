"""Quick-order use cases for the desktop UI and the command line: check and add pasted text,
import the buyer's spreadsheet (asking for the columns when unsure, remembering the answer),
write the round-trip report, and resolve barcode scans. Plain dataclasses in and out.

Everything works offline against the replica; cart changes queue their outbox mutations.
Methods do database work on the calling thread: call them from the UI's worker.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

import orjson

from app.domain.quantity import QuantityPolicy
from app.label_sheet import Label
from app.quickorder.bulk import collector_paused
from app.quickorder.detect import ColumnChoice, Detection
from app.quickorder.lines import (
    Field,
    LineInput,
    LineResult,
    LineStatus,
    Problem,
    QuickOrderReport,
    Reason,
    RowOutcome,
    Suggestion,
)
from app.quickorder.list_xlsx import ExportLine, write_list
from app.quickorder.mapping import ColumnMapping, MappingError, parse_mapping
from app.quickorder.paste import parse_paste
from app.quickorder.replica_catalog import open_catalog
from app.quickorder.report_xlsx import write_report
from app.quickorder.scan import ScanKind, ScanResult, label_payload, resolve_scan
from app.quickorder.scan_session import ScanEvent, ScanLine, ScanSession
from app.quickorder.sheet_lines import table_lines
from app.quickorder.spreadsheet import Sheet, UnreadableFile, open_sheet
from app.quickorder.validate import check_lines
from app.services.workspace import DEFAULT_CART, Workspace, WorkspaceError
from app.store import carts as cart_store
from app.store import layouts, partnumbers
from app.store import lists as list_store
from app.store.order_lines import find_order

# Row types the UI shows, named here so the UI never imports app.store.
SavedList = list_store.SavedList
SavedListLine = list_store.SavedListLine

__all__ = [
    "AddedLine", "ColumnChoice", "ColumnMapping", "Detection", "Field", "FileImportOutcome",
    "FilePreview", "Label", "LineInput", "LineResult", "LineStatus", "Problem",
    "QuickOrderOutcome", "QuickOrderReport", "QuickOrderService", "Reason", "RowOutcome",
    "SavedList", "SavedListLine", "ScanBatch", "ScanEvent", "ScanKind", "ScanLine",
    "ScanResult", "ScanSession", "Suggestion",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class AddedLine:
    """A line written to the cart (a repeated SKU and unit adds to the existing line)."""

    line_id: str
    sku: str
    quantity: Decimal
    unit: str


@dataclass(frozen=True, slots=True)
class QuickOrderOutcome:
    """A checked batch and what was added; ``cart`` is None on a dry run."""

    report: QuickOrderReport
    cart: str | None
    added: tuple[AddedLine, ...]
    dry_run: bool


@dataclass(frozen=True, slots=True)
class FilePreview:
    """How a file will be read. When ``needs_mapping``, ask the buyer which column is which
    (``detection.reason`` says why; ``detection.columns`` lists the columns with samples),
    then call ``import_file(..., mapping=...)``: the answer is remembered for this layout."""

    path: Path
    sheet: str
    sheet_names: tuple[str, ...]
    notes: tuple[str, ...]
    detection: Detection
    mapping: ColumnMapping | None
    mapping_source: str  # remembered | given | detected | none
    needs_mapping: bool

    @property
    def fingerprint(self) -> str:
        return self.detection.layout.fingerprint


@dataclass(frozen=True, slots=True)
class FileImportOutcome:
    """``report`` is None when the columns must be confirmed first (see ``preview``)."""

    preview: FilePreview
    report: QuickOrderReport | None
    cart: str | None
    added: tuple[AddedLine, ...]
    dry_run: bool
    report_path: Path | None


@dataclass(frozen=True, slots=True)
class ScanBatch:
    """Scans resolved in order, what each did, and the cart lines written."""

    events: tuple[ScanEvent, ...]
    cart: str | None
    added: tuple[AddedLine, ...]


class QuickOrderService:
    """``QuickOrderService(workspace)``; the account's quantity policy applies unless given."""

    def __init__(self, workspace: Workspace, *, policy: QuantityPolicy | None = None) -> None:
        self._ws = workspace
        self._replica = workspace.replica
        self._policy = policy

    # -- policy ------------------------------------------------------------------------------
    def quantity_policy(self) -> QuantityPolicy:
        """Auto-correct or flag quantities that break a pack rule (the account's setting)."""
        if self._policy is not None:
            return self._policy
        with self._replica.reading() as session:
            text = (
                session.connection()
                .exec_driver_sql("SELECT data FROM accounts ORDER BY number LIMIT 1")
                .scalar()
            )
        value = orjson.loads(text).get("quantity_policy") if text else None
        try:
            return QuantityPolicy(value) if value else QuantityPolicy.FLAG
        except ValueError:
            return QuantityPolicy.FLAG

    # -- checking ----------------------------------------------------------------------------
    def check_lines(self, lines: Sequence[LineInput]) -> QuickOrderReport:
        """Check and price ``lines`` (nothing changes)."""
        policy = self.quantity_policy()
        with open_catalog(self._replica) as catalog, collector_paused():
            return check_lines(lines, catalog, on=self._ws.today(), policy=policy)

    def check_text(self, text: str) -> QuickOrderReport:
        """The verify step for pasted text: every non-blank line checked and priced."""
        return self.check_lines(parse_paste(text))

    def paste(
        self, text: str, *, cart: str | None = None, dry_run: bool = False
    ) -> QuickOrderOutcome:
        """Check pasted text and add its good lines to ``cart`` (default cart if None)."""
        return self._check_and_add(parse_paste(text), cart, dry_run)

    # -- files -------------------------------------------------------------------------------
    def preview_file(
        self, path: Path, *, sheet: str | None = None, mapping: ColumnMapping | str | None = None
    ) -> FilePreview:
        """Open ``path`` and decide the columns (remembered, given, or detected)."""
        with self._open(path, sheet) as opened:
            return self._preview(opened, mapping)

    def import_file(
        self,
        path: Path,
        *,
        cart: str | None = None,
        sheet: str | None = None,
        mapping: ColumnMapping | str | None = None,
        dry_run: bool = False,
        report_to: Path | None = None,
    ) -> FileImportOutcome:
        """Import a spreadsheet or CSV: check every row, add the good ones (unless
        ``dry_run``), and write the round-trip report to ``report_to`` if given.

        ``mapping`` ("sku=B,qty=D" or a ColumnMapping) is the buyer's answer to a
        ``needs_mapping`` preview; it is remembered for files of the same layout.
        Raises WorkspaceError for a file that cannot be read or a bad mapping.
        """
        policy = self.quantity_policy()
        with self._open(path, sheet) as opened, collector_paused():
            preview = self._preview(opened, mapping)
            if preview.needs_mapping or preview.mapping is None:
                return FileImportOutcome(preview, None, None, (), dry_run, None)
            chosen = preview.mapping
            if preview.mapping_source == "given":
                self.remember_mapping(preview, chosen)
            report = self._check_sheet(opened, chosen, policy)
        written = None
        if report_to is not None:
            written = write_report(
                source=path, out=report_to, sheet=opened.name, mapping=chosen, report=report,
                table=opened.table,
            )  # fmt: skip
        if dry_run:
            return FileImportOutcome(preview, report, None, (), True, written)
        name, added = self._add(report, cart)
        return FileImportOutcome(preview, report, name, added, False, written)

    def _check_sheet(
        self, opened: Sheet, mapping: ColumnMapping, policy: QuantityPolicy
    ) -> QuickOrderReport:
        # A method of its own so that the catalog, with thousands of products loaded, is
        # gone when this returns: the collector, resuming after an import, then walks only
        # the report.
        with open_catalog(self._replica) as catalog:
            rows = opened.rows(frozenset(mapping.columns.values()))
            lines = list(table_lines(rows, mapping))
            return check_lines(lines, catalog, on=self._ws.today(), policy=policy)

    def remember_mapping(self, preview: FilePreview, mapping: ColumnMapping) -> None:
        """Use ``mapping`` for every later file with this preview's layout."""
        headers = list(preview.detection.layout.headers)
        layouts.remember(self._replica, preview.fingerprint, mapping.to_json(), headers)

    def forget_mapping(self, preview: FilePreview) -> None:
        layouts.forget(self._replica, preview.fingerprint)

    @contextmanager
    def _open(self, path: Path, sheet: str | None) -> Iterator[Sheet]:
        if not path.is_file():
            raise WorkspaceError(f"no file {path}")
        try:
            with open_sheet(path, sheet=sheet) as opened:
                yield opened
        except UnreadableFile as exc:
            raise WorkspaceError(str(exc)) from None

    def _preview(self, opened: Sheet, mapping: ColumnMapping | str | None) -> FilePreview:
        with open_catalog(self._replica) as catalog:
            detection = opened.detect(known=catalog.known_skus)
        detected_header = detection.mapping.header_row if detection.mapping else None
        chosen: ColumnMapping | None
        if isinstance(mapping, str):
            try:
                chosen = parse_mapping(mapping, header_row=detected_header)
            except MappingError as exc:
                raise WorkspaceError(f"--map: {exc}") from None
            source = "given"
        elif mapping is not None:
            chosen, source = mapping, "given"
        else:
            stored = layouts.recall(self._replica, detection.layout.fingerprint)
            if stored is not None:
                chosen, source = ColumnMapping.from_json(stored), "remembered"
                if detected_header is not None:
                    chosen = replace(chosen, header_row=detected_header)
            elif detection.mapping is not None and detection.sure:
                chosen, source = detection.mapping, "detected"
            else:
                chosen, source = detection.mapping, "none"
        return FilePreview(
            path=opened.path,
            sheet=opened.name,
            sheet_names=opened.sheet_names,
            notes=opened.notes,
            detection=detection,
            mapping=chosen,
            mapping_source=source,
            needs_mapping=source == "none",
        )

    # -- part numbers --------------------------------------------------------------------------
    def learn_part_number(self, part_number: str, sku: str) -> None:
        """Remember the buyer's own ``part_number`` for ``sku`` (the buyer confirmed it)."""
        product = self._replica.product_by_sku(sku)
        if product is None:
            raise WorkspaceError(f"unknown SKU {sku!r} (not in your synced catalog)")
        partnumbers.learn(self._replica, part_number, product.sku)

    # -- scans ---------------------------------------------------------------------------------
    def resolve_scan(self, code: str) -> ScanResult:
        """What one scanned code stands for (nothing changes)."""
        with open_catalog(self._replica) as catalog:
            return resolve_scan(code, catalog)

    def scan(
        self,
        codes: Iterable[str],
        *,
        cart: str | None = None,
        session: ScanSession | None = None,
        dry_run: bool = False,
    ) -> ScanBatch:
        """Resolve ``codes`` in order as the scan loop does and add each product to the cart.

        A location code applies to the codes after it; keep ``session`` across calls to
        carry the location and the line numbers from one scan to the next.
        """
        state = session if session is not None else ScanSession()
        events: list[ScanEvent] = []
        with open_catalog(self._replica) as catalog:
            for code in codes:
                events.append(state.apply(resolve_scan(code, catalog)))
        if dry_run:
            return ScanBatch(tuple(events), None, ())
        items = [
            (event.result.sku, event.result.quantity, event.result.unit)
            for event in events
            if event.line is not None and event.result.sku and event.result.unit
        ]
        added = self._add_items(cart, items)
        return ScanBatch(tuple(events), self._cart_name(cart) if added else None, added)

    # -- reorder and saved lists -------------------------------------------------------------
    def reorder(
        self, order: str, *, cart: str | None = None, dry_run: bool = False
    ) -> QuickOrderOutcome:
        """Add the lines of a past order (number or id) again, checked against today's
        catalog: a partial success whose report says why each missing line was left out
        (unknown or out of the assortment, discontinued with its replacement, a pack rule)
        and warns where stock was short at the last sync."""
        past = find_order(self._replica, order)
        if past is None:
            raise WorkspaceError(f"no order {order!r} on this device")
        inputs = [
            LineInput(
                row=line.line_no,
                source=f"{line.sku} {'' if line.quantity is None else f'{line.quantity:f}'} "
                f"{line.unit}".replace("  ", " "),
                sku=line.sku,
                quantity=line.quantity if line.quantity is not None else "?",
                unit=line.unit or None,
            )
            for line in past.lines
        ]
        return self._check_and_add(inputs, cart, dry_run)

    def lists(self) -> list[SavedList]:
        """The saved lists on this device, by name."""
        return list_store.saved_lists(self._replica)

    def list_lines(self, name: str) -> list[SavedListLine]:
        return list_store.list_lines(self._replica, self._list(name).list_id)

    def save_list_from_cart(
        self, name: str, *, cart: str | None = None, shared: bool = False, replace: bool = False
    ) -> SavedList:
        """Save the lines of ``cart`` (default cart if None) as a list."""
        cart_id = self._ws.cart_id(cart, create=False)
        lines = [
            SavedListLine(i, line.sku, line.quantity, line.unit)
            for i, line in enumerate(cart_store.cart_lines(self._replica, cart_id), start=1)
        ]
        return self._save_list(name, lines, shared=shared, replace=replace)

    def save_list_from_order(
        self, name: str, *, order: str, shared: bool = False, replace: bool = False
    ) -> SavedList:
        """Save the lines of a past order as a list (as ordered, not re-checked)."""
        past = find_order(self._replica, order)
        if past is None:
            raise WorkspaceError(f"no order {order!r} on this device")
        lines = [
            SavedListLine(i, line.sku, line.quantity, line.unit)
            for i, line in enumerate(past.lines, start=1)
            if line.quantity is not None and line.quantity > 0 and line.unit
        ]
        return self._save_list(name, lines, shared=shared, replace=replace)

    def save_list_from_file(
        self,
        name: str,
        *,
        path: Path,
        sheet: str | None = None,
        mapping: ColumnMapping | str | None = None,
        shared: bool = False,
        replace: bool = False,
    ) -> tuple[SavedList | None, FileImportOutcome]:
        """Save the good rows of a file as a list; the import outcome says what was left
        out (None for the list while the columns still need confirming)."""
        outcome = self.import_file(path, sheet=sheet, mapping=mapping, dry_run=True)
        if outcome.report is None:
            return None, outcome
        lines = []
        for position, line in enumerate(outcome.report.addable, start=1):
            assert line.sku is not None and line.quantity is not None and line.unit is not None
            notes = [source.note for source in line.inputs if source.note]
            lines.append(
                SavedListLine(
                    position, line.sku, line.quantity, line.unit, "; ".join(notes) or None
                )
            )
        return self._save_list(name, lines, shared=shared, replace=replace), outcome

    def order_list(
        self, name: str, *, cart: str | None = None, dry_run: bool = False
    ) -> QuickOrderOutcome:
        """Add a saved list to the cart, checked like a reorder (partial success)."""
        lines = self.list_lines(name)
        inputs = [
            LineInput(
                row=line.position,
                source=f"{line.sku} {line.quantity:f} {line.unit}",
                sku=line.sku,
                quantity=line.quantity,
                unit=line.unit,
                note=line.note,
            )
            for line in lines
        ]
        return self._check_and_add(inputs, cart, dry_run)

    def delete_list(self, name: str) -> None:
        list_store.delete_list(self._replica, self._list(name).list_id)

    def export_list(self, name: str, path: Path) -> Path:
        """Write a list to XLSX in the layout ``import_file`` reads."""
        saved = self._list(name)
        lines = list_store.list_lines(self._replica, saved.list_id)
        names = {}
        for line in lines:
            product = self._replica.product_by_sku(line.sku)
            names[line.sku] = product.name if product else None
        return write_list(
            path,
            saved.name,
            [ExportLine(li.sku, li.quantity, li.unit, li.note, names[li.sku]) for li in lines],
        )

    def labels_for(self, items: Sequence[tuple[str, str]]) -> list[Label]:
        """Shelf labels for (SKU, unit) pairs: a unit other than the base is in the code.
        Raises WorkspaceError for a SKU not in the catalog."""
        labels = []
        for sku, unit in items:
            product = self._replica.product_by_sku(sku)
            if product is None:
                raise WorkspaceError(f"unknown SKU {sku!r} (not in your synced catalog)")
            code = unit.strip().upper() or product.base_unit
            payload = label_payload(product.sku, None if code == product.base_unit else code)
            labels.append(Label(product.sku, product.name, code, payload))
        return labels

    def _list(self, name: str) -> SavedList:
        found = list_store.list_by_name(self._replica, name)
        if found is None:
            raise WorkspaceError(f"no saved list named {name!r}")
        return found

    def _save_list(
        self, name: str, lines: list[SavedListLine], *, shared: bool, replace: bool
    ) -> SavedList:
        if not lines:
            raise WorkspaceError("nothing to save: the list would be empty")
        profile = self._ws.profile
        try:
            list_store.save_list(
                self._replica, name, lines, shared=shared, replace=replace,
                owner_email=profile.email if profile else None,
            )  # fmt: skip
        except (list_store.ListExists, ValueError) as exc:
            raise WorkspaceError(str(exc)) from None
        return self._list(name)

    def _check_and_add(
        self, inputs: list[LineInput], cart: str | None, dry_run: bool
    ) -> QuickOrderOutcome:
        report = self.check_lines(inputs)
        if dry_run:
            return QuickOrderOutcome(report, None, (), True)
        name, added = self._add(report, cart)
        return QuickOrderOutcome(report, name, added, False)

    # -- cart --------------------------------------------------------------------------------
    def add_to_cart(
        self, report: QuickOrderReport, *, cart: str | None = None
    ) -> tuple[AddedLine, ...]:
        """Add the report's ok and warning lines to ``cart`` (created if needed)."""
        return self._add(report, cart)[1]

    def _add(
        self, report: QuickOrderReport, cart: str | None
    ) -> tuple[str | None, tuple[AddedLine, ...]]:
        lines = report.addable
        if not lines:
            return None, ()
        items: list[tuple[str, Decimal, str]] = []
        for line in lines:
            assert line.sku is not None and line.quantity is not None and line.unit is not None
            items.append((line.sku, line.quantity, line.unit))
        return self._cart_name(cart), self._add_items(cart, items)

    def _add_items(
        self, cart: str | None, items: list[tuple[str, Decimal, str]]
    ) -> tuple[AddedLine, ...]:
        """All items into the cart in one transaction (see cart_store.add_many)."""
        if not items:
            return ()
        cart_id = self._ws.cart_id(cart, create=True)
        try:
            line_ids = cart_store.add_many(self._replica, cart_id, items)
        except (cart_store.CartClosed, cart_store.CartNotFound, ValueError) as exc:
            raise WorkspaceError(str(exc)) from None
        return tuple(
            AddedLine(lid, sku, qty, unit)
            for lid, (sku, qty, unit) in zip(line_ids, items, strict=True)
        )

    def _cart_name(self, cart: str | None) -> str:
        return (cart or DEFAULT_CART).strip()
