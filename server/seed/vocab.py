"""Words the demo catalog is made of: categories, product families, brands.

A product family is a name pattern with slots (``"Hex bolt DIN 933 M{d}×{l} {finish}"``)
and the facts every product made from it shares: base unit, price range, pack sizes,
sales multiples. Everything here is data; `catalog.py` turns it into products.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Family:
    """One kind of product; ``slots`` maps each ``{name}`` in ``pattern`` to its choices."""

    pattern: str
    slots: dict[str, tuple[str, ...]]
    price: tuple[Decimal, Decimal]
    blurb: str
    base_unit: str = "EA"
    boxes: tuple[int, ...] = (10, 12, 25, 50, 100)
    pack_code: str = "BX"
    multiples: tuple[int, ...] = (1,)
    # A slot whose value is also the sales multiple (a 5 L canister is sold in steps of 5 L).
    container_slot: str | None = None


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    prefix: str
    weight: int
    brands: tuple[str, ...]
    families: tuple[Family, ...] = field(default_factory=tuple)


def _p(low: str, high: str) -> tuple[Decimal, Decimal]:
    return Decimal(low), Decimal(high)


_METRIC = ("M3", "M4", "M5", "M6", "M8", "M10", "M12", "M16", "M20")
_SHORT = ("8", "10", "12", "16", "20", "25", "30", "35", "40", "50", "60")
_FINISH = ("zinc plated", "stainless A2", "stainless A4", "hot-dip galvanised", "plain steel")
_SIZES = ("S", "M", "L", "XL", "XXL")
_GRIT = ("40", "60", "80", "100", "120", "180", "240", "320")
_DIAMETER = ("115 mm", "125 mm", "150 mm", "180 mm", "230 mm")
_PIPE = ("15 mm", "18 mm", "22 mm", "28 mm", "35 mm", "42 mm", "54 mm")
_THREAD = ('1/4"', '3/8"', '1/2"', '3/4"', '1"')
_CAN = ("1", "5", "10", "20")

CATEGORIES: tuple[Category, ...] = (
    Category(
        "Fasteners",
        "FAS",
        20,
        ("Rheinfix", "Steelform", "Bolzwerk", "Nordschraub"),
        (
            Family(
                "Hex bolt DIN 933 {d}×{l} {finish}",
                {"d": ("M3", "M4", "M5", "M6", "M8"), "l": _SHORT, "finish": _FINISH},
                _p("0.04", "0.90"),
                "Fully threaded hexagon head bolt, property class 8.8.",
                boxes=(50, 100, 200, 500),
                multiples=(1, 10, 50, 100),
            ),
            Family(
                "Hex bolt DIN 933 {d}×{l} {finish}",
                {
                    "d": ("M10", "M12", "M16", "M20"),
                    "l": ("30", "40", "50", "60", "80", "100", "120", "160"),
                    "finish": _FINISH,
                },
                _p("0.30", "4.80"),
                "Fully threaded hexagon head bolt, property class 8.8.",
                boxes=(10, 25, 50, 100),
                multiples=(1, 10, 25),
            ),
            Family(
                "Hex nut DIN 934 {d} {finish}",
                {"d": _METRIC, "finish": _FINISH},
                _p("0.01", "0.90"),
                "Hexagon nut, property class 8.",
                boxes=(100, 200, 500, 1000),
                multiples=(1, 10, 100),
            ),
            Family(
                "Flat washer DIN 125 {d} {finish}",
                {"d": _METRIC, "finish": _FINISH},
                _p("0.01", "0.40"),
                "Flat washer, form A, for hexagon bolts and nuts.",
                boxes=(100, 500, 1000),
                multiples=(1, 100),
            ),
            Family(
                "Wood screw {d}×{l} countersunk {drive}",
                {
                    "d": ("3.0", "3.5", "4.0", "4.5", "5.0", "6.0"),
                    "l": ("16", "20", "30", "40", "50", "60", "80"),
                    "drive": ("Torx", "PZ", "PH"),
                },
                _p("0.02", "0.35"),
                "Chipboard screw with partial thread and cutting tip.",
                boxes=(100, 200, 500, 1000),
                multiples=(1, 100),
            ),
            Family(
                "Nylon wall plug {d}×{l}",
                {"d": ("5", "6", "8", "10", "12"), "l": ("25", "30", "40", "50", "60")},
                _p("0.02", "0.30"),
                "Expansion plug for concrete, brick and stone.",
                boxes=(50, 100, 200),
                multiples=(1, 50),
            ),
            Family(
                "Threaded rod DIN 976 {d}×1000 {finish}",
                {"d": _METRIC, "finish": _FINISH},
                _p("0.80", "14.00"),
                "Threaded rod, 1 m length, cut to size on site.",
                boxes=(10, 25, 50),
            ),
        ),
    ),
    Category(
        "Safety",
        "SAF",
        9,
        ("ProGrip", "Schutzmann", "SafeLine", "Wachtel"),
        (
            Family(
                "Nitrile gloves powder-free size {size}",
                {"size": _SIZES},
                _p("0.05", "0.30"),
                "Disposable examination glove, 0.1 mm, food safe.",
                base_unit="PR",
                boxes=(50, 100),
                multiples=(1, 50),
            ),
            Family(
                "Cut-resistant gloves level {level} size {size}",
                {"level": ("B", "C", "D", "F"), "size": _SIZES},
                _p("2.90", "14.50"),
                "Knitted HPPE liner with PU palm coating, EN 388.",
                base_unit="PR",
                boxes=(10, 12),
            ),
            Family(
                "Safety glasses {lens} lens anti-fog",
                {"lens": ("clear", "tinted", "yellow", "mirror")},
                _p("2.50", "18.90"),
                "Wraparound safety spectacles, EN 166 1F.",
            ),
            Family(
                "Ear plugs foam SNR {snr} dB",
                {"snr": ("33", "35", "37")},
                _p("0.09", "0.45"),
                "Single-use ear plugs, individually paired.",
                base_unit="PR",
                boxes=(50, 200),
                multiples=(1, 50),
            ),
            Family(
                "FFP{ffp} respirator mask {valve}",
                {"ffp": ("1", "2", "3"), "valve": ("with valve", "without valve")},
                _p("0.60", "4.90"),
                "Folding respirator, EN 149, NR.",
                boxes=(10, 20),
                multiples=(1, 10),
            ),
            Family(
                "Hi-vis vest class {cls} {colour} size {size}",
                {"cls": ("1", "2"), "colour": ("yellow", "orange"), "size": _SIZES},
                _p("1.90", "9.50"),
                "High-visibility vest, EN ISO 20471, hook and loop.",
            ),
        ),
    ),
    Category(
        "Janitorial",
        "JAN",
        6,
        ("Klarwerk", "Putzmeister Pro", "Hygieno"),
        (
            Family(
                "Paper towels {ply}-ply {fold} fold",
                {"ply": ("1", "2", "3"), "fold": ("Z", "C", "V")},
                _p("0.01", "0.04"),
                "Hand towels for standard dispensers, recycled fibre.",
                boxes=(3000, 3750, 4000),
                multiples=(1, 250),
            ),
            Family(
                "Toilet paper {ply}-ply roll {sheets} sheets",
                {"ply": ("2", "3"), "sheets": ("250", "400", "500")},
                _p("0.18", "0.65"),
                "Tissue roll, FSC certified.",
                boxes=(8, 36, 64),
                multiples=(1, 8),
            ),
            Family(
                "All-purpose cleaner {scent} {can} L",
                {"scent": ("citrus", "neutral", "pine"), "can": _CAN},
                _p("1.10", "4.80"),
                "Concentrated surface cleaner, dilute 1:100.",
                base_unit="L",
                boxes=(),
                container_slot="can",
            ),
            Family(
                "Refuse sacks {litres} L {colour} {micron} µm",
                {
                    "litres": ("60", "120", "240"),
                    "colour": ("black", "blue", "clear"),
                    "micron": ("25", "40", "60"),
                },
                _p("0.06", "0.55"),
                "LDPE refuse sack on a roll.",
                boxes=(25, 50, 250),
                multiples=(1, 25),
            ),
            Family(
                "Microfibre cloth {colour} 40×40 cm",
                {"colour": ("blue", "red", "green", "yellow")},
                _p("0.45", "2.20"),
                "Colour-coded cleaning cloth, washable at 95 °C.",
                boxes=(10, 50),
            ),
        ),
    ),
    Category(
        "Electrical",
        "ELE",
        10,
        ("Voltmann", "Kabelwerk Süd", "Elektra", "Phasor"),
        (
            Family(
                "NYM-J {cores}×{mm2} mm² installation cable grey",
                {"cores": ("3", "4", "5"), "mm2": ("1.5", "2.5", "4", "6")},
                _p("0.55", "4.90"),
                "PVC-sheathed installation cable, sold by the metre.",
                base_unit="M",
                boxes=(50, 100),
                pack_code="RL",
            ),
            Family(
                "Cable tie {w}×{l} mm {colour}",
                {
                    "w": ("2.5", "3.6", "4.8", "7.6"),
                    "l": ("100", "200", "300", "450"),
                    "colour": ("black", "natural"),
                },
                _p("0.01", "0.20"),
                "Polyamide 6.6 cable tie, UV stabilised.",
                boxes=(100, 500, 1000),
                multiples=(1, 100),
            ),
            Family(
                "Wago lever connector {poles}-pole",
                {"poles": ("2", "3", "5")},
                _p("0.22", "0.80"),
                "Splicing connector for solid and stranded conductors.",
                boxes=(50, 100),
                multiples=(1, 10),
            ),
            Family(
                "Circuit breaker {char}{amps} {poles}",
                {
                    "char": ("B", "C"),
                    "amps": ("6", "10", "16", "20", "32"),
                    "poles": ("1-pole", "3-pole"),
                },
                _p("3.20", "38.00"),
                "Miniature circuit breaker 6 kA for DIN rail.",
                boxes=(6, 12),
            ),
            Family(
                "Heat-shrink tube {d} mm {colour} 1 m",
                {"d": ("3.2", "4.8", "6.4", "9.5", "12.7"), "colour": ("black", "red")},
                _p("0.30", "2.40"),
                "Shrink ratio 3:1 with adhesive lining.",
                boxes=(10, 25, 50),
            ),
        ),
    ),
    Category(
        "Abrasives",
        "ABR",
        6,
        ("Schleifkraft", "Korund", "Abrasa"),
        (
            Family(
                "Flap disc {dia} grit {grit} {kind}",
                {"dia": _DIAMETER, "grit": _GRIT, "kind": ("zirconia", "ceramic")},
                _p("1.40", "6.90"),
                "Conical flap disc for steel and stainless steel.",
                boxes=(10, 25),
                multiples=(1, 10),
            ),
            Family(
                "Cutting disc {dia}×1.0 mm inox",
                {"dia": _DIAMETER},
                _p("0.80", "3.60"),
                "Thin cutting disc, free of iron, sulphur and chlorine.",
                boxes=(25, 50),
                multiples=(1, 25),
            ),
            Family(
                "Sanding sheet {w} grit {grit} hook and loop",
                {
                    "w": ("93×186 mm", "115×230 mm", "Ø125 mm 8-hole", "Ø150 mm 15-hole"),
                    "grit": _GRIT,
                },
                _p("0.20", "1.10"),
                "Aluminium oxide paper for wood, paint and filler.",
                boxes=(50, 100),
                multiples=(1, 50),
            ),
            Family(
                "Abrasive roll {w} grit {grit} 25 m",
                {"w": ("25 mm", "40 mm", "50 mm"), "grit": _GRIT},
                _p("12.00", "34.00"),
                "Cloth-backed abrasive roll for hand finishing.",
                boxes=(5, 10),
            ),
        ),
    ),
    Category(
        "Adhesives & Sealants",
        "ADH",
        5,
        ("Klebtec", "Dichtfix", "Polybond"),
        (
            Family(
                "Silicone sealant {kind} {colour} 310 ml",
                {
                    "kind": ("sanitary", "neutral", "acrylic"),
                    "colour": ("white", "transparent", "grey", "black"),
                },
                _p("3.20", "9.80"),
                "Cartridge sealant, mould resistant, paintable variants.",
                boxes=(12, 25),
                multiples=(1, 12),
            ),
            Family(
                "Threadlocker {strength} strength {ml} ml",
                {"strength": ("low", "medium", "high"), "ml": ("10", "50", "250")},
                _p("6.50", "89.00"),
                "Anaerobic thread-locking adhesive.",
                boxes=(10,),
            ),
            Family(
                "PU construction foam {ml} ml {kind}",
                {"ml": ("500", "750"), "kind": ("gun grade", "straw", "fire-rated B1")},
                _p("4.90", "14.90"),
                "One-component polyurethane foam.",
                boxes=(12,),
                multiples=(1, 12),
            ),
            Family(
                "Epoxy adhesive 2K {time} min {ml} ml",
                {"time": ("5", "30", "90"), "ml": ("24", "50", "400")},
                _p("5.90", "64.00"),
                "Two-component epoxy for metal, glass and ceramics.",
                boxes=(6, 12),
            ),
        ),
    ),
    Category(
        "Hand Tools",
        "HTL",
        8,
        ("Werkmeister", "Hartmann Tools", "Zange & Co"),
        (
            Family(
                "Combination spanner {mm} mm",
                {"mm": tuple(str(n) for n in range(6, 33))},
                _p("3.90", "24.00"),
                "Chrome vanadium, 15° offset ring end.",
                boxes=(5, 10),
            ),
            Family(
                "Screwdriver {tip} {size}×{len} mm",
                {
                    "tip": ("slotted", "PH", "PZ", "Torx"),
                    "size": ("1", "2", "3", "T20", "T25", "5.5"),
                    "len": ("75", "100", "125", "150"),
                },
                _p("2.90", "11.50"),
                "Two-component handle, magnetic tip.",
                boxes=(6, 12),
            ),
            Family(
                "Claw hammer {g} g {handle} handle",
                {"g": ("300", "450", "600"), "handle": ("fibreglass", "hickory", "steel")},
                _p("9.90", "34.00"),
                "Forged head, hardened and tempered.",
                boxes=(6,),
            ),
            Family(
                "Utility knife blades trapezoid {pack}-pack",
                {"pack": ("10", "50", "100")},
                _p("0.90", "19.00"),
                "Standard trapezoid blades, 0.6 mm.",
                boxes=(10, 20),
            ),
            Family(
                "Tape measure {m} m × {w} mm",
                {"m": ("3", "5", "8", "10"), "w": ("16", "19", "25")},
                _p("3.50", "18.00"),
                "Class II steel tape with belt clip.",
                boxes=(6, 12),
            ),
        ),
    ),
    Category(
        "Power Tool Accessories",
        "PTA",
        7,
        ("Bohrfix", "Sägemeister", "Bitmaster"),
        (
            Family(
                "HSS-G twist drill {mm} mm DIN 338",
                {"mm": tuple(f"{n / 2:.1f}" for n in range(2, 27))},
                _p("0.60", "12.00"),
                "Ground twist drill for steel up to 900 N/mm².",
                boxes=(5, 10),
                multiples=(1, 5, 10),
            ),
            Family(
                "SDS-plus hammer drill bit {mm}×{len} mm",
                {
                    "mm": ("5", "6", "8", "10", "12", "14", "16"),
                    "len": ("110", "160", "210", "260", "450"),
                },
                _p("2.40", "18.50"),
                "Four-cutter carbide tip for reinforced concrete.",
                boxes=(5, 10),
            ),
            Family(
                "Jigsaw blade {kind} T-shank {pack}-pack",
                {
                    "kind": ("wood", "metal", "laminate", "multi-material"),
                    "pack": ("5", "25", "100"),
                },
                _p("3.20", "49.00"),
                "Universal T-shank jigsaw blades.",
                boxes=(10,),
            ),
            Family(
                "Screwdriver bit {tip} {len} mm",
                {"tip": ("PH2", "PZ2", "T20", "T25", "T30", "SW5"), "len": ("25", "50", "90")},
                _p("0.45", "3.90"),
                'Torsion bit, 1/4" hex shank.',
                boxes=(10, 25, 100),
                multiples=(1, 10),
            ),
        ),
    ),
    Category(
        "Material Handling",
        "MHD",
        4,
        ("Lastmann", "Hebefix", "Rollwerk"),
        (
            Family(
                "Ratchet strap {t} t {m} m",
                {"t": ("0.8", "2", "5"), "m": ("4", "6", "8", "10")},
                _p("6.90", "39.00"),
                "Two-piece lashing strap, EN 12195-2.",
                boxes=(10,),
            ),
            Family(
                "Castor {kind} {mm} mm {load} kg",
                {
                    "kind": ("swivel", "swivel with brake", "fixed"),
                    "mm": ("80", "100", "125", "160", "200"),
                    "load": ("100", "150", "250"),
                },
                _p("6.50", "42.00"),
                "Polyurethane wheel, ball bearing.",
                boxes=(4, 10),
            ),
            Family(
                "Storage bin size {n} {colour}",
                {"n": ("1", "2", "3", "4", "5"), "colour": ("blue", "red", "grey", "yellow")},
                _p("0.90", "12.50"),
                "Stackable polypropylene open-fronted bin.",
                boxes=(10, 20, 30),
            ),
            Family(
                "Round sling {t} t {m} m",
                {"t": ("1", "2", "3", "5"), "m": ("1", "2", "3", "4")},
                _p("7.50", "49.00"),
                "Polyester round sling, EN 1492-2, colour-coded.",
                boxes=(),
            ),
        ),
    ),
    Category(
        "Plumbing",
        "PLB",
        7,
        ("Rohrwerk", "Aquafit", "Pressline"),
        (
            Family(
                "Copper press elbow 90° {pipe}",
                {"pipe": _PIPE},
                _p("1.20", "18.00"),
                "Press fitting with EPDM seal, for drinking water and heating.",
                boxes=(10, 25),
                multiples=(1, 5),
            ),
            Family(
                "Brass ball valve {thread} {ends}",
                {"thread": _THREAD, "ends": ("FF", "MF", "with drain")},
                _p("4.90", "39.00"),
                "Full bore ball valve PN 25 with lever handle.",
                boxes=(5, 10),
            ),
            Family(
                "PTFE thread seal tape 12 mm × {m} m",
                {"m": ("10", "12", "20")},
                _p("0.35", "1.40"),
                "Sealing tape for threaded joints.",
                boxes=(10, 50),
                multiples=(1, 10),
            ),
            Family(
                "Pipe clamp {range} mm M8/M10",
                {"range": ("15-19", "20-25", "26-30", "32-37", "40-46", "48-53")},
                _p("0.70", "3.20"),
                "Single-screw clamp with rubber insert.",
                boxes=(25, 50, 100),
                multiples=(1, 25),
            ),
        ),
    ),
    Category(
        "Welding",
        "WLD",
        4,
        ("Schweisstec", "Lichtbogen", "Argona"),
        (
            Family(
                "MIG wire SG2 {mm} mm {kg} kg spool",
                {"mm": ("0.8", "1.0", "1.2"), "kg": ("5", "15", "18")},
                _p("18.00", "79.00"),
                "Copper-coated solid wire, ER70S-6.",
                boxes=(),
            ),
            Family(
                "Stick electrode rutile {mm}×{len} mm",
                {"mm": ("2.0", "2.5", "3.2", "4.0"), "len": ("300", "350", "450")},
                _p("0.09", "0.45"),
                "E 6013 all-position electrode.",
                boxes=(100, 200),
                multiples=(1, 50),
            ),
            Family(
                "Contact tip M6 {mm} mm",
                {"mm": ("0.8", "1.0", "1.2")},
                _p("0.30", "1.20"),
                "CuCrZr contact tip for MB 24/25 torches.",
                boxes=(10, 25),
                multiples=(1, 10),
            ),
            Family(
                "Welding glove {kind} size {size}",
                {"kind": ("TIG goatskin", "MIG cowhide"), "size": ("9", "10", "11")},
                _p("4.50", "16.00"),
                "Heat-resistant welding gauntlet, EN 12477.",
                base_unit="PR",
                boxes=(12,),
            ),
        ),
    ),
    Category(
        "Lubricants",
        "LUB",
        3,
        ("Schmierwerk", "Oleo Tec", "Gleitol"),
        (
            Family(
                "Cutting oil {kind} {can} L",
                {"kind": ("water-miscible", "neat"), "can": _CAN},
                _p("3.90", "11.00"),
                "Metalworking fluid for drilling, turning and tapping.",
                base_unit="L",
                boxes=(),
                container_slot="can",
            ),
            Family(
                "Hydraulic oil HLP {vg} {can} L",
                {"vg": ("32", "46", "68"), "can": ("5", "20")},
                _p("2.60", "6.40"),
                "Mineral hydraulic oil to DIN 51524-2.",
                base_unit="L",
                boxes=(),
                container_slot="can",
            ),
            Family(
                "Multi-purpose grease {grade} {g} g cartridge",
                {"grade": ("NLGI 2", "NLGI 3", "EP 2"), "g": ("400", "500")},
                _p("3.90", "12.50"),
                "Lithium-soap grease for bearings.",
                boxes=(12, 24),
                multiples=(1, 12),
            ),
            Family(
                "Penetrating oil spray {ml} ml",
                {"ml": ("300", "400", "500")},
                _p("3.50", "9.90"),
                "Releases rusted bolts and displaces moisture.",
                boxes=(12, 24),
                multiples=(1, 12),
            ),
        ),
    ),
    Category(
        "Packaging",
        "PKG",
        4,
        ("Packfix", "Kartonage Nord", "Wrapline"),
        (
            Family(
                "Folding box {l}×{w}×{h} mm {wall}",
                {
                    "l": ("200", "300", "400", "600"),
                    "w": ("150", "200", "300", "400"),
                    "h": ("100", "150", "200", "300"),
                    "wall": ("single wall", "double wall"),
                },
                _p("0.25", "2.80"),
                "Brown corrugated shipping box, FEFCO 0201.",
                boxes=(25, 50),
                multiples=(1, 25),
            ),
            Family(
                "Packing tape {kind} {w} mm × 66 m {colour}",
                {
                    "kind": ("PP", "PVC", "paper"),
                    "w": ("38", "50", "75"),
                    "colour": ("brown", "clear"),
                },
                _p("0.90", "4.20"),
                "Self-adhesive packing tape, low-noise unwind.",
                boxes=(6, 36),
                multiples=(1, 6),
            ),
            Family(
                "Stretch film {mic} µm × {w} mm hand roll",
                {"mic": ("17", "20", "23"), "w": ("450", "500")},
                _p("6.90", "18.00"),
                "Cast stretch film for pallet wrapping.",
                boxes=(6,),
            ),
            Family(
                "Bubble wrap {w} mm × {m} m",
                {"w": ("500", "1000", "1500"), "m": ("50", "100")},
                _p("9.90", "49.00"),
                "Protective air-bubble film, 2-layer.",
                boxes=(),
            ),
        ),
    ),
    Category(
        "Lighting",
        "LGT",
        4,
        ("Lumatec", "Hellwerk", "Lichtpunkt"),
        (
            Family(
                "LED panel {size} {w} W {k} K",
                {
                    "size": ("600×600", "1200×300", "625×625"),
                    "w": ("30", "36", "40"),
                    "k": ("3000", "4000", "6500"),
                },
                _p("24.00", "89.00"),
                "Flat LED panel for suspended ceilings, UGR < 19.",
                boxes=(2, 4),
            ),
            Family(
                "LED tube T8 {mm} mm {w} W {k} K",
                {
                    "mm": ("600", "1200", "1500"),
                    "w": ("9", "18", "24"),
                    "k": ("3000", "4000", "6500"),
                },
                _p("3.90", "14.50"),
                "Retrofit tube, glass body, rotatable end caps.",
                boxes=(10, 25),
            ),
            Family(
                "LED lamp {cap} {w} W {k} K",
                {
                    "cap": ("E27", "E14", "GU10"),
                    "w": ("4.9", "7", "9.5", "13"),
                    "k": ("2700", "4000"),
                },
                _p("1.90", "8.90"),
                "Replacement lamp, 15,000 h life.",
                boxes=(10,),
            ),
            Family(
                "LED floodlight {w} W IP65 {k} K",
                {"w": ("20", "30", "50", "100"), "k": ("4000", "5000")},
                _p("14.90", "79.00"),
                "Die-cast aluminium floodlight with bracket.",
                boxes=(),
            ),
        ),
    ),
    Category(
        "Hydraulics",
        "HYD",
        3,
        ("Hydrotec", "Druckwerk", "Fluidline"),
        (
            Family(
                "Hydraulic hose 2SN DN{dn} per metre",
                {"dn": ("6", "8", "10", "12", "16", "20")},
                _p("4.90", "19.00"),
                "Two-wire braided hose to EN 853 2SN.",
                base_unit="M",
                boxes=(25, 50),
                pack_code="RL",
            ),
            Family(
                "Hydraulic fitting {kind} {size}",
                {
                    "kind": ("straight", "90° elbow", "tee"),
                    "size": ("DKOL 12L", "DKOL 15L", "DKOS 16S", "DKOS 20S"),
                },
                _p("2.90", "24.00"),
                "Steel compression fitting, zinc-nickel plated.",
                boxes=(5, 10),
                multiples=(1, 5),
            ),
            Family(
                "O-ring NBR 70 {d}×{w} mm",
                {"d": ("6", "10", "16", "20", "25", "32"), "w": ("1.5", "2", "2.5", "3")},
                _p("0.04", "0.60"),
                "Nitrile rubber O-ring, Shore A 70.",
                boxes=(100, 250),
                multiples=(1, 10, 50),
            ),
        ),
    ),
)

DESCRIPTION_TAILS: tuple[str, ...] = (
    "Stocked in all three warehouses.",
    "Suitable for professional and industrial use.",
    "Meets the relevant EN standard; data sheet on request.",
    "Popular with maintenance and facility teams.",
    "Consistent quality from batch to batch.",
    "",
)

WAREHOUSES: tuple[tuple[str, str, tuple[int, int]], ...] = (
    # code, name, usual lead time in days (low, high)
    ("DUS", "Düsseldorf central", (1, 2)),
    ("HAM", "Hamburg north", (2, 3)),
    ("MUC", "Munich south", (2, 4)),
)

FIRST_NAMES: tuple[str, ...] = (
    "Anna",
    "Lukas",
    "Sophie",
    "Jonas",
    "Marie",
    "Felix",
    "Lena",
    "Paul",
    "Laura",
    "Tim",
    "Julia",
    "Max",
    "Katharina",
    "Jan",
    "Sarah",
    "Tobias",
    "Nina",
    "Florian",
    "Miriam",
    "David",
    "Ayşe",
    "Mehmet",
    "Olga",
    "Piotr",
    "Elif",
    "Stefan",
    "Claudia",
    "Matthias",
    "Sabine",
)
LAST_NAMES: tuple[str, ...] = (
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hartmann",
    "Lange",
    "Werner",
    "Yılmaz",
    "Kowalski",
    "Nowak",
    "Demir",
    "Lehmann",
    "Krause",
)
STREETS: tuple[str, ...] = (
    "Industriestraße",
    "Hafenstraße",
    "Gewerbepark",
    "Am Güterbahnhof",
    "Werkstraße",
    "Robert-Bosch-Straße",
    "Carl-Benz-Straße",
    "Lagerweg",
    "Messeallee",
    "Kanalstraße",
)
ORDER_NOTES: tuple[str, ...] = (
    "Please deliver to gate 3.",
    "Deliver before 10:00, goods receipt closes at noon.",
    "Call the site manager on arrival.",
    "Urgent: line stop, please ship today.",
    "Partial delivery acceptable.",
    "Ref. maintenance shutdown week.",
)
CARRIERS: tuple[str, ...] = ("DHL", "UPS", "DB Schenker")
