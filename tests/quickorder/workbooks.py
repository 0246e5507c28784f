"""Realistic, messy buyer files for the golden tests, built with openpyxl and plain bytes.

``python -m tests.quickorder.workbooks DIR`` writes them all to DIR (tests/quickorder/files
holds a generated copy for people to open; the tests always build fresh ones).
"""

from __future__ import annotations

import re
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from tests.quickorder.helpers import BOLT_BOX_GTIN, BOLT_EAN


def site_order(path: Path) -> Path:
    """A German order form: info sheet first, merged title block, numeric SKUs with a
    zero-padding format, a hidden row, a blank row, duplicates, a discontinued and an
    unknown item, a formula without a saved value, a decimal comma and a total row."""
    book = Workbook()
    info = book.active
    info.title = "Info"
    info["A1"] = "Please send this form to orders@supplier.example"
    info["A3"] = "Delivery: Mon-Fri"
    ws = book.create_sheet("Bestellung")
    ws["A1"] = "ACME Bau GmbH – Bestellung Baustelle Nord"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:F1")
    ws["A2"] = "Datum: 24.11.2026"
    ws.merge_cells("A2:C2")
    ws.append([])  # row 3 blank
    ws.append(["Pos", "Art.-Nr.", "Bezeichnung", "Menge", "ME", "Bemerkung"])  # row 4
    rows: list[list[object]] = [
        [1, "FAS-0001", "Sechskantschraube M8x40", 10, "Stk", None],  # 5
        [2, 1234, "Kabelbinder 200mm", 100, None, None],  # 6: shown as 001234
        [3, 4711, "Putztuch", 3, None, "blau"],  # 7
        [None, None, None, None, None, None],  # 8 blank
        [4, "FAS-0013", "Unterlegscheibe M8", 50, "EA", None],  # 9 hidden
        [5, " fas-0001 ", "Sechskantschraube (Nachtrag)", 5, "EA", None],  # 10 duplicate
        [6, "TOOL-100", "Akkuschrauber 12V", 1, "Stk", None],  # 11 discontinued
        [7, "FAS-9999", "?", 2, None, None],  # 12 unknown
        [8, "FAS-0002", "Mutter M8", "=D5*2", "EA", None],  # 13 formula, no saved value
        [9, "GLV-L", "Handschuhe", "2,5", "Karton", None],  # 14 text with decimal comma
        [10, "FAS-0002", "Mutter M8", 0, "EA", "nicht bestellen"],  # 15 zero
        [None, None, "Summe", "=SUM(D5:D15)", None, None],  # 16 total
    ]
    for values in rows:
        ws.append(values)
    ws["B6"].number_format = "000000"
    ws.row_dimensions[9].hidden = True
    book.save(path)
    return path


def formulas_with_saved_values(path: Path) -> Path:
    """Quantities computed by formulas, with the values Excel saves (patched into the XML,
    because openpyxl writes formulas without them)."""
    book = Workbook()
    ws = book.active
    ws.title = "Order"
    ws.append(["SKU", "Qty per site", "Sites", "Qty"])
    ws.append(["FAS-0001", 25, 4, "=B2*C2"])
    ws.append(["FAS-0014", 10, 3, "=B3*C3"])
    book.save(path)
    return with_saved_values(path, "Order", {"D2": "100", "D3": "30"})


