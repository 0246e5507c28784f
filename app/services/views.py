"""The workspace's results that the window's first paint shows: the priced cart and the
status, and the error a person can fix. Nothing here touches the replica, so the window
can show them (from the first view kept at the last close) before the replica's libraries
have loaded. The other results (products, orders) live with the workspace."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.services.profile import Profile


class WorkspaceError(Exception):
    """A problem the person can fix; the message says how."""


@dataclass(frozen=True, slots=True)
class PricedCartLine:
    line_id: str
    sku: str
    name: str
    quantity: Decimal
    unit: str
    unit_price: Decimal | None
    line_total: Decimal | None
    explanation: str
    problems: list[str]


@dataclass(frozen=True, slots=True)
class CartView:
    cart_id: str
    name: str
    status: str
    currency: str
    lines: list[PricedCartLine]
    total: Decimal
    local_changes: bool


@dataclass(frozen=True, slots=True)
class AreaStatus:
    area: str  # catalog | prices | stock | orders
    synced_at: dt.datetime | None
    buckets: list[str]


@dataclass(frozen=True, slots=True)
class Status:
    profile: Profile | None
    products: int
    areas: list[AreaStatus]
    outbox: dict[str, int]
    held_for_upgrade: bool
    data_dir: str
    session_store: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class QuantityStep:
    """A line's quantity spin box: the minimum and the pack step, in the line's unit."""

    minimum: Decimal
    step: Decimal
