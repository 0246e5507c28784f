"""`orderpad cart paste | cart import | scan`, run in-process as a script would run them."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.services.workspace import Workspace
from tests.quickorder.helpers import BOLT_BOX_GTIN, BOLT_EAN, build_replica
from tests.quickorder.workbooks import build


@pytest.fixture
def data(tmp_path: Path) -> Path:
    build_replica(tmp_path / "data").close()
    return tmp_path / "data"


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data-dir", str(data), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def cart_lines(data: Path, cart: str | None = None) -> list[tuple[str, str, str]]:
    with Workspace(data) as ws:
        return [(li.sku, f"{li.quantity:f}", li.unit) for li in ws.cart(cart).lines]


def test_paste_prints_one_entry_per_row_and_adds_the_good_lines(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("FAS-0001 12\nnope-1;2\n\nfas-0001\t3\tEA\n"))
    code, out, err = run(capsys, data, "cart", "paste", "--cart", "Site A", "--json")
    assert code == 1  # one row is an error; the others are still added
    entries: list[dict[str, Any]] = json.loads(out)
    assert [(e["row"], e["input"], e["sku"], e["quantity"], e["unit"], e["status"])
            for e in entries] == [
        (1, "FAS-0001 12", "FAS-0001", "15", "EA", "ok"),
        (2, "nope-1;2", "nope-1", "2", None, "error"),
        (4, "fas-0001\t3\tEA", "FAS-0001", "15", "EA", "ok"),
    ]  # fmt: skip
    assert entries[0]["unit_price"] == "0.4500" and entries[0]["merged_with"] == [4]
    assert entries[1]["message"].startswith("unknown item number 'nope-1'")
    assert "1 lines added to cart Site A" in err
    assert cart_lines(data, "Site A") == [("FAS-0001", "15", "EA")]


def test_paste_dry_run_changes_nothing(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("FAS-0014 5\n"))
    code, out, err = run(capsys, data, "cart", "paste", "--dry-run")
    assert code == 0 and "FAS-0014" in out and "dry run, nothing added" in err
    with Workspace(data) as ws:
        assert ws.outbox_entries() == []


def test_import_json_report_and_exit_code(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = build("site-order.xlsx", tmp_path)
    report = tmp_path / "report.xlsx"
    code, out, err = run(
        capsys, data, "cart", "import", str(source), "--json", "--report", str(report)
    )
    assert code == 1 and report.is_file() and "report written to" in err
    entries = json.loads(out)
    assert [e["row"] for e in entries] == [5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 16]
    assert entries[1] == {
        **entries[1], "row": 6, "input": "B6: 001234 | D6: 100", "sku": "001234",
        "quantity": "100", "unit": "EA", "unit_price": "0.1000", "status": "ok", "message": "",
    }  # fmt: skip
    assert cart_lines(data)[:1] == [("FAS-0001", "15", "EA")]
    good = tmp_path / "good.csv"
    good.write_text("SKU,QTY\nFAS-0014,4\n", encoding="utf-8")
    code, out, _ = run(capsys, data, "cart", "import", str(good), "--dry-run")
    assert code == 0 and "FAS-0014" in out


def test_import_asks_for_columns_then_remembers(
    data: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = build("unknown-layout.csv", tmp_path)
    code, out, err = run(capsys, data, "cart", "import", str(source), "--dry-run")
    assert code == 2 and out == ""
    assert "B: Code [FAS-0001, FAS-0014, TOOL-200] -> sku?" in err
    assert "--map sku=B,note=C,quantity=D" in err
    code, out, _ = run(capsys, data, "cart", "import", str(source), "--map", "sku=B,qty=D")
    assert code == 0 and len(cart_lines(data)) == 3
    code, out, err = run(capsys, data, "cart", "import", str(source), "--dry-run")
    assert code == 0 and "(remembered)" in err
    code, _, err = run(capsys, data, "cart", "import", str(source), "--map", "sku=B,qty=ZZZZ")
    assert code == 1 and "is not a column" in err


def test_scan_adds_codes_to_the_current_cart(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, data, "scan", BOLT_EAN, BOLT_EAN, BOLT_BOX_GTIN, "LOC:Bay 4", "OP:FAS-0002",
        "4000000000010", "--json",
    )  # fmt: skip
    assert code == 1  # the last code has a wrong check digit
    entries = json.loads(out)
    assert [(e["kind"], e["sku"], e["unit"], e["line"]) for e in entries] == [
        ("product", "FAS-0001", "EA", 1), ("product", "FAS-0001", "EA", 1),
        ("product", "FAS-0001", "BX", 2), ("location", None, None, None),
        ("product", "FAS-0002", "EA", 3), ("invalid", None, None, None),
    ]  # fmt: skip
    assert entries[4]["location"] == "Bay 4"
    assert "4 scans added to cart Default" in err
    assert cart_lines(data) == [("FAS-0001", "2", "EA"), ("FAS-0001", "1", "BX"),
                                ("FAS-0002", "1", "EA")]  # fmt: skip


def test_lists_labels_and_reorder_commands(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("FAS-0001 12\nGLV-L 2 CS\n"))
    assert run(capsys, data, "cart", "paste", "--cart", "W")[0] == 0
    code, out, _ = run(capsys, data, "lists", "create", "Shelf A", "--from-cart", "W")
    assert code == 0 and out.strip() == "list Shelf A saved with 2 lines"
    code, out, _ = run(capsys, data, "lists", "--json")
    assert code == 0 and [item["name"] for item in json.loads(out)] == ["Shelf A"]
    code, out, _ = run(capsys, data, "lists", "show", "shelf a", "--json")
    assert [(li["sku"], li["quantity"], li["unit"]) for li in json.loads(out)] == [
        ("FAS-0001", "12", "EA"), ("GLV-L", "2", "CS"),
    ]  # fmt: skip
    code, out, _ = run(capsys, data, "lists", "order", "Shelf A", "--cart", "X", "--json")
    assert code == 0 and [e["status"] for e in json.loads(out)] == ["ok", "ok"]
    pdf = tmp_path / "labels.pdf"
    code, out, _ = run(capsys, data, "labels", "Shelf A", "--out", str(pdf))
    assert code == 0 and pdf.read_bytes().startswith(b"%PDF") and "2 labels" in out
    code, out, _ = run(capsys, data, "lists", "export", "Shelf A", str(tmp_path / "a.xlsx"))
    assert code == 0 and (tmp_path / "a.xlsx").is_file()
    code, _, err = run(capsys, data, "reorder", "SO-404")
    assert code == 1 and "no order 'SO-404'" in err
    code, out, _ = run(capsys, data, "lists", "delete", "Shelf A")
    assert code == 0 and run(capsys, data, "lists")[1] == ""
