"""`orderpad --self-test`: prove that this installation works, from source or from the bundle.

The steps run in order on a new temporary folder (never the person's data), each printed as
one line (``ok  replica migrations  0.05 s  schema version 2``); the first failure is named
(``FAIL ...``, traceback on stderr) and the exit code is 1. Qt runs offscreen unless
QT_QPA_PLATFORM says otherwise, so it also works on a machine without a display:

1. the Qt application (the app's style and icon) and the SVG/PNG plugins loading our icons;
2. a replica created and migrated;
3. one catalog page applied (a product with a barcode, through ``BucketPage.from_json``);
4. the main window built over that folder (no network, no sync), rendered once (``grab``);
5. a barcode and our own shelf-label code resolved through the quick-order scan path;
6. a PDF label sheet (QPdfWriter, python-barcode, QtSvg);
7. an XLSX written (openpyxl), imported as an order, and its report read back;
8. the support diagnostics.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from app.services.workspace import Workspace

SKU = "SELFTEST-1"
GTIN = "4006381333931"  # a valid EAN-13
WINDOW_TIMEOUT_MS = 15_000


class SelfTestError(Exception):
    """A check inside a step did not hold; the message says which."""


@dataclass(frozen=True, slots=True)
class StepResult:
    name: str
    seconds: float
    detail: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def line(self) -> str:
        status = "ok" if self.ok else "FAIL"
        text = self.detail if self.ok else self.error
        return f"{status:5}{self.name:22}{self.seconds:6.2f} s" + (f"  {text}" if text else "")


@dataclass
class _Run:
    """What the steps hand on to each other."""

    data_dir: Path
    scratch: Path
    workspace: Workspace | None = None
    closers: list[Callable[[], None]] = field(default_factory=list)

    @property
    def ws(self) -> Workspace:
        if self.workspace is None:
            raise SelfTestError("no replica (an earlier step failed)")
        return self.workspace


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SelfTestError(message)


# -- steps -------------------------------------------------------------------------------------
def step_qt(run: _Run) -> str:
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication

    from app.ui.app import application

    app = application()
    return f"Qt {qVersion()}, platform {QGuiApplication.platformName()}, style {app.style().name()}"


def step_icons(run: _Run) -> str:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QImage, QImageReader

    from app.ui.resources import icon, resource_dir

    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = {"svg", "png"} - formats
    _check(not missing, f"no Qt image format plugin for {', '.join(sorted(missing))}")
    icons = sorted((resource_dir() / "icons").glob("*.svg"))
    _check(bool(icons), f"no icons in {resource_dir() / 'icons'}")
    for path in icons:
        pixmap = icon(path.stem).pixmap(QSize(32, 32))
        _check(not pixmap.isNull(), f"icon {path.name} does not render (svg icon engine?)")
    png = run.scratch / "icon.png"
    _check(icon("app").pixmap(QSize(64, 64)).save(str(png)), "cannot write a PNG")
    _check(not QImage(str(png)).isNull(), "cannot read a PNG back")
    return f"{len(icons)} icons; image formats {len(formats)}"


def step_replica(run: _Run) -> str:
    from app.services.workspace import Workspace
    from app.store.migrations import current_version

    run.workspace = Workspace(run.data_dir)
    run.closers.append(run.workspace.close)
    with run.ws.replica.reading() as session:
        version = current_version(session.connection())
    _check(version > 0, "no migration ran")
    return f"schema version {version}"


def step_catalog(run: _Run) -> str:
    from app.store.pages import BucketPage

    product: dict[str, Any] = {
        "sku": SKU, "name": "Self-test hex bolt M8", "description": "Zinc plated steel",
        "category": "Fasteners", "brand": "Orderpad", "base_unit": "EA", "min_qty": "1",
        "multiple": "1", "list_price": "0.5000", "currency": "EUR", "status": "active",
        "replacement_sku": None, "units": [{"code": "EA", "factor": 1, "gtin": GTIN}],
    }  # fmt: skip
    page = BucketPage.from_json(
        {
            "bucket": "catalog:selftest",
            "reset": True,
            "from": 0,
            "to": 1,
            "complete": True,
            "rows": [{"entity": "product", "key": SKU, "position": 1, "data": product}],
            "checkpoint": None,
        }
    )
    run.ws.replica.apply_page(page)
    count = run.ws.replica.product_count()
    _check(count == 1, f"{count} products after applying one")
    return "1 product"


def step_window(run: _Run) -> str:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from app.services.workspace import Workspace
    from app.ui.context import AppContext, UiSettings
    from app.ui.main_window import MainWindow

    # The window gets its own workspace over the same folder, as the app does; no sync.
    ctx = AppContext(Workspace(run.data_dir), settings=UiSettings(sync_on_start=False))
    ctx.errors.show_dialogs = False
    errors: list[str] = []
    ctx.errors.reported.connect(lambda explained: errors.append(str(explained.message)))
    window = MainWindow(ctx)
    try:
        window.resize(1100, 720)
        window.show()
        QCoreApplication.processEvents()
        _check(ctx.ops.wait_idle(WINDOW_TIMEOUT_MS), "the screens did not finish loading")
        QCoreApplication.processEvents()
        image = window.grab()
        _check(not image.isNull() and image.width() > 0, "grab() gave an empty image")
        shot = run.scratch / "window.png"
        _check(image.save(str(shot)), f"cannot save {shot}")
        _check(not errors, f"the window reported: {'; '.join(errors)}")
        return f"{image.width()}x{image.height()} px"
    finally:
        window.shut_down()
        window.close()
        window.deleteLater()
        QApplication.processEvents()


def step_scan(run: _Run) -> str:
    from app.quickorder.scan import label_payload
    from app.services.quickorder import QuickOrderService

    service = QuickOrderService(run.ws)
    for code in (GTIN, label_payload(SKU)):
        result = service.resolve_scan(code)
        _check(result.sku == SKU, f"{code} resolved to {result.sku!r}: {result.message}")
    return f"{GTIN} and {label_payload(SKU)} -> {SKU}"


def step_label(run: _Run) -> str:
    from app.label_sheet import write_labels
    from app.services.quickorder import QuickOrderService

    labels = QuickOrderService(run.ws).labels_for([(SKU, "")])
    path = write_labels(run.scratch / "labels.pdf", labels, title="Self-test")
    data = path.read_bytes()
    _check(data.startswith(b"%PDF"), f"{path.name} is not a PDF")
    _check(len(data) > 1000, f"{path.name} has only {len(data)} bytes")
    return f"{len(data) / 1024:.0f} KiB"


def step_xlsx(run: _Run) -> str:
    import openpyxl

    from app.services.quickorder import QuickOrderService

    source = run.scratch / "order.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["SKU", "Quantity"])
    sheet.append([SKU, 3])
    book.save(source)
    report_path = run.scratch / "order-report.xlsx"
    outcome = QuickOrderService(run.ws).import_file(source, dry_run=True, report_to=report_path)
    _check(outcome.report is not None, "the columns were not recognised")
    assert outcome.report is not None
    skus = [line.sku for line in outcome.report.lines]
    _check(skus == [SKU], f"read {skus}, expected [{SKU!r}]")
    back = openpyxl.load_workbook(report_path, read_only=True)
    try:
        rows = list(back.worksheets[0].iter_rows(values_only=True))
    finally:
        back.close()
    _check(len(rows) >= 2 and rows[1][0] == SKU, f"the report has rows {rows[:2]}")
    return f"read 1 line, wrote a {len(rows[0])}-column report"


def step_diagnostics(run: _Run) -> str:
    from app.diagnostics import diagnostics_text

    text = diagnostics_text(run.ws)
    _check("schema version" in text and "Products 1" in text, "diagnostics lack the replica")
    return f"{len(text.splitlines())} lines"


STEPS: tuple[tuple[str, Callable[[_Run], str]], ...] = (
    ("qt application", step_qt),
    ("icons and plugins", step_icons),
    ("replica migrations", step_replica),
    ("catalog page", step_catalog),
    ("main window", step_window),
    ("barcode scan", step_scan),
    ("pdf label", step_label),
    ("xlsx read/write", step_xlsx),
    ("diagnostics", step_diagnostics),
)


def _ensure_platform() -> None:
    """Offscreen unless the caller chose a platform (``QT_QPA_PLATFORM=xcb orderpad
    --self-test`` checks the real display plugin)."""
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def quiet_platform_noise() -> None:
    """Drop the offscreen plugin's "does not support propagateSizeHints" lines (harmless);
    other Qt messages still go to stderr. For the command line only: a test runner installs
    its own handler."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    def handler(_kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if "This plugin does not support" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def run_steps(
    data_dir: Path | None = None, *, out: TextIO | None = None, err: TextIO | None = None
) -> list[StepResult]:
    """Run the steps until the first failure; ``data_dir`` (default: a new temporary folder)
    is where the replica goes. Returns what ran; the last result failed if any did."""
    _ensure_platform()
    out = out or sys.stdout
    err = err or sys.stderr
    results: list[StepResult] = []
    with tempfile.TemporaryDirectory(prefix="orderpad-selftest-") as tmp:
        run = _Run(data_dir=data_dir or Path(tmp) / "data", scratch=Path(tmp))
        try:
            for name, step in STEPS:
                started = time.perf_counter()
                try:
                    detail = step(run)
                except Exception as exc:
                    seconds = time.perf_counter() - started
                    message = str(exc) if isinstance(exc, SelfTestError) else (
                        f"{type(exc).__name__}: {exc}"
                    )  # fmt: skip
                    results.append(StepResult(name, seconds, error=message))
                    print(results[-1].line(), file=out, flush=True)
                    if not isinstance(exc, SelfTestError):
                        traceback.print_exc(file=err)
                    break
                results.append(StepResult(name, time.perf_counter() - started, detail))
                print(results[-1].line(), file=out, flush=True)
        finally:
            for close in reversed(run.closers):
                close()
    return results


def self_test(data_dir: Path | None = None, *, out: TextIO | None = None) -> int:
    """Run the self-test and print a summary; 0 when every step passed, 1 otherwise."""
    out = out or sys.stdout
    started = time.perf_counter()
    results = run_steps(data_dir, out=out)
    total = time.perf_counter() - started
    failed = next((r for r in results if not r.ok), None)
    if failed is not None:
        print(f"self-test FAILED at {failed.name}: {failed.error}", file=out, flush=True)
        return 1
    print(f"self-test passed: {len(results)} steps in {total:.2f} s", file=out, flush=True)
    return 0
