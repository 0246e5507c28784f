"""Approvals: the orders awaiting my decision (or every route, as a buyer sees where an order
is), the route and price explanation of the selected order, and approve / reject, one order
or many at once, with a comment. Decisions are queued and work offline."""

from __future__ import annotations

import html
from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.approvals import ApprovalView, DecisionResult, past, when
from app.services.workspace import Workspace
from app.ui import fmt
from app.ui.bus import Changes
from app.ui.context import AppContext
from app.ui.rows_model import Column, RowsModel, row_table
from app.ui.rules import open_rules_dialog

DECIDED = Changes(orders=True, outbox=True)


def approvals_model(parent: QWidget | None = None) -> RowsModel[ApprovalView]:
    tr = parent.tr if parent is not None else str

    def state(v: ApprovalView) -> str:
        if v.queued_decision:
            return tr("you {0} (not synced yet)").format(past(v.queued_decision))
        if v.status == "pending_approval":
            return tr("level {0}").format(v.level) if v.level else tr("waiting")
        return v.status.replace("_", " ")

    def tone(v: ApprovalView) -> str | None:
        if v.queued_decision or v.status == "pending_approval":
            return "warn"
        return "bad" if v.status == "rejected" else "good"

    return RowsModel(
        [
            Column(tr("Order"), lambda v: v.ref),
            Column(tr("PO"), lambda v: v.po_number or ""),
            Column(tr("Buyer"), lambda v: v.buyer),
            Column(tr("Total"), lambda v: fmt.money(v.total, v.currency), numeric=True),
            Column(tr("State"), state, tone=tone),
            Column(tr("Rules"), lambda v: ", ".join(dict.fromkeys(s.rule_name for s in v.steps)),
                   tooltip=lambda v: "\n".join(
                       f"L{s.level} {s.rule_name}: {'; '.join(s.reasons)}" for s in v.steps)),
            Column(tr("With"), lambda v: ", ".join(v.waiting_for)),
            Column(tr("Submitted"), lambda v: fmt.local_time(v.created_at)),
        ],
        parent,
    )  # fmt: skip


def route_html(view: ApprovalView) -> str:
    """The route, decisions and price notes of one order, for the detail pane."""
    e = html.escape
    parts = [
        f"<h3>{e(view.ref)} — {e(view.buyer)} — {e(fmt.money(view.total, view.currency))}</h3>",
        f"<p>PO {e(view.po_number or '–')} · {view.line_count} lines · "
        f"{e(view.status.replace('_', ' '))}</p>",
    ]
    if view.waiting_for:
        parts.append(f"<p><b>With:</b> {e(', '.join(view.waiting_for))}</p>")
    parts.append("<h4>Route</h4><table cellspacing=4>")
    marks = {"approved": "✔", "rejected": "✘", "pending": "…"}
    for s in view.steps:
        decided = ""
        if s.decided_by:
            decided = f"<br>{e(s.state)} by {e(s.decided_by)} at {e(when(s.decided_at))}"
            if s.comment:
                decided += f": “{e(s.comment)}”"
        parts.append(
            f"<tr><td valign=top>{marks.get(s.state, '')} Level {s.level}</td>"
            f"<td><b>{e(s.rule_name)}</b>: {e('; '.join(s.reasons))}"
            f"<br><small>Approvers: {e(', '.join(s.approvers) or 'nobody')}</small>{decided}"
            f"</td></tr>"
        )
    parts.append("</table>")
    if view.decisions:
        parts.append("<h4>Decisions</h4><ul>")
        for d in view.decisions:
            again = " (already decided: no change)" if d.noop else ""
            comment = f": “{e(d.comment)}”" if d.comment else ""
            parts.append(
                f"<li>{e(when(d.at))} — {e(d.by)} {e(past(d.decision))}{again}{comment}</li>"
            )
        parts.append("</ul>")
    if view.price_notes:
        parts.append("<h4>Prices</h4><ul>")
        parts += [f"<li>{e(note)}</li>" for note in view.price_notes]
        parts.append("</ul>")
    return "".join(parts)


