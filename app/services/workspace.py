"""The façade the desktop UI and the command line use: one data directory, one replica,
one signed-in profile. Every method returns plain dataclasses; nothing here knows Qt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import platformdirs

from app.domain.pricing import NoPrice, line_price
from app.domain.quantity import check_quantity
from app.domain.units import UnknownUnit
from app.services.profile import Profile, load_profile, save_profile
from app.store import carts as cart_store
from app.store.catalog import ProductDetails, ProductHit
from app.store.outbox import OutboxEntry, OutboxState, enqueue
from app.store.replica import Replica
from app.sync.client import ServerClient
from app.sync.engine import SyncEngine, SyncProgress, SyncReport
from app.sync.tokens import TokenStore

DEFAULT_CART = "Default"


class WorkspaceError(Exception):
    """A problem the person can fix; the message says how."""


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("Orderpad", "Orderpad"))


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


_AREAS = {
    "catalog": "catalog",
    "prices": "prices",
    "contracts": "prices",
    "stock": "stock",
    "account": "orders",
}


Clock = Callable[[], dt.datetime]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Workspace:
    """`transport` and `clock` exist for tests (network faults, a skewed clock)."""

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        clock: Clock = _utc_now,
    ) -> None:
        self.data_dir = (data_dir or default_data_dir()).expanduser().resolve()
        self.transport = transport
        self.clock = clock
        self.replica = Replica.open(self.data_dir)
        self.outbox = self.replica.outbox

    def close(self) -> None:
        self.replica.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- session ---------------------------------------------------------------------------
    @property
    def profile(self) -> Profile | None:
        return load_profile(self.data_dir)

    def _require_profile(self) -> Profile:
        profile = self.profile
        if profile is None:
            raise WorkspaceError("not signed in: run `orderpad login --server URL --email E`")
        return profile

    def client(self) -> ServerClient:
        profile = self._require_profile()
        return ServerClient(
            profile.server_url, TokenStore(self.data_dir, profile.key), transport=self.transport
        )

    def login(self, server_url: str, email: str, password: str) -> Profile:
        """Sign in online; afterwards the replica works offline with this profile."""
        server_url = server_url.rstrip("/")
        email = email.strip().lower()
        store = TokenStore(self.data_dir, f"{server_url}|{email}")
        client = ServerClient(server_url, store, transport=self.transport)
        try:
            client.login(email, password)
            me = client.call("GET", "/api/v1/me")
        finally:
            client.close()
        old = self.profile
        if (
            old is not None
            and (old.server_url, old.account_number) != (server_url, me["account"]["number"])
            and self.replica.product_count()
        ):
            store.clear()
            raise WorkspaceError(
                f"this data folder holds account {old.account_number} on {old.server_url}; "
                "use another --data-dir for a different account or server"
            )
        profile = Profile(
            server_url=server_url,
            email=me["email"],
            name=me["name"],
            roles=me["roles"],
            account_number=me["account"]["number"],
            account_name=me["account"]["name"],
            currency=me["account"]["currency"],
        )
        save_profile(self.data_dir, profile)
        return profile

    # -- sync ------------------------------------------------------------------------------
    def sync(
        self,
        progress: Callable[[SyncProgress], None] | None = None,
        *,
        verify: bool = False,
        page_limit: int = 5000,
    ) -> SyncReport:
        """Push the outbox, then pull. Raises app.sync.errors.* when it cannot finish;
        whatever was entered stays in the outbox."""
        client = self.client()
        try:
            engine = SyncEngine(
                self.replica,
                client,
                self.outbox,
                progress=progress,
                clock=self.clock,
                page_limit=page_limit,
            )
            return engine.sync(verify=verify)
        finally:
            client.close()

    def today(self) -> dt.date:
        """Today as the server sees it: this machine's clock corrected by the offset measured
        at the last sync, so a wrong PC clock does not change prices or validity."""
        offset = float(self.replica.get_meta("server_clock_offset_s") or 0)
        return (self.clock() + dt.timedelta(seconds=offset)).date()

    def status(self) -> Status:
        areas: dict[str, AreaStatus] = {}
        for state in self.replica.sync_states():
            area = _AREAS.get(state.bucket.split(":")[0], "other")
            prev = areas.get(area)
            when = state.synced_at if not state.resetting else None
            if prev is None:
                areas[area] = AreaStatus(area, when, [state.bucket])
            else:
                oldest = (
                    None if prev.synced_at is None or when is None else min(prev.synced_at, when)
                )
                areas[area] = AreaStatus(area, oldest, [*prev.buckets, state.bucket])
        profile = self.profile
        return Status(
            profile=profile,
            products=self.replica.product_count(),
            areas=[areas[a] for a in ("catalog", "prices", "stock", "orders") if a in areas],
            outbox=self.outbox.counts(),
            held_for_upgrade=self.replica.get_meta("held_for_upgrade") is not None,
            data_dir=str(self.data_dir),
            session_store=None if profile is None else TokenStore(self.data_dir, profile.key).where,
        )

    # -- catalog ---------------------------------------------------------------------------
    def search_products(self, query: str, *, limit: int = 50) -> list[ProductHit]:
        return self.replica.search_products(query, limit=limit)

    def product(self, sku: str) -> ProductDetails | None:
        return self.replica.product_by_sku(sku)

    # -- carts -----------------------------------------------------------------------------
    def cart_id(self, name: str | None, *, create: bool) -> str:
        name = name or DEFAULT_CART
        cart = cart_store.cart_by_name(self.replica, name)
        if cart is not None and cart.status == "open":
            return cart.cart_id
        if not create:
            raise WorkspaceError(f"no open cart named {name!r}")
        return cart_store.create_cart(self.replica, name)

    def add_to_cart(
        self, sku: str, quantity: Decimal, unit: str | None = None, cart: str | None = None
    ) -> str:
        product = self.replica.product_by_sku(sku)
        if product is None:
            raise WorkspaceError(f"unknown SKU {sku!r} (not in your synced catalog)")
        if quantity <= 0:
            raise WorkspaceError(f"quantity must be positive, not {quantity}")
        unit = (unit or product.base_unit).upper()
        if not self.replica.units_of(product.sku).has(unit):
            known = ", ".join(u.code for u in product.units) or product.base_unit
            raise WorkspaceError(f"{product.sku} is not sold in {unit}; units: {known}")
        return cart_store.add_to_cart(
            self.replica, self.cart_id(cart, create=True), product.sku, quantity, unit
        )

    def carts(self) -> list[cart_store.Cart]:
        return cart_store.carts(self.replica, include_closed=True)

    def cart(self, name: str | None = None, *, on: dt.date | None = None) -> CartView:
        """The cart priced as the server would price it today (offline, with app.domain)."""
        cart_id = self.cart_id(name, create=True)
        day = on or self.today()
        summary = next(
            c for c in cart_store.carts(self.replica, include_closed=True) if c.cart_id == cart_id
        )
        currency = self.profile.currency if self.profile else "EUR"
        lines: list[PricedCartLine] = []
        total = Decimal(0)
        for line in cart_store.cart_lines(self.replica, cart_id):
            lines.append(self._price_line(line, day))
            total += lines[-1].line_total or Decimal(0)
        return CartView(
            cart_id, summary.name, summary.status, currency, lines, total, summary.local_changes
        )

    def _price_line(self, line: cart_store.CartLine, day: dt.date) -> PricedCartLine:
        product = self.replica.product_by_sku(line.sku)
        if product is None:
            return PricedCartLine(
                line.line_id,
                line.sku,
                "",
                line.quantity,
                line.unit,
                None,
                None,
                "",
                ["no longer in your catalog"],
            )
        problems: list[str] = []
        if product.status == "discontinued":
            problems.append(
                "discontinued"
                + (f", replaced by {product.replacement_sku}" if product.replacement_sku else "")
            )
        units = self.replica.units_of(product.sku)
        check = check_quantity(
            quantity=line.quantity,
            unit=line.unit,
            units=units,
            rule=self.replica.rule_of(product.sku),
        )
        if not check.ok:
            problems.append(check.message)
        pricing = self.replica.pricing_of(product.sku)
        unit_price = line_total = None
        explanation = ""
        if pricing is not None:
            try:
                priced = line_price(
                    pricing=pricing,
                    quantity=line.quantity,
                    unit_factor=units.factor(line.unit),
                    on=day,
                )
                unit_price, line_total = priced.unit_price.amount, priced.line_total.amount
                explanation = priced.resolution.explanation.text
            except (NoPrice, UnknownUnit) as exc:
                problems.append(str(exc))
        else:
            problems.append("no price synced yet")
        return PricedCartLine(
            line.line_id,
            product.sku,
            product.name,
            line.quantity,
            line.unit,
            unit_price,
            line_total,
            explanation,
            problems,
        )

    def submit_cart(
        self,
        name: str | None = None,
        *,
        po_number: str | None = None,
        ship_to: str | None = None,
        requested_date: dt.date | None = None,
        note: str | None = None,
    ) -> str:
        """Queue the cart as an order (works offline); returns the client order id.

        A cart with a line the replica already knows is wrong (a pack rule, a discontinued or
        unknown product) is refused with the reasons: fix the lines, then submit."""
        cart_id = self.cart_id(name, create=False)
        problems = [
            f"{li.sku}: {'; '.join(li.problems)}" for li in self.cart(name).lines if li.problems
        ]
        if problems:
            raise WorkspaceError("fix these lines first: " + " | ".join(problems))
        try:
            return cart_store.submit_cart(
                self.replica,
                cart_id,
                po_number=po_number,
                ship_to=ship_to,
                requested_date=requested_date,
                note=note,
                on=self.today(),
            )
        except (cart_store.EmptyCart, cart_store.CartClosed) as exc:
            raise WorkspaceError(str(exc)) from None

    # -- orders and outbox -----------------------------------------------------------------
    def orders(self) -> list[cart_store.OrderSummary]:
        return cart_store.orders(self.replica)

    def _order_id(self, ref: str) -> str:
        for order in self.orders():
            if ref in (order.client_order_id, order.number):
                return order.client_order_id
        raise WorkspaceError(f"no order {ref!r} on this device")

    def confirm_order(self, ref: str, *, remove_lines: list[int] | None = None) -> str:
        """Accept the server's explained changes of an order (queued like every change)."""
        order_id = self._order_id(ref)
        status = next(o.status for o in self.orders() if o.client_order_id == order_id)
        if status != "needs_confirmation":
            raise WorkspaceError(f"order {ref} is {status}; nothing to confirm")
        with self.replica.session() as session:
            entry = enqueue(
                session,
                "order.confirm_changes",
                {"client_order_id": order_id, "remove_lines": remove_lines or []},
            )
        return entry.id

    def outbox_entries(self, states: list[OutboxState] | None = None) -> list[OutboxEntry]:
        return self.outbox.entries(states)
