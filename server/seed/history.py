"""Who ordered what, and when: two years of repeat buying per account, as order drafts.

Each account has favourites it reorders on regular weekly or fortnightly streams (one per
ship-to), with noise in timing, selection and quantity, plus occasional ad-hoc orders that
mix favourites with one-off products. `fulfilment.py` prices and ships the drafts.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from math import gcd

from server.seed.accounts import SeededAccount, SeededUser
from server.seed.catalog import CatalogProduct

HISTORY_DAYS = 729
_MIN_LINES, _MAX_LINES = 3, 25


@dataclass(frozen=True, slots=True)
class DraftLine:
    product: CatalogProduct
    unit: str
    factor: int
    quantity: int


@dataclass(frozen=True, slots=True)
class DraftOrder:
    created: dt.datetime
    account: SeededAccount
    ship_to_id: int
    user: SeededUser
    lines: tuple[DraftLine, ...]


@dataclass(frozen=True, slots=True)
class Habitual:
    """A product an account buys again and again, in its usual unit and amount."""

    product: CatalogProduct
    unit: str
    factor: int
    first: int  # smallest allowed quantity in `unit`
    step: int  # allowed quantities are first + n * step
    level: int  # usual number of steps above `first`
    per_mille: int  # chance to be on a replenishment order


def _unit_rule(product: CatalogProduct, unit: str, factor: int) -> tuple[int, int]:
    """(first, step) in `unit` so that quantity × factor meets the minimum and the multiple."""
    step = product.multiple // gcd(factor, product.multiple)
    packs = -(-product.min_qty // factor)
    return -(-packs // step) * step, step


def _habitual(rng: random.Random, product: CatalogProduct, per_mille: int) -> Habitual:
    unit, factor = product.base_unit, 1
    if product.units and rng.randrange(100) < 35:
        unit, factor = product.units[0]
    first, step = _unit_rule(product, unit, factor)
    level = rng.choice((0, 0, 1, 1, 2, 3, 4, 6, 9)) if factor == 1 else rng.choice((0, 0, 1, 2))
    return Habitual(product, unit, factor, first, step, level, per_mille)


def _favourites(
    rng: random.Random, account: SeededAccount, candidates: list[CatalogProduct]
) -> list[Habitual]:
    low, high = account.spec.habit.favourites
    count = min(rng.randint(low, high), max(_MIN_LINES, len(candidates) * 6 // 10))
    chosen = rng.sample(candidates, count)
    # Zipf-like popularity: a few staples on nearly every order, a long tail now and then.
    weights = [1000 // (rank + 3) for rank in range(count)]
    total = sum(weights)
    lines_wanted = rng.randint(7, 13)
    return [
        _habitual(rng, product, min(950, lines_wanted * 1000 * weight // total))
        for product, weight in zip(chosen, weights, strict=True)
    ]


def _line(rng: random.Random, habit: Habitual, *, usual: bool) -> DraftLine:
    steps = max(0, habit.level + rng.randint(-2, 2)) if usual else rng.randint(0, 3)
    return DraftLine(habit.product, habit.unit, habit.factor, habit.first + steps * habit.step)


def _order_time(rng: random.Random, day: dt.date, first_hour: int) -> dt.datetime:
    # Office hours in Germany, stored in UTC.
    return dt.datetime(
        day.year,
        day.month,
        day.day,
        rng.randint(first_hour, 15),
        rng.randrange(60),
        rng.randrange(60),
        tzinfo=dt.UTC,
    )


def _holiday(day: dt.date) -> bool:
    return (day.month == 12 and day.day >= 23) or (day.month == 1 and day.day <= 2)


def draft_orders(
    rng: random.Random, account: SeededAccount, candidates: list[CatalogProduct], *, today: dt.date
) -> list[DraftOrder]:
    """This account's orders between two years ago and yesterday, oldest first."""
    active = [p for p in candidates if p.active]
    if len(active) < _MIN_LINES:
        return []
    favourites = _favourites(rng, account, active)
    habit = account.spec.habit
    first_day = today - dt.timedelta(days=HISTORY_DAYS)
    last_day = today - dt.timedelta(days=1 + habit.quiet_days)
    monday = first_day - dt.timedelta(days=first_day.weekday())
    drafts: list[DraftOrder] = []
    offsets = [rng.randrange(every) for _, every in habit.streams]
    week = 0
    while monday <= last_day:
        for n, (weekday, every) in enumerate(habit.streams):
            if (week + offsets[n]) % every or rng.randrange(100) < 8:
                continue
            jitter = rng.choice((-1, 0, 0, 0, 0, 0, 1))
            day = monday + dt.timedelta(days=min(4, max(0, weekday + jitter)))
            ship_to = account.ship_to_ids[n % len(account.ship_to_ids)]
            drafts.append(_replenishment(rng, account, favourites, day, ship_to))
        for weekday in range(5):
            if rng.randrange(500) < habit.adhoc_per_week * 10:
                day = monday + dt.timedelta(days=weekday)
                drafts.append(_adhoc(rng, account, favourites, active, day))
        monday += dt.timedelta(days=7)
        week += 1
    if not habit.quiet_days:
        # One order after the ERP's last run on the last working day: still "submitted".
        day = last_day
        while day.weekday() >= 5 or _holiday(day):
            day -= dt.timedelta(days=1)
        drafts.append(_adhoc(rng, account, favourites, active, day, first_hour=14))
    kept = [
        d
        for d in drafts
        if first_day <= d.created.date() <= last_day
        and not _holiday(d.created.date())
        and len(d.lines) >= _MIN_LINES
    ]
    return sorted(kept, key=lambda d: d.created)


