"""The façade the desktop UI and the command line use: one data directory, one replica,
one signed-in profile. Every method returns plain dataclasses; nothing here knows Qt."""

from __future__ import annotations

import datetime as dt
import logging
import re
import string
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from app.domain import roles
from app.domain.gs1 import Gs1Error, looks_like_gs1, parse_gs1
from app.domain.gtin import is_valid_gtin, normalize_gtin
from app.domain.pricing import NoPrice, line_price
from app.domain.quantity import check_quantity
from app.domain.units import UnknownUnit
from app.services.notifications import NotificationCentre
from app.services.order_status import OrderTrack, order_track
from app.services.profile import Profile, load_profile, save_profile
from app.services.profile import default_data_dir as default_data_dir
from app.services.views import AreaStatus as AreaStatus
from app.services.views import CartView as CartView
from app.services.views import PricedCartLine as PricedCartLine
from app.services.views import QuantityStep as QuantityStep
from app.services.views import Status as Status
from app.services.views import WorkspaceError as WorkspaceError
from app.store import carts as cart_store
from app.store import catalog as catalog_store
from app.store.catalog import CatalogFilter as CatalogFilter
from app.store.catalog import Facets as Facets
from app.store.catalog import ProductDetails as ProductDetails
from app.store.catalog import ProductHit as ProductHit
from app.store.outbox import OutboxEntry as OutboxEntry
from app.store.outbox import OutboxState as OutboxState
from app.store.outbox import enqueue
from app.store.replica import Replica
from app.sync.engine import SyncEngine, SyncProgress
from app.sync.engine import SyncReport as SyncReport
from app.sync.tokens import TokenStore

if TYPE_CHECKING:  # httpx and the client load when a sync or sign-in starts (cold start)
    import httpx

    from app.services.approvals import ApprovalDesk
    from app.sync.client import ServerClient

log = logging.getLogger("orderpad.workspace")
DEFAULT_CART = "Default"
RANKED_MATCHES = 1000  # word matches ranked by relevance up to this many (see search_skus)
_WORDS = re.compile(r"\w+")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

