"""Several profiles on one PC: the sign-in dialog adds one (its own data folder) and switches
between them; each keeps its own replica and outbox, and a switch loses nothing queued."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.services.profile import current_profile_dir
from app.services.workspace import OutboxEntry, Workspace
from app.ui.app import ProfileSwitcher
from app.ui.bus import Changes
from app.ui.context import AppContext, UiSettings
from app.ui.main_window import MainWindow
from app.ui.sign_in import SignInDialog
from tests.support import RunningServer
from tests.ui import fixtures
from tests.ui.fixtures import OFFSCREEN_NOISE, save_shot, set_test_font, settle, sync, wait_for

data_dir = fixtures.data_dir

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
CART = "Profiles test"


def _pending(window: MainWindow) -> list[OutboxEntry]:
    found: list[list[OutboxEntry]] = []
    window.ctx.ops.run(lambda ws: ws.outbox_entries(["pending"]), on_success=found.append)
    settle(window)
    return found[0]


def _add_line(window: MainWindow) -> None:
    def add(ws: Workspace) -> str:
        sku = ws.search_products("", limit=1)[0].sku
        product = ws.product(sku)
        assert product is not None
        quantity = max(product.min_qty, product.multiple, Decimal(1))
        return ws.add_to_cart(sku, quantity, cart=CART)  # not the shared account's Default

    window.ctx.ops.run(add, changes=Changes(cart=True, outbox=True))
    settle(window)


def _sign_in_dialog(qtbot: QtBot, window: MainWindow) -> SignInDialog:
    window.sign_in_action.trigger()
    wait_for(qtbot, window, lambda: window.sign_in_dialog is not None)
    dialog = window.sign_in_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_switching_profiles_keeps_each_outbox(
    qtbot: QtBot, data_dir: Path, demo_server: RunningServer, tmp_path: Path
) -> None:
    set_test_font()
    root = data_dir

    def context(folder: Path) -> AppContext:
        ctx = AppContext(
            Workspace(folder), settings=UiSettings(sync_on_start=False), profiles_root=root
        )
        ctx.errors.show_dialogs = False
        return ctx

    switcher = ProfileSwitcher(root, context)
    first = switcher.open(root)
    try:
        settle(first)
        mine = first.ctx.workspace.profile
        assert mine is not None
        _add_line(first)
        queued_first = [e.id for e in _pending(first)]
        assert queued_first

        # Another account's buyer, as a new profile.
        other = next(
            u
            for u in demo_server.users
            if "buyer" in u["roles"] and u["account"] != mine.account_number
        )
        dialog = _sign_in_dialog(qtbot, first)
        assert dialog.chooser.count() == 2  # this profile, and "New profile…"
        dialog.choose_new()
        dialog.server.setText(demo_server.url)
        dialog.email.setText(other["email"])
        dialog.password.setText(other["password"])
        with qtbot.waitSignal(switcher.switched, timeout=30_000) as switched:
            dialog.ok.click()
        second: MainWindow = switched.args[0]
        settle(second)
        second_dir = second.ctx.workspace.data_dir
        assert second_dir.parent == root / "profiles"
        theirs = second.ctx.workspace.profile
        assert theirs is not None and theirs.account_number == other["account"]
        # Its own outbox (its default cart may be queued), none of the first one's entries.
        assert not {e.id for e in _pending(second)} & set(queued_first)
        ok, message = sync(qtbot, second)
        assert ok, message
        second.ctx.sync.set_work_offline(True)  # keep this one queued
        _add_line(second)
        queued_second = [e.id for e in _pending(second)]
        assert queued_second and not set(queued_second) & set(queued_first)
        assert current_profile_dir(root) == second_dir  # the next start opens it

        # Back to the first profile: no password needed; its queue is as it was.
        dialog = _sign_in_dialog(qtbot, second)
        assert dialog.chooser.count() == 3
        dialog.chooser.setCurrentIndex(0)
        assert dialog.ok.text() == "Switch" and dialog.email.isReadOnly()
        save_shot(dialog, "profiles.png", tmp_path)
        with qtbot.waitSignal(switcher.switched, timeout=30_000) as switched:
            dialog.ok.click()
        third: MainWindow = switched.args[0]
        settle(third)
        assert third.ctx.workspace.data_dir == root
        assert [e.id for e in _pending(third)] == queued_first
        ok, message = sync(qtbot, third)  # sends the first profile's queue, only that
        assert ok, message
        assert _pending(third) == []
    finally:
        if switcher.window is not None:
            switcher.window.shut_down()
            switcher.window.close()
    with Workspace(second_dir) as ws:  # the second profile's queue waits in its own folder
        assert [e.id for e in ws.outbox_entries(["pending"])] == queued_second
    assert current_profile_dir(root) == root
