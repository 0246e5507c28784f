"""Quick-order benchmarks on a replica of N synthetic products (default 100,000), built
locally through ``Replica.apply_page`` so no server is needed:

- a 5,000-line XLSX validated and priced, beside a bare openpyxl read of the same file;
- 500 pasted lines checked and priced;
- scan resolution latency (p50/p95 over 10,000 scans, one read transaction each).

Run through the bench runner: ``python -m bench --only quickorder [--skus 100000]``.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from app.domain.gtin import make_gtin
from app.services.quickorder import QuickOrderService
from app.services.workspace import Workspace
from app.store.pages import BucketPage
from app.store.replica import Replica
from bench.record import Record, result

PAGE = 5000
LINES = 5000
PASTE_LINES = 500
SCANS = 10_000


def _sku(n: int) -> str:
    return f"SKU-{n:07d}"


def _ean(n: int) -> str:
    return make_gtin(f"40{n:010d}")


def _page(bucket: str, rows: list[dict[str, Any]], start: int) -> BucketPage:
    """Rows numbered start+1, start+2, … (positions are per bucket)."""
    for offset, row in enumerate(rows, start=1):
        row["position"] = start + offset
    return BucketPage.from_json(
        {"bucket": bucket, "reset": start == 0, "from": start, "to": start + len(rows),
         "complete": True, "rows": rows, "checkpoint": None}
    )  # fmt: skip


def _product(n: int) -> dict[str, Any]:
    units = [{"code": "EA", "factor": 1, "gtin": _ean(n)}]
    if n % 5 == 0:
        units.append({"code": "CS", "factor": 12, "gtin": make_gtin(f"1{_ean(n)[:-1]}")})
    return {
        "sku": _sku(n), "name": f"Product {n} steel zinc", "description": None,
        "category": f"Cat {n % 40}", "brand": "Acme", "base_unit": "EA", "min_qty": "1",
        "multiple": "1", "list_price": f"{1 + n % 97}.5000", "currency": "EUR",
        "status": "active", "replacement_sku": None, "units": units,
    }  # fmt: skip


def _price(n: int) -> dict[str, Any]:
    tiers = [{"min_qty": "0", "price": "1.2000"}, {"min_qty": "100", "price": "1.1000"}]
    return {"sku": _sku(n), "price_list": "STD", "currency": "EUR", "valid_from": None,
            "valid_to": None, "tiers": tiers}  # fmt: skip


def _stock(n: int) -> dict[str, Any]:
    warehouse = {
        "warehouse": "W1", "warehouse_name": "Main", "available": "500",
        "next_receipt_date": None, "next_receipt_qty": None, "lead_time_days": 2,
        "as_of": "2026-11-23T10:00:00+00:00",
    }  # fmt: skip
    return {"sku": _sku(n), "warehouses": [warehouse]}


def _row(entity: str, n: int, data: dict[str, Any]) -> dict[str, Any]:
    return {"entity": entity, "key": _sku(n), "position": 0, "deleted": False, "data": data}


def build_replica(data_dir: Path, skus: int) -> float:
    """Fill ``data_dir`` with ``skus`` products (EAN each, a case unit for every 5th), tier
    prices for every 2nd and stock for all; returns the seconds it took."""
    start = time.perf_counter()
    with Replica.open(data_dir) as replica:
        for first in range(0, skus, PAGE):
            numbers = range(first, min(first + PAGE, skus))
            products = [_row("product", n, _product(n)) for n in numbers]
            prices = [_row("price", n, _price(n)) for n in numbers if n % 2 == 0]
            stock = [_row("stock", n, _stock(n)) for n in numbers]
            replica.apply_page(_page("catalog:1", products, first))
            replica.apply_page(_page("prices:1", prices, (first + 1) // 2))
            replica.apply_page(_page("stock:1", stock, first))
        account = {"number": "A-1", "name": "Bench Ltd", "currency": "EUR"}
        row = {"entity": "account", "key": "A-1", "position": 1, "deleted": False, "data": account}
        replica.apply_page(_page("account:1", [row], 0))
    return time.perf_counter() - start


def write_order_xlsx(path: Path, skus: int, lines: int, rng: random.Random) -> None:
    """A buyer's order form: title block, header, ``lines`` rows of 7 columns (a few
    unknown SKUs and duplicates, quantities as numbers, a note now and then)."""
    book = Workbook()
    ws = book.active
    ws.title = "Order"
    ws["A1"] = "Bench Ltd – weekly order"
    ws.merge_cells("A1:G1")
    ws.append([])
    ws.append(["Pos", "Item number", "Description", "Qty", "Unit", "List price", "Note"])
    for pos in range(1, lines + 1):
        n = rng.randrange(skus)
        sku = _sku(n) if pos % 100 else f"XXX-{n:07d}"
        ws.append([pos, sku, f"Product {n} steel zinc", rng.randint(1, 200), "EA",
                   1 + n % 97 + 0.5, "urgent" if pos % 17 == 0 else None])  # fmt: skip
    book.save(path)


def bare_read(path: Path) -> float:
    start = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    for ws in book.worksheets:
        for _row in ws.iter_rows(values_only=True):
            pass
    book.close()
    return time.perf_counter() - start


def best_of(runs: int, measure: Callable[[], float]) -> float:
    return min(measure() for _ in range(runs))


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run(
    skus: int = 100_000,
    data_dir: Path | None = None,
    *,
    lines: int = LINES,
    scans: int = SCANS,
) -> list[Record]:
    """Run every benchmark (an XLSX of ``lines`` rows, ``scans`` scans); ``data_dir`` reuses
    a replica built earlier by this module."""
    results: list[Record] = []
    rng = random.Random(4)
    with tempfile.TemporaryDirectory(prefix="orderpad-qo-bench-") as tmp:
        tmpdir = Path(tmp)
        data = data_dir or tmpdir / "data"
        if data_dir is None:
            seconds = build_replica(data, skus)
            results.append(result(f"replica of {skus} SKUs via apply_page", seconds, "s"))
        xlsx = tmpdir / "order.xlsx"
        write_order_xlsx(xlsx, skus, lines, rng)
        noon = dt.datetime(2026, 11, 24, 12, tzinfo=dt.UTC)
        with Workspace(data, clock=lambda: noon) as ws:
            service = QuickOrderService(ws)
            service.import_file(xlsx, dry_run=True)  # warm the page cache and imports
            base = best_of(3, lambda: bare_read(xlsx))
            took = best_of(3, lambda: timed(lambda: service.import_file(xlsx, dry_run=True)))
            outcome = service.import_file(xlsx, dry_run=True)
            assert outcome.report is not None and len(outcome.report.rows()) == lines
            results.append(
                result(f"{lines}-line XLSX validated and priced", took, "s", baseline=base,
                       target=3.0, passed=took < 3.0 and took <= 1.5 * base,
                       note="best of 3; baseline: bare openpyxl read (read-only, values) of "
                            "the file; target < 3 s and within 1.5x the baseline")
            )  # fmt: skip
            text = "\n".join(
                f"{_sku(rng.randrange(skus))}\t{rng.randint(1, 50)}" for _ in range(PASTE_LINES)
            )
            took = best_of(3, lambda: timed(lambda: service.check_text(text)))
            results.append(
                result(f"paste of {PASTE_LINES} lines checked and priced", took, "s",
                       target=1.0, note="best of 3")
            )  # fmt: skip
            took = timed(lambda: service.paste(text, cart="bench"))
            results.append(result(f"paste of {PASTE_LINES} lines added to a cart", took, "s"))
            codes = [_ean(rng.randrange(skus)) for _ in range(scans)]
            latencies = []
            for code in codes:
                start = time.perf_counter()
                match = service.resolve_scan(code)
                latencies.append((time.perf_counter() - start) * 1000)
                assert match.ok
            cuts = statistics.quantiles(latencies, n=100)
            results.append(result(f"scan resolution p50 ({scans} scans)", cuts[49], "ms"))
            results.append(
                result(f"scan resolution p95 ({scans} scans)", cuts[94], "ms", target=5.0,
                       note="EAN to product, unit and price; one read transaction each")
            )  # fmt: skip
    return results
