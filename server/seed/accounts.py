"""The demo's buyer accounts: who they are, where they ship to, who signs in, how they buy."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from server.auth.passwords import hash_password
from server.seed.prices import ContractSpec
from server.seed.vocab import FIRST_NAMES, LAST_NAMES, STREETS

Row = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Habit:
    """How an account orders: regular replenishment streams plus ad-hoc orders.

    ``streams`` holds (weekday, every n weeks) per regular order; ``adhoc_per_week`` is in
    tenths; the account stops ordering ``quiet_days`` before today (an account on hold).
    """

    streams: tuple[tuple[int, int], ...]
    adhoc_per_week: int
    favourites: tuple[int, int]
    quiet_days: int = 0


@dataclass(frozen=True, slots=True)
class AccountSpec:
    number: str
    name: str
    domain: str
    assortment: str
    price_list: str
    credit_limit: Decimal
    open_balance: Decimal
    payment_terms: str
    ship_tos: tuple[tuple[str, str, str, str], ...]  # code, name, city, postal code
    habit: Habit
    parent: str | None = None
    price_tolerance_pct: Decimal = Decimal(0)
    on_hold: bool = False
    contracts: tuple[ContractSpec, ...] = ()
    # (local part, roles, spending limit); the demo password is "demo-<local part>".
    staff: tuple[tuple[str, str, Decimal | None], ...] = (
        ("buyer1", "buyer", Decimal("2500.00")),
        ("buyer2", "buyer", Decimal("1000.00")),
        ("approver", "approver", None),
        ("admin", "admin buyer", None),
        ("viewer", "viewer", None),
    )


@dataclass(frozen=True, slots=True)
class SeededUser:
    id: int
    email: str
    password: str
    name: str
    roles: tuple[str, ...]
    spending_limit: Decimal | None


@dataclass(frozen=True, slots=True)
class SeededAccount:
    id: int
    spec: AccountSpec
    ship_to_ids: tuple[int, ...]
    users: tuple[SeededUser, ...]

    @property
    def orderers(self) -> tuple[SeededUser, ...]:
        return tuple(u for u in self.users if "buyer" in u.roles)

    @property
    def approver(self) -> SeededUser | None:
        return next((u for u in self.users if "approver" in u.roles), None)


def _contract(
    code: str, start: dt.date, end: dt.date, share: int, low: int, high: int
) -> ContractSpec:
    return ContractSpec(code, start, end, share, (low, high))


def account_specs(today: dt.date) -> list[AccountSpec]:
    """Four usable accounts (one a subsidiary) and a small one on credit hold."""
    year = today.year
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    last_week = today - dt.timedelta(days=7)
    return [
        AccountSpec(
            "10010",
            "ACME Industrial GmbH",
            "acme-industrial.example",
            "FULL",
            "GOLD",
            Decimal("250000.00"),
            Decimal("84315.40"),
            "Net 30",
            (
                ("MAIN", "Plant 1 Düsseldorf", "Düsseldorf", "40549"),
                ("PLANT2", "Plant 2 Duisburg", "Duisburg", "47059"),
                ("WH", "Central stores Neuss", "Neuss", "41460"),
                ("WORKSHOP", "Maintenance workshop Krefeld", "Krefeld", "47809"),
            ),
            Habit(((0, 1), (2, 1), (1, 2), (3, 2)), 40, (90, 120)),
            contracts=(
                _contract(
                    f"C-{year}-014",
                    today - dt.timedelta(days=200),
                    today + dt.timedelta(days=165),
                    75,
                    12,
                    22,
                ),
                _contract(
                    f"C-{year - 1}-093", today - dt.timedelta(days=565), last_week, 25, 10, 18
                ),
                _contract(
                    f"C-{year}-031", next_month, next_month + dt.timedelta(days=364), 15, 14, 24
                ),
            ),
        ),
        AccountSpec(
            "10011",
            "ACME Industrial Werk Hamburg",
            "acme-hamburg.example",
            "MRO",
            "GOLD",
            Decimal("80000.00"),
            Decimal("12480.00"),
            "Net 30",
            (
                ("MAIN", "Werk Hamburg-Harburg", "Hamburg", "21079"),
                ("STORES", "Stores Hamburg-Billbrook", "Hamburg", "22113"),
            ),
            Habit(((1, 1), (3, 2)), 15, (50, 80)),
            parent="10010",
            price_tolerance_pct=Decimal(2),
        ),
        AccountSpec(
            "10020",
            "Nordlicht Facility Services GmbH",
            "nordlicht-facility.example",
            "JAN-SAFE",
            "STD",
            Decimal("60000.00"),
            Decimal("57912.35"),
            "Net 14",
            (
                ("HB", "Branch Bremen", "Bremen", "28197"),
                ("OL", "Branch Oldenburg", "Oldenburg", "26122"),
                ("H", "Branch Hannover", "Hannover", "30179"),
            ),
            Habit(((0, 1), (3, 1), (2, 2)), 20, (40, 70)),
            contracts=(
                _contract(
                    f"C-{year - 1}-087",
                    today - dt.timedelta(days=300),
                    today + dt.timedelta(days=60),
                    70,
                    8,
                    18,
                ),
                _contract(
                    f"C-{year - 1}-052", today - dt.timedelta(days=500), last_week, 20, 6, 14
                ),
                _contract(
                    f"C-{year}-044", next_month, next_month + dt.timedelta(days=729), 10, 10, 20
                ),
            ),
        ),
        AccountSpec(
            "10030",
            "Bergmann Metallbau KG",
            "bergmann-metallbau.example",
            "FULL",
            "STD",
            Decimal("40000.00"),
            Decimal("9870.20"),
            "Net 30, 2 % within 10 days",
            (
                ("MAIN", "Works Stuttgart-Feuerbach", "Stuttgart", "70469"),
                ("SITE", "Assembly hall Esslingen", "Esslingen am Neckar", "73730"),
            ),
            Habit(((1, 1), (4, 2)), 15, (30, 60)),
        ),
        AccountSpec(
            "10040",
            "Kleinschmidt Haustechnik",
            "kleinschmidt-haustechnik.example",
            "MRO",
            "PROMO",
            Decimal("5000.00"),
            Decimal("6240.00"),
            "Prepayment",
            (("MAIN", "Kleinschmidt Haustechnik", "Köln", "50823"),),
            Habit(((2, 2),), 2, (30, 40), quiet_days=120),
            on_hold=True,
            staff=(("admin", "admin buyer", None),),
        ),
    ]


@dataclass(slots=True)
class AccountRows:
    accounts: list[Row]
    ship_tos: list[Row]
    users: list[Row]
    seeded: list[SeededAccount]


def build_accounts(
    rng: random.Random,
    specs: list[AccountSpec],
    *,
    assortment_ids: dict[str, int],
    price_list_ids: dict[str, int],
    stamp: dt.datetime,
) -> AccountRows:
    """Rows for accounts, ship-tos and users (passwords hashed once per distinct password)."""
    out = AccountRows([], [], [], [])
    ids = {spec.number: i for i, spec in enumerate(specs, start=1)}
    hashes: dict[str, str] = {}
    for spec in specs:
        account_id = ids[spec.number]
        out.accounts.append(
            {
                "id": account_id,
                "number": spec.number,
                "name": spec.name,
                "parent_id": ids[spec.parent] if spec.parent else None,
                "currency": "EUR",
                "payment_terms": spec.payment_terms,
                "credit_limit": spec.credit_limit,
                "open_balance": spec.open_balance,
                "on_hold": spec.on_hold,
                "assortment_id": assortment_ids[spec.assortment],
                "price_list_id": price_list_ids[spec.price_list],
                "price_tolerance_pct": spec.price_tolerance_pct,
                "created_at": stamp - dt.timedelta(days=rng.randint(1000, 2500)),
            }
        )
        ship_to_ids = []
        for n, (code, name, city, postal) in enumerate(spec.ship_tos):
            ship_to_ids.append(len(out.ship_tos) + 1)
            out.ship_tos.append(
                {
                    "id": ship_to_ids[-1],
                    "account_id": account_id,
                    "code": code,
                    "name": name,
                    "street": f"{rng.choice(STREETS)} {rng.randint(1, 180)}",
                    "city": city,
                    "postal_code": postal,
                    "country": "DE",
                    "is_default": n == 0,
                }
            )
        users = _users(rng, spec, first_id=len(out.users) + 1, hashes=hashes)
        approver = next((u.id for u in users if "approver" in u.roles), None)
        for user in users:
            manager = approver if user.spending_limit is not None else None
            out.users.append(
                {
                    "id": user.id,
                    "account_id": account_id,
                    "email": user.email,
                    "name": user.name,
                    "password_hash": hashes[user.password],
                    "roles": " ".join(user.roles),
                    "spending_limit": user.spending_limit,
                    "manager_id": manager,
                    "active": True,
                    "created_at": stamp - dt.timedelta(days=rng.randint(60, 900)),
                }
            )
        out.seeded.append(SeededAccount(account_id, spec, tuple(ship_to_ids), tuple(users)))
    return out


def _users(
    rng: random.Random, spec: AccountSpec, *, first_id: int, hashes: dict[str, str]
) -> list[SeededUser]:
    firsts = rng.sample(FIRST_NAMES, len(spec.staff))
    lasts = rng.sample(LAST_NAMES, len(spec.staff))
    users = []
    for n, (local, roles, limit) in enumerate(spec.staff):
        password = f"demo-{local}"
        if password not in hashes:
            hashes[password] = hash_password(password)
        users.append(
            SeededUser(
                first_id + n,
                f"{local}@{spec.domain}",
                password,
                f"{firsts[n]} {lasts[n]}",
                tuple(roles.split()),
                limit,
            )
        )
    return users