class ApprovalsPage(QWidget):
    """``count_changed(n)``: how many orders await the signed-in user (for the navigation)."""

    count_changed = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.scope = QComboBox()
        self.scope.addItem(self.tr("Awaiting my approval"), "mine")
        self.scope.addItem(self.tr("Every order with an approval route"), "all")
        self.model = approvals_model(self)
        self.table = row_table(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        for column, width in enumerate((86, 104, 140, 100, 110, 170, 120)):
            self.table.setColumnWidth(column, width)
        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(False)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(self.tr("Comment (required to reject)"))
        self.comment.setClearButtonEnabled(True)
        self.approve_action = QAction(self.tr("Approve"), self)
        self.approve_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.reject_action = QAction(self.tr("Reject"), self)
        self.reject_action.setShortcut(QKeySequence("Ctrl+Shift+Return"))
        for action in (self.approve_action, self.reject_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.approve_button = QPushButton(self.tr("Approve selected (Ctrl+Enter)"))
        self.reject_button = QPushButton(self.tr("Reject selected (Ctrl+Shift+Enter)"))
        self.approve_button.clicked.connect(self.approve_action.trigger)
        self.reject_button.clicked.connect(self.reject_action.trigger)
        self.summary = QLabel()
        self.summary.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.scope)
        top.addWidget(self.summary, 1)
        self.rules_button = QPushButton(self.tr("Rules and limits…"))
        self.rules_button.clicked.connect(lambda: open_rules_dialog(ctx, self))
        top.addWidget(self.rules_button)
        decide = QHBoxLayout()
        decide.addWidget(self.comment, 1)
        decide.addWidget(self.approve_button)
        decide.addWidget(self.reject_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([760, 380])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(decide)

        self._loaded = False
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_current())
        self.approve_action.triggered.connect(lambda: self.decide("approve"))
        self.reject_action.triggered.connect(lambda: self.decide("reject"))
        ctx.bus.changed.connect(self._on_changed)
        self._show_current()

    # -- loading -----------------------------------------------------------------------
    def activate(self) -> None:
        self.refresh()
        self.table.setFocus()

    def refresh(self) -> None:
        self._loaded = True
        everything = self.scope.currentData() == "all"

        def load(ws: Workspace) -> tuple[list[ApprovalView], int]:
            desk = ws.approvals
            views = desk.orders()
            mine = [v for v in views if v.can_decide and v.queued_decision is None]
            return (views if everything else mine), len(mine)

        self.ctx.ops.run(load, on_success=self._loaded_rows, owner=self)

    def refresh_count(self) -> None:
        self.ctx.ops.run(
            lambda ws: ws.approvals.waiting_count(), on_success=self.count_changed.emit, owner=self
        )

    def _loaded_rows(self, result: tuple[list[ApprovalView], int]) -> None:
        rows, waiting = result
        selected = {v.client_order_id for v in self.selected()}
        self.model.set_rows(rows)
        for number, row in enumerate(rows):
            if row.client_order_id in selected:
                self.table.selectRow(number)
        if not self.selected() and rows:
            self.table.selectRow(0)
        self.summary.setText(
            self.tr("{0} orders await your decision.").format(waiting)
            if waiting
            else self.tr("Nothing awaits your decision.")
        )
        self.count_changed.emit(waiting)
        self._show_current()

    def _on_changed(self, changes: Changes) -> None:
        if changes.orders or changes.outbox or changes.status:
            if self._loaded and self.isVisible():
                self.refresh()
            else:
                self.refresh_count()

    # -- selection and detail ----------------------------------------------------------
    def selected(self) -> list[ApprovalView]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [v for v in (self.model.row_at(r) for r in rows) if v is not None]

    def _show_current(self) -> None:
        chosen = self.selected()
        decidable = [v for v in chosen if v.can_decide and v.queued_decision is None]
        for widget in (self.approve_action, self.reject_action):
            widget.setEnabled(bool(decidable))
        self.approve_button.setEnabled(bool(decidable))
        self.reject_button.setEnabled(bool(decidable))
        if len(chosen) == 1:
            self.detail.setHtml(route_html(chosen[0]))
        elif chosen:
            total = sum((v.total or Decimal(0) for v in chosen), start=Decimal(0))
            self.detail.setHtml(
                self.tr("<h3>{0} orders selected</h3><p>Together {1}.</p>").format(
                    len(chosen), html.escape(fmt.money(total, chosen[0].currency))
                )
            )
        else:
            self.detail.setHtml(
                self.tr("<p>Select an order to see its route, who has it and why.</p>")
            )

    # -- deciding ----------------------------------------------------------------------
    def decide(self, decision: str) -> None:
        chosen = [v for v in self.selected() if v.can_decide and v.queued_decision is None]
        if not chosen:
            return
        comment = self.comment.text().strip()
        if decision == "reject" and not comment:
            self.comment.setFocus()
            self.ctx.notify(self.tr("Say why you reject (a comment is required)."))
            return
        if len(chosen) > 1:
            answer = QMessageBox.question(
                self,
                self.tr("Decide several orders"),
                self.tr("{0} {1} orders?").format(
                    self.tr("Approve") if decision == "approve" else self.tr("Reject"),
                    len(chosen),
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        refs = [v.client_order_id for v in chosen]

        def run(ws: Workspace) -> list[DecisionResult]:
            return ws.approvals.decide(refs, decision, comment=comment)  # type: ignore[arg-type]

        self.ctx.ops.run(run, changes=DECIDED, on_success=self._decided, owner=self)

    def _decided(self, results: list[DecisionResult]) -> None:
        self.comment.clear()
        queued = [r for r in results if r.queued]
        refused = [r.message for r in results if not r.queued]
        text = self.tr("{0} decision(s) queued; they reach the server with the next sync.").format(
            len(queued)
        )
        if refused:
            text += " " + self.tr("Not decided: {0}").format("; ".join(refused))
        self.ctx.notify(text)
        self.ctx.request_sync()