def _replenishment(
    rng: random.Random,
    account: SeededAccount,
    favourites: list[Habitual],
    day: dt.date,
    ship_to: int,
) -> DraftOrder:
    picked = [h for h in favourites if rng.randrange(1000) < h.per_mille]
    if len(picked) < _MIN_LINES:
        ids = {h.product.id for h in picked}
        rest = [h for h in favourites if h.product.id not in ids]
        picked += rng.sample(rest, min(len(rest), _MIN_LINES - len(picked)))
    if len(picked) > _MAX_LINES:
        picked = rng.sample(picked, _MAX_LINES)
    lines = tuple(_line(rng, h, usual=True) for h in picked)
    return DraftOrder(_order_time(rng, day, 6), account, ship_to, _orderer(rng, account), lines)


def _adhoc(
    rng: random.Random,
    account: SeededAccount,
    favourites: list[Habitual],
    active: list[CatalogProduct],
    day: dt.date,
    *,
    first_hour: int = 6,
) -> DraftOrder:
    count = rng.randint(_MIN_LINES, 8)
    usual = rng.sample(favourites, min(len(favourites), rng.randint(0, count // 2)))
    lines = [_line(rng, h, usual=True) for h in usual]
    seen = {h.product.id for h in usual}
    for product in rng.sample(active, min(len(active), count * 2)):
        if len(lines) >= count:
            break
        if product.id not in seen:
            seen.add(product.id)
            lines.append(_line(rng, _habitual(rng, product, 0), usual=False))
    ship_to = account.ship_to_ids[
        0 if rng.randrange(100) < 60 else rng.randrange(len(account.ship_to_ids))
    ]
    created = _order_time(rng, day, first_hour)
    return DraftOrder(created, account, ship_to, _orderer(rng, account), tuple(lines))


def _orderer(rng: random.Random, account: SeededAccount) -> SeededUser:
    buyers = [u for u in account.orderers if u.spending_limit is not None]
    others = [u for u in account.orderers if u.spending_limit is None]
    if buyers and (not others or rng.randrange(100) < 90):
        return rng.choice(buyers)
    return rng.choice(others)
