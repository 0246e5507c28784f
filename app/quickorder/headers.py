"""Recognising column headers in English, German, French, Spanish, Italian and Dutch.

``header_field("Art.-Nr.")`` -> (Field.SKU, 3). Scores: 3 the whole header is a known name,
2 it starts with one ("Quantity ordered"), 1 it contains one. Words that mark a description,
price or total keep a column from counting as an item or quantity column.
"""

from __future__ import annotations

import re
import unicodedata

from app.quickorder.lines import Field

STATUS_HEADER = "Orderpad status"
MESSAGE_HEADER = "Orderpad message"
REPORT_HEADERS = (STATUS_HEADER, MESSAGE_HEADER)

_NAMES: dict[Field, tuple[str, ...]] = {
    Field.SKU: (
        "sku", "item", "item no", "item number", "item nr", "item code", "item id", "article",
        "article no", "article number", "art no", "art nr", "artnr", "artikel", "artikelnr",
        "artikelnummer", "artikel nr", "artikel nummer", "part", "part no", "part number",
        "part nr", "product", "product code", "product no", "product number", "product id",
        "produktnummer", "produkt nr", "material", "materialnummer", "material no",
        "catalog number", "catalogue number", "cat no", "order number", "order code",
        "bestellnummer", "best nr", "bestell nr", "reference", "ref", "ref article",
        "reference article", "code article", "numero article", "no article", "codigo",
        "codigo articulo", "codigo de articulo", "cod", "cod articulo", "referencia",
        "articulo", "codice",
        "codice articolo", "articolo", "artikelcode", "supplier sku", "supplier part number",
        "supplier item number", "vendor part number", "vendor sku", "lieferantenartikelnummer",
        "mpn", "model", "model no",
    ),
    Field.PART_NUMBER: (
        "customer part number", "customer part no", "customer part", "customer sku",
        "customer item number", "customer item", "our part number", "our part no",
        "our item number", "internal part number", "internal sku", "own part number",
        "kundenartikelnummer", "kunden artikelnummer", "kunden art nr", "kundenmaterialnummer",
        "eigene artikelnummer", "interne artikelnummer", "reference client", "ref client",
        "referencia cliente", "codigo cliente", "codice cliente", "klantartikelnummer",
    ),
    Field.BARCODE: (
        "barcode", "bar code", "ean", "ean13", "ean 13", "ean code", "ean nr", "ean nummer",
        "gtin", "gtin13", "gtin 13", "gtin14", "gtin 14", "upc", "upc code", "strichcode",
        "code barre", "code barres", "code ean", "codigo de barras", "codice a barre",
    ),
    Field.QUANTITY: (
        "qty", "quantity", "quantities", "order qty", "order quantity", "qty ordered",
        "quantity ordered", "count", "pieces", "menge", "bestellmenge", "anzahl",
        "stuckzahl", "stueckzahl", "quantite", "qte", "cantidad", "cant", "quantita",
        "aantal", "hoeveelheid", "ilosc", "pcs",
    ),
    Field.UNIT: (
        "unit", "units", "uom", "unit of measure", "unit of measurement", "um", "me",
        "einheit", "mengeneinheit", "unite", "unidad", "unidad de medida", "unita",
        "unita di misura", "eenheid", "pack unit", "ve",
    ),
    Field.NOTE: (
        "note", "notes", "comment", "comments", "remark", "remarks", "memo", "bemerkung",
        "bemerkungen", "notiz", "kommentar", "hinweis", "remarque", "commentaire", "nota",
        "notas", "comentario", "observaciones", "opmerking", "line note", "text",
    ),
}  # fmt: skip


# A header with one of these words is a description, price or total, never an item or quantity.
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NOT_ITEM = _words(
    "description descr name bezeichnung beschreibung benennung text designation libelle "
    "descripcion nombre descrizione omschrijving price preis prix precio prezzo prijs total "
    "summe gesamt betrag amount value wert cost kosten weight gewicht date datum"
)
_NOT_QUANTITY = _words(
    "price preis prix precio prezzo prijs betrag value wert cost kosten weight gewicht min "
    "minimum max maximum stock bestand lager available verfugbar pack packung per"
)
_NOT_UNIT = _words("price preis prix precio prezzo prijs cost kosten weight gewicht")

_PUNCT = re.compile(r"[^\w]+")


def normalise_header(text: str) -> str:
    """ "Art.-Nr." -> "art nr"; "Quantité" -> "quantite"; "Item #" -> "item no"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("#", " no "))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("ß", "ss").replace("_", " ")
    words = _PUNCT.sub(" ", plain).split()
    return " ".join(words)


_EXACT: dict[str, Field] = {}
for _field, _names in _NAMES.items():
    for _name in _names:
        _EXACT.setdefault(_name, _field)
_BY_LENGTH = sorted(_EXACT.items(), key=lambda item: -len(item[0]))
# A name can only be found in a header holding its first word: the names worth trying for
# each word, as (rank in _BY_LENGTH, name, field). Short one-word names count only as the
# whole header.
_BY_FIRST_WORD: dict[str, list[tuple[int, str, Field]]] = {}
for _rank, (_name, _field) in enumerate(_BY_LENGTH):
    if len(_name) >= 3 or " " in _name:
        _BY_FIRST_WORD.setdefault(_name.split()[0], []).append((_rank, _name, _field))


def header_field(text: str) -> tuple[Field, int] | None:
    """The field a header names and how sure that is (3, 2 or 1); None if none."""
    key = normalise_header(text)
    if not key or len(key) > 60:
        return None
    found = _EXACT.get(key) or _EXACT.get(key.replace(" ", ""))
    if found is not None:
        return found, 3
    words = set(key.split())
    candidates = [entry for word in words for entry in _BY_FIRST_WORD.get(word, ())]
    candidates.sort()
    for _rank, name, field in candidates:
        if key.startswith(name + " ") or f" {name} " in f" {key} ":
            if _vetoed(field, words):
                continue
            return field, 2 if key.startswith(name) else 1
    return None


def _vetoed(field: Field, words: set[str]) -> bool:
    if field in (Field.SKU, Field.PART_NUMBER, Field.BARCODE):
        return bool(words & _NOT_ITEM)
    if field is Field.QUANTITY:
        return bool(words & _NOT_QUANTITY)
    if field is Field.UNIT:
        return bool(words & _NOT_UNIT)
    return False


def is_report_header(text: str) -> bool:
    """True for the status and message columns a round-trip report added."""
    return normalise_header(text) in {normalise_header(h) for h in REPORT_HEADERS}