# Row types the UI shows (with OutboxEntry, OutboxState, ProductHit, ProductDetails re-exported
# above), named here so the UI never imports app.store.
Cart = cart_store.Cart
OrderSummary = cart_store.OrderSummary


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
        self.notifications = NotificationCentre(
            self.replica, clock=clock, me=lambda: self.profile.email if self.profile else None
        )

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
        from app.sync.client import ServerClient  # httpx: only once a sync or sign-in starts

        profile = self._require_profile()
        return ServerClient(
            profile.server_url, TokenStore(self.data_dir, profile.key), transport=self.transport
        )

    def login(self, server_url: str, email: str, password: str) -> Profile:
        """Sign in online; afterwards the replica works offline with this profile."""
        server_url = server_url.rstrip("/")
        email = email.strip().lower()
        store = TokenStore(self.data_dir, f"{server_url}|{email}")
        from app.sync.client import ServerClient

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
        page_limit: int = 10_000,
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
            report = engine.sync(verify=verify)
        finally:
            client.close()
        try:  # what changed for the buyer's orders: the notification centre
            self.notifications.after_sync()
        except Exception:  # a bug here must not make a finished sync look failed
            log.exception("could not compare orders for notifications")
        return report

    def today(self) -> dt.date:
        """Today as the server sees it: this machine's clock corrected by the offset measured
        at the last sync, so a wrong PC clock does not change prices or validity."""
        return (self.clock() + self.server_clock_offset()).date()

    def server_clock_offset(self) -> dt.timedelta:
        """The server's clock minus this machine's, as measured at the last sync."""
        return dt.timedelta(seconds=float(self.replica.get_meta("server_clock_offset_s") or 0))

    def status(self, *, session_store: bool = True) -> Status:
        """What is synced, pending and who is signed in. ``session_store=False`` leaves out
        where the session is kept (finding the OS keyring can take 150 ms: not at start-up)."""
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
            session_store=None
            if profile is None or not session_store
            else TokenStore(self.data_dir, profile.key).where,
        )

    # -- catalog ---------------------------------------------------------------------------
    def search_products(self, query: str, *, limit: int = 50) -> list[ProductHit]:
        return self.replica.search_products(query, limit=limit)

    def product(self, sku: str) -> ProductDetails | None:
        return self.replica.product_by_sku(sku)

    def catalog_facets(self) -> Facets:
        """The categories and brands the catalog can be filtered by."""
        with self.replica.reading() as session:
            return catalog_store.facets(session)

    def products(self, skus: Sequence[str]) -> list[ProductDetails]:
        """The products of ``skus`` (unknown ones left out) in one read transaction: a
        block of catalog rows for the screen."""
        with self.replica.reading() as session:
            found = (catalog_store.product_by_sku(session, sku) for sku in skus)
            return [product for product in found if product is not None]

    def search_skus(
        self, query: str, *, limit: int = 5000, filters: CatalogFilter | None = None
    ) -> list[str]:
        """The SKUs a catalog search lists, cheap enough to run on every key press.

        Same matches and order as ``search_products`` (exact SKU or GTIN, SKU prefixes,
        then words), except that word matches are ranked only when there are at most
        ``RANKED_MATCHES`` of them: ranking a broad prefix ("ste" over 100,000 products)
        costs 150 ms or more, so a broad prefix lists its matches in catalog order.
        ``filters`` (category, brand, in stock) narrow the matches.
        """
        if filters is not None and filters.active:
            with self.replica.reading() as session:
                return catalog_store.filtered_skus(
                    session, query, filters, limit=limit, rank_up_to=RANKED_MATCHES
                )
        text = query.strip()
        words = _WORDS.findall(text)[:8]
        if sum(map(len, words)) < 3:  # search_products does not rank one or two letters
            return [hit.sku for hit in self.search_products(text, limit=limit)]
        match = " ".join(f'"{word}"*' for word in words)
        probe = self._rows(
            "SELECT COUNT(*) FROM (SELECT 1 FROM products_fts WHERE products_fts MATCH ? LIMIT ?)",
            (match, RANKED_MATCHES + 1),
        )
        if probe[0][0] <= RANKED_MATCHES:
            return [hit.sku for hit in self.search_products(text, limit=limit)]
        found: dict[str, None] = {}
        low = text.translate(_ASCII_LOWER)  # NOCASE folds ASCII only
        high = low[:-1] + chr(ord(low[-1]) + 1)
        queries: list[tuple[str, tuple[object, ...]]] = [
            ("SELECT sku FROM products WHERE sku = ? COLLATE NOCASE", (text,)),
            ("SELECT sku FROM products WHERE sku >= ? COLLATE NOCASE AND sku < ? COLLATE "
             "NOCASE ORDER BY sku COLLATE NOCASE LIMIT ?", (low, high, limit)),
            ("SELECT p.sku FROM products_fts JOIN products p ON p.id = products_fts.rowid "
             "WHERE products_fts MATCH ? LIMIT ?", (match, limit)),
        ]  # fmt: skip
        if is_valid_gtin(text):
            queries.insert(1, ("SELECT sku FROM product_units WHERE gtin = ?",
                               (normalize_gtin(text),)))  # fmt: skip
        for sql, params in queries:
            for (sku,) in self._rows(sql, params):
                found.setdefault(str(sku))
                if len(found) >= limit:
                    return list(found)
        return list(found)

    # -- carts -----------------------------------------------------------------------------
    def cart_id(self, name: str | None, *, create: bool) -> str:
        name = name or DEFAULT_CART
        cart = cart_store.cart_by_name(self.replica, name)
        if cart is not None and cart.status == "open":
            return cart.cart_id
        if not create:
            raise WorkspaceError(f"no open cart named {name!r}")
        self.require_ordering()
        return cart_store.create_cart(self.replica, name)

    def ordering_refusal(self) -> str | None:
        """Why the signed-in user may not build carts and order, or None when they may (not
        signed in: they may; the work waits in the outbox for a sign-in)."""
        profile = self.profile
        if profile is None or roles.can_order(profile.roles):
            return None
        return roles.cannot_order_reason(profile.roles)

    def require_ordering(self) -> None:
        """Refuse, before anything is queued, what the server would refuse for this role."""
        refusal = self.ordering_refusal()
        if refusal is not None:
            raise WorkspaceError(refusal)

    def add_to_cart(
        self, sku: str, quantity: Decimal, unit: str | None = None, cart: str | None = None
    ) -> str:
        self.require_ordering()
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
        self.require_ordering()
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

    def orders_with_sku(self, text: str) -> set[str]:
        """The client ids of the orders with a line whose SKU contains ``text`` (any case):
        the Orders screen's SKU filter."""
        needle = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        if not needle:
            return set()
        rows = self._rows(
            "SELECT DISTINCT o.key FROM orders o, "
            "json_each(COALESCE(o.data, o.local), '$.lines') AS line "
            "WHERE json_extract(line.value, '$.sku') LIKE ? ESCAPE '\\'",
            (f"%{needle}%",),
        )
        return {str(key) for (key,) in rows}

    @property
    def approvals(self) -> ApprovalDesk:
        """Approval queue, decisions, the pre-submit preview and rules (app.services.approvals)."""
        from app.services.approvals import ApprovalDesk

        return ApprovalDesk(self)

    def _order_id(self, ref: str) -> str:
        """The client id of the order ``ref`` names: its client id, our number, the ERP's
        number or the buyer's PO number (refused when a PO number names several)."""
        orders = self.orders()
        for order in orders:
            if ref in (order.client_order_id, order.number):
                return order.client_order_id
        for order in orders:
            if ref == order.erp_number:
                return order.client_order_id
        by_po = [o for o in orders if o.po_number and o.po_number.casefold() == ref.casefold()]
        if len(by_po) > 1:
            numbers = ", ".join(o.number or o.client_order_id for o in by_po)
            raise WorkspaceError(f"PO {ref} names {len(by_po)} orders ({numbers}); name one")
        if by_po:
            return by_po[0].client_order_id
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

    # -- reads and small writes for the desktop UI ----------------------------------------
    def stock_of(self, sku: str) -> list[WarehouseStock]:
        """Stock of ``sku`` per warehouse as last synced (each row says "as of" when)."""
        rows = self._rows("SELECT data FROM stock WHERE sku = ? COLLATE NOCASE", (sku,))
        if not rows:
            return []
        data = orjson.loads(rows[0][0])
        return [
            WarehouseStock(
                warehouse=str(w.get("warehouse") or ""),
                warehouse_name=str(w.get("warehouse_name") or w.get("warehouse") or ""),
                available=decimal_or_none(w.get("available")),
                next_receipt_date=w.get("next_receipt_date"),
                next_receipt_qty=decimal_or_none(w.get("next_receipt_qty")),
                lead_time_days=w.get("lead_time_days"),
                as_of=w.get("as_of"),
            )
            for w in data.get("warehouses", [])
        ]

    def price_of(self, sku: str) -> PriceView:
        """The price of ``sku`` at its minimum quantity today and why; tiers and contracts."""
        pricing = self.replica.pricing_of(sku)
        product = self.replica.product_by_sku(sku)
        if pricing is None or product is None:
            return PriceView(None, None, "no price synced yet", None, None, [], [])
        unit_price: Decimal | None = None
        try:
            priced = line_price(
                pricing=pricing,
                quantity=max(product.min_qty, Decimal(1)),
                unit_factor=1,
                on=self.today(),
            )
            unit_price = priced.unit_price.amount
            explanation = priced.resolution.explanation.text
        except NoPrice as exc:
            explanation = str(exc)
        plist = pricing.price_list
        return PriceView(
            currency=pricing.currency,
            unit_price=unit_price,
            explanation=explanation,
            list_price=pricing.list_price,
            price_list=None if plist is None else plist.price_list_code,
            tiers=[] if plist is None else [(t.min_qty, t.unit_price) for t in plist.tiers],
            contracts=[
                ContractTerms(c.contract_code, c.unit_price, c.min_qty, c.valid_from, c.valid_to)
                for c in pricing.contracts
            ],
        )

    def resolve_code(self, code: str) -> CodeMatch | None:
        """What a scanned or typed code names: a SKU, a GTIN (with its unit: a case barcode
        orders a case) or a GS1 element string with a GTIN and maybe a count. None when no
        product in the replica matches."""
        text = code.strip()
        if not text:
            return None
        product = self.replica.product_by_sku(text)
        if product is not None:
            first = max(product.min_qty, product.multiple)
            return CodeMatch(product.sku, product.name, product.base_unit, first, "sku")
        count: int | None = None
        via = "gtin"
        if looks_like_gs1(text):
            try:
                data = parse_gs1(text)
            except Gs1Error:
                return None
            if data.gtin is None:
                return None
            text, count, via = data.gtin, data.count, "gs1"
        if not is_valid_gtin(text):
            return None
        match = self.replica.product_by_gtin(text)
        if match is None:
            return None
        product = match.product
        if match.factor == 1:
            qty = Decimal(count) if count else max(product.min_qty, product.multiple)
        else:
            qty = Decimal(count or 1)
        return CodeMatch(product.sku, product.name, match.unit, qty, via)

    def quantity_steps(self, cart: CartView) -> dict[str, QuantityStep]:
        """Per line id: the minimum and the pack step in the line's unit (for a spin box)."""
        steps: dict[str, QuantityStep] = {}
        for line in cart.lines:
            product = self.replica.product_by_sku(line.sku)
            if product is None:
                continue
            factor = next((u.factor for u in product.units if u.code == line.unit), 1)
            if factor == 1:
                steps[line.line_id] = QuantityStep(product.min_qty, product.multiple)
            else:
                steps[line.line_id] = QuantityStep(Decimal(1), Decimal(1))
        return steps

    def cart_quantities(self, name: str | None = None) -> dict[str, Decimal]:
        """Line id -> quantity of a cart, without pricing it (cheap: for undo bookkeeping)."""
        cart_id = self.cart_id(name, create=True)
        return {li.line_id: li.quantity for li in cart_store.cart_lines(self.replica, cart_id)}

    def cart_lines_priced(
        self, name: str | None, line_ids: Collection[str]
    ) -> tuple[str, list[PricedCartLine], dict[str, QuantityStep]]:
        """(cart id, priced lines, quantity steps) of only ``line_ids`` (those still in the
        cart), priced as ``cart()`` prices them: after a scan the quick-order screen
        re-prices the lines it touched, not every line of a long cart."""
        cart_id = self.cart_id(name, create=True)
        wanted = set(line_ids)
        day = self.today()
        lines = [
            self._price_line(line, day)
            for line in cart_store.cart_lines(self.replica, cart_id)
            if line.line_id in wanted
        ]
        part = CartView(cart_id, "", "open", "", lines, Decimal(0), True)
        return cart_id, lines, self.quantity_steps(part)

    def set_line_quantity(self, line_id: str, quantity: Decimal, cart: str | None = None) -> None:
        """Set one cart line's quantity (queued like every change); zero removes the line."""
        cart_id = self.cart_id(cart, create=False)
        try:
            if quantity <= 0:
                cart_store.remove_line(self.replica, cart_id, line_id)
            else:
                cart_store.set_line_quantity(self.replica, cart_id, line_id, quantity)
        except (LookupError, cart_store.CartClosed) as exc:
            raise WorkspaceError(str(exc)) from None

    def remove_line(self, line_id: str, cart: str | None = None) -> None:
        self.set_line_quantity(line_id, Decimal(0), cart)

    def ship_tos(self) -> list[ShipToOption]:
        """The account's ship-to locations, the default first."""
        rows = self._rows(
            "SELECT code, name, is_default FROM ship_tos ORDER BY is_default DESC, code", ()
        )
        return [ShipToOption(str(c), str(n or c), bool(d)) for c, n, d in rows]

    def order(self, ref: str) -> OrderDetail:
        """One order (by number or client id) with lines, history and the server's review."""
        order_id = self._order_id(ref)
        rows = self._rows("SELECT local, data, bucket FROM orders WHERE key = ?", (order_id,))
        if not rows:
            raise WorkspaceError(f"no order {ref!r} on this device")
        local, data, bucket = rows[0]
        doc = orjson.loads(data if data is not None else local)
        return order_detail(doc, bucket is None, self.today())

    def order_tracks(self) -> dict[str, OrderTrack]:
        """Client order id -> timeline, line quantities and shipments of every order here
        (one read: for listing many orders; ``order(ref).track`` for one)."""
        today = self.today()
        rows = self._rows("SELECT local, data, bucket FROM orders", ())
        tracks: dict[str, OrderTrack] = {}
        for local, data, bucket in rows:
            doc = orjson.loads(data if data is not None else local)
            tracks[str(doc["client_order_id"])] = order_track(doc, today=today,
                                                              queued=bucket is None)  # fmt: skip
        return tracks

    def cancel_order(self, ref: str) -> str:
        """Decline an order the server sent back for review, or cancel a submitted one;
        queued like every change. The server says no once the order is being fulfilled."""
        order_id = self._order_id(ref)
        with self.replica.session() as session:
            entry = enqueue(session, "order.cancel", {"client_order_id": order_id})
        return entry.id

    def _rows(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        with self.replica.reading() as session:
            return [tuple(r) for r in session.connection().exec_driver_sql(sql, params)]


@dataclass(frozen=True, slots=True)
class WarehouseStock:
    warehouse: str
    warehouse_name: str
    available: Decimal | None
    next_receipt_date: str | None
    next_receipt_qty: Decimal | None
    lead_time_days: int | None
    as_of: str | None


@dataclass(frozen=True, slots=True)
class ContractTerms:
    contract: str
    unit_price: Decimal
    min_qty: Decimal
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass(frozen=True, slots=True)
class PriceView:
    """What a product costs this account today and why, with its tiers and contracts."""

    currency: str | None
    unit_price: Decimal | None  # per base unit, at the product's minimum quantity
    explanation: str
    list_price: Decimal | None
    price_list: str | None
    tiers: list[tuple[Decimal, Decimal]]  # (from base quantity, price per base unit)
    contracts: list[ContractTerms]


@dataclass(frozen=True, slots=True)
class CodeMatch:
    """The product a code names, the unit it stands for and a sensible quantity to add."""

    sku: str
    name: str
    unit: str
    quantity: Decimal
    via: str  # "sku" | "gtin" | "gs1"


@dataclass(frozen=True, slots=True)
class ShipToOption:
    code: str
    name: str
    is_default: bool


@dataclass(frozen=True, slots=True)
class ReviewLine:
    """One line of the server's review of an order: what the buyer saw, what it is now."""

    line_no: int
    sku: str
    quantity: Decimal
    unit: str
    seen_unit_price: Decimal | None
    unit_price: Decimal | None
    change: str | None
    problem: str | None
    notes: list[str]


@dataclass(frozen=True, slots=True)
class OrderLineView:
    line_no: int
    sku: str
    quantity: Decimal
    unit: str
    unit_price: Decimal | None
    line_total: Decimal | None
    price_explanation: str | None
    status: str


@dataclass(frozen=True, slots=True)
class OrderDetail:
    client_order_id: str
    number: str | None
    status: str
    po_number: str | None
    ship_to: str | None
    requested_date: str | None
    note: str | None
    currency: str | None
    subtotal: Decimal | None
    created_at: str | None
    queued: bool
    lines: list[OrderLineView]
    history: list[tuple[str, str, str]]  # (at, status, note)
    review_reasons: list[str]
    review: list[ReviewLine]
    erp_number: str | None = None
    track: OrderTrack | None = None  # timeline, line quantities, shipments


def decimal_or_none(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def order_detail(doc: dict[str, Any], queued: bool, today: dt.date) -> OrderDetail:
    """An order document from the replica (or the outbox, ``queued``) as the screens show it."""
    review = doc.get("review") or {}
    return OrderDetail(
        client_order_id=doc["client_order_id"],
        number=doc.get("number"),
        status=doc.get("status") or "unknown",
        po_number=doc.get("po_number"),
        ship_to=doc.get("ship_to"),
        requested_date=doc.get("requested_date"),
        note=doc.get("note"),
        currency=doc.get("currency"),
        subtotal=decimal_or_none(doc.get("subtotal")),
        created_at=doc.get("created_at"),
        queued=queued,
        lines=[
            OrderLineView(
                line_no=int(li.get("line_no") or n),
                sku=str(li.get("sku") or ""),
                quantity=decimal_or_none(li.get("quantity")) or Decimal(0),
                unit=str(li.get("unit") or ""),
                unit_price=decimal_or_none(li.get("unit_price")),
                line_total=decimal_or_none(li.get("line_total")),
                price_explanation=li.get("price_explanation"),
                status=str(li.get("status") or ""),
            )
            for n, li in enumerate(doc.get("lines") or [], start=1)
        ],
        history=[
            (str(h.get("at") or ""), str(h.get("status") or ""), str(h.get("note") or ""))
            for h in doc.get("history") or []
        ],
        review_reasons=[str(r) for r in review.get("reasons") or []],
        review=[
            ReviewLine(
                line_no=int(li["line_no"]),
                sku=str(li.get("sku") or ""),
                quantity=decimal_or_none(li.get("quantity")) or Decimal(0),
                unit=str(li.get("unit") or ""),
                seen_unit_price=decimal_or_none(li.get("seen_unit_price")),
                unit_price=decimal_or_none(li.get("unit_price")),
                change=li.get("change"),
                problem=li.get("problem"),
                notes=[str(n) for n in li.get("notes") or []],
            )
            for li in review.get("lines") or []
        ],
        erp_number=doc.get("erp_number"),
        track=order_track(doc, today=today, queued=queued),
    )
