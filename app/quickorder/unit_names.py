"""Unit words buyers write ("pcs", "Stück", "carton") mapped to the catalog's unit codes."""

from __future__ import annotations

import unicodedata

from app.domain.units import ProductUnits

# Each code with the words that mean it. A word is used only when the product is sold in
# that code and has no unit literally called like the word.
_ALIASES: dict[str, tuple[str, ...]] = {
    "EA": ("each", "ea", "pc", "pcs", "piece", "pieces", "pce", "st", "stk", "stuck",
           "stueck", "pz", "pza", "pieza", "piezas", "unit", "units", "ud", "uds", "un",
           "unidad", "unite"),
    "BX": ("box", "boxes", "bx", "schachtel", "boite", "caja"),
    "CS": ("case", "cases", "cs", "carton", "cartons", "ctn", "ctns", "karton", "kt", "krt"),
    "PK": ("pack", "packs", "pk", "pkg", "package", "packung", "pck", "paquete", "paquet"),
    "PR": ("pair", "pairs", "pr", "paar"),
    "RL": ("roll", "rolls", "rl", "rolle", "rollen", "rouleau", "rollo"),
    "M": ("m", "meter", "metre", "meters", "metres", "mtr"),
    "KG": ("kg", "kilo", "kilos", "kilogram", "kilogramm"),
    "L": ("l", "liter", "litre", "liters", "litres", "ltr"),
    "PAL": ("pallet", "pallets", "palette", "pal", "plt"),
    "SET": ("set", "sets", "satz", "kit"),
}  # fmt: skip


def unit_key(text: str) -> str:
    """Lower-case, accents and dots removed: "Stück." -> "stuck"."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if c.isalnum())


_BY_WORD: dict[str, tuple[str, ...]] = {}
for _code, _words in _ALIASES.items():
    for _word in _words:
        _BY_WORD[_word] = (*_BY_WORD.get(_word, ()), _code)


def match_unit(text: str, units: ProductUnits) -> str | None:
    """The unit code of ``units`` that ``text`` names, or None.

    An exact code wins ("BX"); otherwise a known word for a code the product has ("box",
    "Karton" -> CS). The base unit is also reachable as "each"/"pcs" when it has another code.
    """
    if units.has(text):
        return text.strip().upper()
    key = unit_key(text)
    if not key:
        return None
    for code in units.codes:
        if unit_key(code) == key:
            return code
    for code in _BY_WORD.get(key, ()):
        if units.has(code):
            return code
    each = _ALIASES["EA"]
    if key in each and unit_key(units.base) in each:
        return units.base  # "pcs" for a product whose base unit is called PCE or ST
    return None