def with_saved_values(path: Path, sheet: str, values: dict[str, str]) -> Path:
    """Write ``values`` as the saved results of the formulas in those cells."""
    del sheet  # the test books have their order sheet first
    with zipfile.ZipFile(path) as source:
        files = {name: source.read(name) for name in source.namelist()}
    name = "xl/worksheets/sheet1.xml"
    xml = files[name].decode()
    for ref, value in values.items():
        xml, count = re.subn(
            rf'(<c r="{ref}"[^>]*>)<f>([^<]*)</f><v\s*/>', rf"\1<f>\2</f><v>{value}</v>", xml
        )
        assert count == 1, ref
    files[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for file_name, data in files.items():
            target.writestr(file_name, data)
    return path


_INLINE = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: [^>]*)?>(.*?)</t></is></c>')
_SHARED_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SHARED_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def excel_like(path: Path) -> Path:
    """Rewrite openpyxl's inline strings as a shared-strings table, the way Excel saves."""
    with zipfile.ZipFile(path) as source:
        files = {name: source.read(name) for name in source.namelist()}
    strings: dict[str, int] = {}

    def shared(match: re.Match[str]) -> str:
        index = strings.setdefault(match.group(3), len(strings))
        return f'<c {match.group(1)}t="s"{match.group(2)}><v>{index}</v></c>'

    for name in [n for n in files if n.startswith("xl/worksheets/sheet")]:
        files[name] = _INLINE.sub(shared, files[name].decode()).encode()
    items = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    files["xl/sharedStrings.xml"] = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    ).encode()
    types = files["[Content_Types].xml"].decode()
    files["[Content_Types].xml"] = types.replace(
        "</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHARED_TYPE}"/></Types>',
    ).encode()
    rels = files["xl/_rels/workbook.xml.rels"].decode()
    files["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdShared" Type="{_SHARED_REL}" Target="sharedStrings.xml"/>'
        "</Relationships>",
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for file_name, data in files.items():
            target.writestr(file_name, data)
    return path


def site_order_as_saved_by_excel(path: Path) -> Path:
    """``site_order`` with a shared-strings table, as Excel writes text."""
    return excel_like(site_order(path))


def numbers_as_numbers(path: Path) -> Path:
    """Item numbers typed into number cells: a 13-digit EAN (Excel shows 4.00638E+12), a
    GTIN-14 stored as float, a plain integer SKU, and floats that are whole."""
    book = Workbook()
    ws = book.active
    ws.append(["Item Number", "Quantity", "Unit"])
    ws.append([int(BOLT_EAN), 3.0, "EA"])  # the bolt's EAN as a number
    ws.append([float(BOLT_BOX_GTIN), 1, None])  # a GTIN-14 as a float: the box
    ws.append([4711.0, 2, None])
    ws.append(["TAPE-1", 1.5, None])  # a fraction of a whole-piece item
    book.save(path)
    return path


def german_csv(path: Path) -> Path:
    """Excel's "CSV (Trennzeichen-getrennt)" on a German PC: Windows-1252, semicolons,
    decimal commas, a title line, quoted text and umlauts."""
    text = (
        "Bestellung Werkstatt;;;\r\n"
        "Artikelnummer;Menge;Einheit;Bemerkung\r\n"
        'FAS-0001;1.000;Stück;"Größe M8; verzinkt"\r\n'
        "CBL-5;12,5;m;\r\n"
        "001234;20;;\r\n"
        ";;;\r\n"
        "FAS-0014;3;Stk.;für Halle 2\r\n"
    )
    path.write_bytes(text.encode("cp1252"))
    return path


def sku_qty_csv(path: Path) -> Path:
    """The `SKU,QTY` template other platforms export, UTF-8 with a BOM."""
    path.write_bytes("\ufeffSKU,QTY\r\nFAS-0001,12\r\nTOOL-200,1\r\nfas-0001,8\r\n".encode())
    return path


def item_number_csv(path: Path) -> Path:
    """The `Item Number, Quantity, Unit` template, with an item number Excel turned into
    scientific notation when the file was last saved."""
    path.write_text(
        "Item Number, Quantity, Unit\nFAS-0002, 2, BX\n1.23457E+12, 4, EA\nGLV-L, 1, CS\n",
        encoding="utf-8",
    )
    return path


def unknown_layout_csv(path: Path) -> Path:
    """No header names quick order knows: the columns must be confirmed once."""
    path.write_text(
        "Pos|Code|Text|Anz\n1|FAS-0001|Schraube|12\n2|FAS-0014|Scheibe|30\n3|TOOL-200|Bohrer|1\n",
        encoding="utf-8",
    )
    return path


def two_item_columns(path: Path) -> Path:
    """Two columns could be the item number: the buyer must say which."""
    book = Workbook()
    ws = book.active
    ws.append(["Item", "Article", "Qty"])
    ws.append(["Bolts", "FAS-0001", 5])
    ws.append(["Washers", "FAS-0014", 9])
    book.save(path)
    return path


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "site-order.xlsx": site_order,
    "site-order-excel.xlsx": site_order_as_saved_by_excel,
    "formulas-with-saved-values.xlsx": formulas_with_saved_values,
    "numbers-as-numbers.xlsx": numbers_as_numbers,
    "german-windows-1252.csv": german_csv,
    "sku-qty-template.csv": sku_qty_csv,
    "item-number-template.csv": item_number_csv,
    "unknown-layout.csv": unknown_layout_csv,
    "two-item-columns.xlsx": two_item_columns,
}


def build(name: str, directory: Path) -> Path:
    return BUILDERS[name](directory / name)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/quickorder/files")
    target.mkdir(parents=True, exist_ok=True)
    for file_name in BUILDERS:
        print(build(file_name, target))
