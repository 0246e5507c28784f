"""The approval rules and limits dialog against a real server: the account admin edits a rule
and a buyer's limit (queued, offline too), the server versions them, a rule that cannot work
is refused in the dialog, and anyone else sees everything read-only."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.services.workspace import OutboxEntry, Workspace
from app.ui.main_window import APPROVALS, MainWindow
from app.ui.rules import RulesDialog
from tests.support import RunningServer, start_server
from tests.ui.fixtures import OFFSCREEN_NOISE, open_window, save_shot, settle, sync, wait_for

pytestmark = [pytest.mark.qt_log_ignore(OFFSCREEN_NOISE), pytest.mark.e2e]

DOMAIN = "acme-hamburg.example"  # account 10011


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    path = tmp_path_factory.mktemp("ui-rules") / "server.sqlite3"
    s = start_server(f"sqlite:///{path}", skus=400)
    try:
        yield s
    finally:
        s.stop()


def signed_in(server: RunningServer, folder: Path, user: str, password: str) -> Path:
    with Workspace(folder) as ws:
        ws.login(server.url, f"{user}@{DOMAIN}", password)
        ws.sync()
    return folder


def rules_dialog(qtbot: QtBot, window: MainWindow, *, from_page: bool = False) -> RulesDialog:
    """Open the dialog the way a person does: File ▸ Approval rules and limits…, or the
    button on the approvals screen."""
    if from_page:
        window.go(APPROVALS)
        window.approvals.rules_button.click()
    else:
        window.rules_action.trigger()
    dialog = window.findChild(RulesDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    wait_for(qtbot, window, lambda: dialog.model.rowCount() == 3)
    return dialog


def queued(window: MainWindow, name: str) -> list[OutboxEntry]:
    return [e for e in window.ctx.workspace.outbox_entries() if e.name == name]


def select_rule(dialog: RulesDialog, name: str) -> None:
    names = [v.rule.name for v in dialog.model.rows]
    dialog.table.selectRow(names.index(name))
    assert dialog.form.name.text() == name


def test_the_admin_edits_a_rule_and_the_server_versions_it(
    qtbot: QtBot, server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, signed_in(server, tmp_path / "admin", "admin", "demo-admin"))
    dialog = rules_dialog(qtbot, window)
    assert dialog.read_only_note.isHidden()
    assert dialog.save_button.isEnabled()
    select_rule(dialog, "Large order")
    assert "Version 1" in dialog.version.text()
    [condition] = dialog.form.rows()
    assert condition.get() == ("order_total", ">", "5000")
    assert [condition.op.itemText(i) for i in range(condition.op.count())] == [
        ">", ">=", "<", "<=", "=", "!=",
    ]  # fmt: skip

    window.set_work_offline(True)  # queued offline like everything else
    condition.value.selectAll()
    qtbot.keyClicks(condition.value, "7500")
    assert dialog.dirty
    dialog.save_button.click()
    settle(window)
    [entry] = queued(window, "approval_rule.save")
    assert entry.args["name"] == "Large order" and entry.args["base_version"] == 1
    assert entry.args["conditions"] == [{"field": "order_total", "op": ">", "value": "7500"}]
    assert entry.args["approvers"]["roles"] == ["admin"]
    assert dialog.problem.isHidden()
    assert "saved" in dialog.note.text()
    large = next(v for v in dialog.model.rows if v.rule.name == "Large order")
    assert large.unsent
    assert "not synced yet" in dialog.version.text()

    # A rule without a condition is refused here, in words, and nothing is queued.
    dialog.new_button.click()
    assert dialog.form.rule_id is None and len(dialog.form.rows()) == 1
    qtbot.keyClicks(dialog.form.name, "Everything")
    fresh = dialog.form.rows()[0]
    fresh.field.setCurrentIndex(fresh.field.findData("category"))  # operators follow the field
    assert [fresh.op.itemText(i) for i in range(fresh.op.count())] == ["in", "not in"]
    fresh.remove.click()
    settle(window)
    assert dialog.form.rows() == []
    dialog.save_button.click()
    settle(window)
    assert dialog.isVisible()
    assert not dialog.problem.isHidden()
    assert "needs at least one condition" in dialog.problem.text()
    assert len(queued(window, "approval_rule.save")) == 1
    save_shot(dialog, "rules-editor-refused.png", tmp_path)

    # Back to the list (discarding that typing, when asked) and online: the server versions it.
    asked: list[str] = []

    def discard(*args: object, **_kw: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", discard)
    select_rule(dialog, "Large order")
    assert asked and "Everything" in asked[0]
    window.set_work_offline(False)
    ok, message = sync(qtbot, window)
    assert ok, message
    wait_for(qtbot, window, lambda: "Version 2" in dialog.version.text())
    large = next(v for v in dialog.model.rows if v.rule.name == "Large order")
    assert not large.unsent and large.rule.version == 2
    assert dialog.form.rows()[0].get() == ("order_total", ">", "7500")
    assert "last changed by" in dialog.version.text()
    shot = save_shot(dialog, "rules-editor.png", tmp_path)
    assert shot.stat().st_size > 10_000


def test_the_admin_sets_a_spending_limit(
    qtbot: QtBot, server: RunningServer, tmp_path: Path
) -> None:
    window = open_window(qtbot, signed_in(server, tmp_path / "admin", "admin", "demo-admin"))
    dialog = rules_dialog(qtbot, window)
    dialog.tabs.setCurrentWidget(dialog.limits)
    window.set_work_offline(True)
    email = f"buyer2@{DOMAIN}"
    editor = dialog.limits.editors[email]
    assert editor.text() == "1000"
    editor.selectAll()
    qtbot.keyClicks(editor, "not much")
    dialog.limits.buttons[email].click()
    settle(window)
    assert "not an amount" in dialog.limits.problem.text()
    assert queued(window, "user.set_limit") == []

    editor = dialog.limits.editors[email]
    editor.selectAll()
    qtbot.keyClicks(editor, "4000")
    dialog.limits.buttons[email].click()
    settle(window)
    assert dialog.limits.problem.isHidden()
    assert "queued" in dialog.limits.note.text()
    [entry] = queued(window, "user.set_limit")
    assert entry.args["spending_limit"] == "4000"

    def shown() -> str:
        table = dialog.limits.table
        emails = [table.item(r, 1).text() for r in range(table.rowCount())]
        return table.item(emails.index(email), 3).text()

    assert shown() == "4,000.00 EUR (not synced yet)"
    window.set_work_offline(False)
    ok, message = sync(qtbot, window)
    assert ok, message
    wait_for(qtbot, window, lambda: shown() == "4,000.00 EUR")
    assert dialog.limits.note.text() == ""  # no more "queued …": the server has it
    save_shot(dialog, "rules-editor-limits.png", tmp_path)
    with Workspace(signed_in(server, tmp_path / "buyer2", "buyer2", "demo-buyer2")) as ws:
        me = ws.approvals.me()
    assert me is not None and me.spending_limit == Decimal("4000")


def test_a_buyer_sees_the_rules_read_only(
    qtbot: QtBot, server: RunningServer, tmp_path: Path
) -> None:
    window = open_window(qtbot, signed_in(server, tmp_path / "buyer", "buyer1", "demo-buyer1"))
    dialog = rules_dialog(qtbot, window, from_page=True)
    assert dialog.read_only_note.isVisible()
    assert "Only account admins can change rules and limits" in dialog.read_only_note.text()
    for widget in (dialog.save_button, dialog.new_button, dialog.delete_button,
                   dialog.form.name, dialog.form.add_condition, *dialog.form.rows()):  # fmt: skip
        assert not widget.isEnabled()
    dialog.save_rule()  # even when called: nothing is queued
    settle(window)
    assert queued(window, "approval_rule.save") == []
    assert all(not e.isEnabled() for e in dialog.limits.editors.values())
    assert dialog.limits.editors, "the users are listed, read-only"
    save_shot(dialog, "rules-editor-read-only.png", tmp_path)
