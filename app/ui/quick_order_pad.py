"""The quick-order view-model: scans, typed entries and pasted blocks become cart lines;
the last addition can be undone; the cart is checked out. No widgets here, only calls
through the operation helper and signals for the screen."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from app.services.views import CartView, PricedCartLine, QuantityStep, WorkspaceError
from app.ui import fmt
from app.ui.bus import Changes
from app.ui.context import AppContext

if TYPE_CHECKING:
    from app.services.quickorder import ScanSession
    from app.services.workspace import Workspace

CART_CHANGES = Changes(cart=True, outbox=True)
_SPLIT = re.compile(r"[\t;,]+|\s+")


def _tr(text: str) -> str:
    return QCoreApplication.translate("QuickOrderPad", text)


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing to add: a code (SKU, barcode, GS1 string), maybe a quantity and unit."""

    code: str
    quantity: Decimal | None = None
    unit: str | None = None
    row: int = 1  # the input line it came from, for messages


@dataclass(frozen=True, slots=True)
class CartSnapshot:
    """The cart as shown; ``focus`` is the line the last addition touched (shown to the
    person), None after a plain reload."""

    cart: CartView
    steps: dict[str, QuantityStep]
    focus: str | None = None


@dataclass(frozen=True, slots=True)
class AddReport:
    """What an addition did: ``undo`` holds (line id, quantity before) per touched line."""

    added: list[str]  # "FAS-001040 × 5 EA"
    problems: list[str]
    undo: list[tuple[str, Decimal]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings (rounded up, stock short…)

    @property
    def ok(self) -> bool:
        return (bool(self.added) or bool(self.notes)) and not self.problems


def parse_entry(text: str, row: int = 1) -> Entry | None:
    """``"FAS-001040 5"``, ``"FAS-001040;5;BX"``, ``"4012340001254"`` → an Entry (None for a
    blank line). A second token that is not a number is kept as part of nothing: the whole
    text is then taken as a code (a GS1 string may hold spaces)."""
    parts = [p for p in _SPLIT.split(text.strip()) if p]
    if not parts:
        return None
    if len(parts) >= 2:
        try:
            quantity = Decimal(parts[1].replace(",", "."))
        except InvalidOperation:
            return Entry(text.strip(), row=row)
        if quantity.is_finite():
            unit = parts[2].upper() if len(parts) >= 3 else None
            return Entry(parts[0], quantity, unit, row)
    return Entry(parts[0], row=row)


def parse_block(text: str) -> list[Entry]:
    """A pasted block, one entry per non-blank line (the simple parser, used only when the
    quick-order engine is not installed)."""
    entries = []
    for row, line in enumerate(text.splitlines(), start=1):
        entry = parse_entry(line, row)
        if entry is not None:
            entries.append(entry)
    return entries


def _engine() -> ModuleType | None:
    """The quick-order engine (parsing, checking, scan resolution), imported on first use
    by a worker: it pulls in openpyxl and more, which the window does not need to open."""
    try:
        from app.services import quickorder
    except ImportError:  # pragma: no cover - a tree without it falls back to simple parsing
        return None
    return quickorder


def _quantities(ws: Workspace, cart: str | None) -> dict[str, Decimal]:
    return ws.cart_quantities(cart)


@dataclass(frozen=True, slots=True)
class CartPatch:
    """The lines an addition touched, re-priced (a line not among ``lines`` is gone)."""

    cart_id: str
    touched: frozenset[str]
    lines: list[PricedCartLine]
    steps: dict[str, QuantityStep]


def patched(snapshot: CartSnapshot, patch: CartPatch) -> CartSnapshot:
    """``snapshot`` with the patch's lines replaced, added at the end, or removed."""
    fresh = {line.line_id: line for line in patch.lines}
    lines = [
        fresh.pop(line.line_id, line)
        for line in snapshot.cart.lines
        if line.line_id in fresh or line.line_id not in patch.touched
    ]
    lines += fresh.values()
    total = sum((line.line_total or Decimal(0) for line in lines), Decimal(0))
    cart = replace(snapshot.cart, lines=lines, total=total, local_changes=True)
    focus = patch.lines[-1].line_id if patch.lines else None
    return CartSnapshot(cart, {**snapshot.steps, **patch.steps}, focus)


def add_text(ws: Workspace, cart: str | None, text: str) -> AddReport:
    """Runs on the DB worker: typed or pasted lines, checked by the quick-order engine (its
    parser understands "10 x FAS-1", Excel copies with a header row, part numbers…); the
    good lines are added, every other line says why not."""
    engine = _engine()
    if engine is None:
        return add_entries(ws, cart, parse_block(text))
    before = _quantities(ws, cart)
    outcome = engine.QuickOrderService(ws).paste(text, cart=cart)
    lines = outcome.report.lines
    several = len(lines) > 1
    problems = [
        (_tr("line {0}: ").format(line.row) if several else "")
        + (f"{line.sku or line.source.strip()}: " if several else "")
        + line.message
        for line in lines
        if line.status == "error"
    ]
    notes = [f"{line.sku}: {line.message}" for line in lines if line.status == "warning"]
    added = [f"{a.sku} × {fmt.qty(a.quantity)} {a.unit}" for a in outcome.added]
    undo = {a.line_id: before.get(a.line_id, Decimal(0)) for a in outcome.added}
    return AddReport(added, problems, list(undo.items()), notes)


def add_scans(
    ws: Workspace, cart: str | None, codes: list[str], sessions: list[ScanSession]
) -> AddReport:
    """Runs on the DB worker: resolve scanned codes (GTINs, GS1-128, our labels, locations)
    and add each product. ``sessions`` holds the scan session (created here on the first
    scan) that carries the scan location from one scan to the next."""
    engine = _engine()
    if engine is None:
        return add_entries(ws, cart, [Entry(code) for code in codes])
    if not sessions:
        sessions.append(engine.ScanSession())
    before = _quantities(ws, cart)
    batch = engine.QuickOrderService(ws).scan(codes, cart=cart, session=sessions[0])
    problems = [e.message for e in batch.events if not e.result.ok]
    added = [f"{a.sku} × {fmt.qty(a.quantity)} {a.unit}" for a in batch.added]
    undo = {a.line_id: before.get(a.line_id, Decimal(0)) for a in batch.added}
    notes = [e.message for e in batch.events if e.result.ok and e.line is None]  # a location
    return AddReport(added, problems, list(undo.items()), notes)


def add_entries(ws: Workspace, cart: str | None, entries: list[Entry]) -> AddReport:
    """Without the quick-order engine: resolve each code and add it; never stops at a bad
    line."""
    before = _quantities(ws, cart)
    added: list[str] = []
    problems: list[str] = []
    undo: dict[str, Decimal] = {}
    for entry in entries:
        where = _tr("line {0}: ").format(entry.row) if len(entries) > 1 else ""
        match = ws.resolve_code(entry.code)
        if match is None:
            problems.append(where + _tr("{0} is not in your catalog").format(entry.code))
            continue
        quantity = entry.quantity if entry.quantity is not None else match.quantity
        unit = entry.unit or match.unit
        try:
            line_id = ws.add_to_cart(match.sku, quantity, unit, cart)
        except (WorkspaceError, ValueError) as exc:
            problems.append(f"{where}{match.sku}: {exc}")
            continue
        undo.setdefault(line_id, before.get(line_id, Decimal(0)))
        added.append(f"{match.sku} × {fmt.qty(quantity)} {unit.upper()}")
    return AddReport(added, problems, list(undo.items()))


class QuickOrderPad(QObject):
    """Signals: ``cart_loaded(CartSnapshot)``, ``feedback(ok, message)`` after every addition
    (the screen flashes), ``submitted(order id)``, ``refused(reason)`` when the signed-in
    role may not order (an approver, a viewer): nothing is then added or queued."""

    cart_loaded = Signal(object)
    refused = Signal(str)
    feedback = Signal(bool, str)
    submitted = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ops = ctx.ops
        self.snapshot: CartSnapshot | None = None
        self.refusal: str | None = None
        self._undo: list[list[tuple[str, Decimal]]] = []
        self._scans: list[ScanSession] = []  # filled by the worker on the first scan
        self._quiet = False  # announcing a change this pad has already applied
        ctx.bus.changed.connect(self._on_changed)

    @property
    def cart_name(self) -> str | None:
        """The cart being filled (None: the default cart); shared with the other screens."""
        return self.ctx.cart_name

    # -- reading -----------------------------------------------------------------------
    def refresh(self) -> None:
        name = self.cart_name

        def load(ws: Workspace) -> CartSnapshot | str:
            refusal = ws.ordering_refusal()
            if refusal is not None:
                return refusal
            cart = ws.cart(name)
            return CartSnapshot(cart, ws.quantity_steps(cart))

        self.ops.run(load, on_success=self._loaded_or_refused)

    def _loaded_or_refused(self, result: CartSnapshot | str) -> None:
        if isinstance(result, str):
            self.refusal, self.snapshot = result, None
            self.refused.emit(result)
        else:
            self.refusal = None
            self._loaded(result)

    def show_first(self, snapshot: CartSnapshot) -> None:
        """Show the cart as the last session left it (app.services.first_view) until the
        live one is loaded: the window opens on data before the replica is open."""
        if self.snapshot is None:
            self._loaded(snapshot)

    def _loaded(self, snapshot: CartSnapshot) -> None:
        self.snapshot = snapshot
        self.cart_loaded.emit(snapshot)

    def _on_changed(self, changes: Changes) -> None:
        if (changes.cart or changes.catalog) and not self._quiet:
            self.refresh()

    def open_cart(self, name: str | None) -> None:
        self.ctx.cart_name = name
        self._undo.clear()
        self._new_scan_session()
        self.refresh()

    # -- adding ------------------------------------------------------------------------
    def _new_scan_session(self) -> None:
        self._scans = []

    def scan(self, code: str) -> None:
        """A scanner burst: add one of the scanned unit (a case barcode adds a case)."""
        name, codes, session = self.cart_name, [code.strip()], self._scans
        self._run(lambda ws: add_scans(ws, name, codes, session))

    def enter(self, text: str) -> None:
        """Typed into the entry field and confirmed: "SKU [qty] [unit]", or a pasted block."""
        if text.strip():
            self.paste(text)

    def paste(self, text: str) -> None:
        """A block of lines (or one typed line): each is checked; good ones are added."""
        if not text.strip():
            return
        name = self.cart_name
        self._run(lambda ws: add_text(ws, name, text))

    def _run(self, work: Callable[[Workspace], AddReport]) -> None:
        """Run an addition and re-price only the lines it touched (a full re-pricing of a
        long cart after every scan would keep the scanner waiting)."""
        if self.refusal is not None:
            self.feedback.emit(False, self.refusal)
            return
        name = self.cart_name

        def job(ws: Workspace) -> tuple[AddReport, CartPatch]:
            report = work(ws)
            touched = frozenset(line_id for line_id, _before in report.undo)
            cart_id, lines, steps = ws.cart_lines_priced(name, touched)
            return report, CartPatch(cart_id, touched, lines, steps)

        self.ops.run(job, on_success=self._patched)

    def _patched(self, result: tuple[AddReport, CartPatch]) -> None:
        report, patch = result
        snapshot = self.snapshot
        if snapshot is not None and snapshot.cart.cart_id == patch.cart_id:
            self._loaded(patched(snapshot, patch))
            self._quiet = True  # the other screens hear of it; these lines are current
            try:
                self.ctx.bus.announce(CART_CHANGES)
            finally:
                self._quiet = False
        else:
            self.ctx.bus.announce(CART_CHANGES)  # another cart is shown: reload it
        self._added(report)

    def _added(self, report: AddReport) -> None:
        if report.undo:
            self._undo.append(report.undo)
        if len(report.added) > 1 or (report.added and report.problems):
            message = _tr("Added {0} lines").format(len(report.added))
            if report.problems:
                message += _tr("; {0} not added: {1}").format(
                    len(report.problems), " | ".join(report.problems[:3])
                )
        elif report.added:
            message = _tr("Added {0}").format(report.added[0])
        else:
            message = " | ".join(report.problems[:3] or report.notes[:1]) or _tr("Nothing to add")
        if report.notes and report.added:
            message += " — " + " | ".join(report.notes[:2])
        self.feedback.emit(report.ok, message)

    # -- changing lines ----------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def remember_undo(self, step: list[tuple[str, Decimal]]) -> None:
        """An addition made elsewhere (a spreadsheet import) that Ctrl+Z takes back."""
        if step:
            self._undo.append(step)

    def undo(self) -> None:
        """Put back the quantities from before the last addition (removing new lines)."""
        if not self._undo:
            self.feedback.emit(False, _tr("Nothing to undo"))
            return
        step, name = self._undo.pop(), self.cart_name

        def work(ws: Workspace) -> int:
            undone = 0
            for line_id, quantity in step:
                try:
                    ws.set_line_quantity(line_id, quantity, name)
                    undone += 1
                except WorkspaceError:
                    continue  # the line was removed or changed since: nothing to undo
            return undone

        self.ops.run(
            work,
            on_success=lambda n: self.feedback.emit(True, _tr("Undone ({0} lines)").format(n)),
            changes=CART_CHANGES,
        )

    def set_quantity(self, line_id: str, quantity: Decimal) -> None:
        name = self.cart_name
        self.ops.run(lambda ws: ws.set_line_quantity(line_id, quantity, name), changes=CART_CHANGES)

    def remove(self, line_id: str) -> None:
        name = self.cart_name
        self.ops.run(lambda ws: ws.remove_line(line_id, name), changes=CART_CHANGES)

    # -- checkout ----------------------------------------------------------------------
    def submit(
        self,
        *,
        po_number: str | None,
        ship_to: str | None,
        requested_date: dt.date | None,
        note: str | None,
    ) -> None:
        name = self.cart_name

        def work(ws: Workspace) -> str:
            return ws.submit_cart(
                name,
                po_number=po_number or None,
                ship_to=ship_to or None,
                requested_date=requested_date,
                note=note or None,
            )

        def done(order_id: str) -> None:
            self._undo.clear()
            self._new_scan_session()
            self.submitted.emit(order_id)

        self.ops.run(work, on_success=done, changes=Changes(cart=True, orders=True, outbox=True))
