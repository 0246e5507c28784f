"""Row data of each synced entity, exactly as docs/sync-protocol.md describes it.

Every loader takes the bucket's owner (assortment, price list or account id, which the server
derived from the caller's token) and a list of keys, and returns key -> data for the keys that
still exist; a key it does not return is sent as a tombstone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from server.accounts.models import Account, ShipTo, User
from server.approvals.models import ApprovalRuleRow
from server.approvals.service import approval_docs, rule_doc
from server.carts.models import Cart
from server.erp.carriers import tracking_url
from server.erp.models import ErpLineInfo
from server.orders.models import Order, Shipment
from server.pricing.models import PriceList

Data = dict[str, Any]
Loader = Callable[[Session, int, Sequence[str]], dict[str, Data]]
_CHUNK = 900
_NO_QUANTITY = Decimal("0.0000")  # as the database returns a zero quantity


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _d(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _chunks(keys: Sequence[str]) -> list[Sequence[str]]:
    return [keys[i : i + _CHUNK] for i in range(0, len(keys), _CHUNK)]


class RawQuery:
    """The session's DB-API connection, for the bulk loaders: plain tuples, no per-value type
    processing (on SQLite a Decimal column goes float -> "%.4f" -> Decimal, and a time
    through its result processor; on 10,000-row pages that cost more than the queries).
    Values come as the driver returns them; ``_money``, ``_moment`` and ``_day`` write them
    exactly as the typed path (``_s``/``_d`` of the ORM values) does.
    """

    def __init__(self, session: Session) -> None:
        conn = session.connection()
        self._db: Any = conn.connection.driver_connection
        self._mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"

    def marks(self, count: int) -> str:
        return ", ".join([self._mark] * count)

    def rows(self, sql: str, params: Sequence[object]) -> list[tuple[Any, ...]]:
        """``sql`` with ``{m}`` where one placeholder goes (``marks`` for lists)."""
        cursor = self._db.execute(sql.replace("{m}", self._mark), tuple(params))
        try:
            return list(cursor.fetchall())
        finally:
            cursor.close()

    def ids(self, skus: Sequence[str]) -> dict[int, str]:
        """product id -> SKU for `skus`, through the unique SKU index.

        Every loader filters by these ids: with a long `sku IN (...)` list beside a join,
        SQLite picks a scan of the whole price list or stock table instead (30x slower).
        """
        return dict(
            self.rows(f"SELECT id, sku FROM products WHERE sku IN ({self.marks(len(skus))})", skus)
        )


_UNSEEN: Any = object()


def _money(value: Any) -> str | None:
    """A NUMERIC(18, 4) value as the wire writes it ("12.3400"): PostgreSQL returns a Decimal
    (``str`` as the typed path); SQLite the float or int it stored, which SQLAlchemy turns
    into ``Decimal("%.4f" % value)``, whose ``str`` is that same text."""
    if value is None:
        return None
    if type(value) is Decimal:
        return str(value)
    return "%.4f" % value  # noqa: UP031 - exactly SQLAlchemy's format for scale 4


def _moment(value: Any) -> str | None:
    """An aware-UTC time column (``UTCDateTime``) as ``_d`` writes it; SQLite stores text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        return str(value.replace(tzinfo=dt.UTC).isoformat())
    return str(value.astimezone(dt.UTC).isoformat())


def _day(value: Any) -> str | None:
    """A DATE column as ``_d`` writes it; SQLite stores text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return str(value.isoformat())


def load_products(session: Session, assortment_id: int, skus: Sequence[str]) -> dict[str, Data]:
    raw = RawQuery(session)
    out: dict[str, Data] = {}
    for chunk in _chunks(skus):
        ids = list(raw.ids(chunk))
        if not ids:
            continue
        marks = raw.marks(len(ids))
        rows = raw.rows(
            "SELECT id, sku, name, description, category, brand, base_unit, min_qty, multiple, "
            f"list_price, currency, status, replacement_sku FROM products WHERE id IN ({marks}) "
            "AND id IN (SELECT product_id FROM assortment_products WHERE assortment_id = {m} "
            f"AND product_id IN ({marks}))",
            [*ids, assortment_id, *ids],
        )
        units: dict[int, list[Data]] = {}
        for pid, code, factor, gtin in raw.rows(
            "SELECT product_id, code, factor, gtin FROM product_units "
            f"WHERE product_id IN ({marks}) ORDER BY product_id, factor",
            ids,
        ):
            units.setdefault(pid, []).append({"code": code, "factor": factor, "gtin": gtin})
        for (pid, sku, name, description, category, brand, base_unit, min_qty, multiple,
             list_price, currency, status, replacement_sku) in rows:  # fmt: skip
            out[sku] = {
                "sku": sku,
                "name": name,
                "description": description,
                "category": category,
                "brand": brand,
                "base_unit": base_unit,
                "min_qty": _money(min_qty),
                "multiple": _money(multiple),
                "list_price": _money(list_price),
                "currency": currency,
                "status": status,
                "replacement_sku": replacement_sku,
                "units": units.get(pid, []),
            }
    return out


def load_stock(session: Session, assortment_id: int, skus: Sequence[str]) -> dict[str, Data]:
    raw = RawQuery(session)
    warehouses = dict(raw.rows("SELECT id, code FROM warehouses", ()))
    names = dict(raw.rows("SELECT code, name FROM warehouses", ()))
    out: dict[str, Data] = {}
    # Every warehouse reports its figures as of one time, and receipts fall on a few days:
    # each distinct value is converted once per page.
    moments: dict[Any, str | None] = {}
    days: dict[Any, str | None] = {}
    for chunk in _chunks(skus):
        sku_of = raw.ids(chunk)
        ids = list(sku_of)
        if not ids:
            continue
        marks = raw.marks(len(ids))
        in_scope = {
            pid
            for (pid,) in raw.rows(
                "SELECT product_id FROM assortment_products WHERE assortment_id = {m} "
                f"AND product_id IN ({marks})",
                [assortment_id, *ids],
            )
        }
        rows = raw.rows(
            "SELECT product_id, warehouse_id, available, next_receipt_date, next_receipt_qty, "
            f"lead_time_days, as_of FROM stock WHERE product_id IN ({marks})",
            ids,
        )
        for pid, wid, available, receipt_date, receipt_qty, lead, as_of in sorted(
            rows, key=lambda r: (sku_of[r[0]], warehouses[r[1]])
        ):
            if pid not in in_scope:
                continue
            code = warehouses[wid]
            sku = sku_of[pid]
            when = moments.get(as_of, _UNSEEN)
            if when is _UNSEEN:
                when = moments[as_of] = _moment(as_of)
            receipt = days.get(receipt_date, _UNSEEN)
            if receipt is _UNSEEN:
                receipt = days[receipt_date] = _day(receipt_date)
            out.setdefault(sku, {"sku": sku, "warehouses": []})["warehouses"].append(
                {
                    "warehouse": code,
                    "warehouse_name": names[code],
                    "available": _money(available),
                    "next_receipt_date": receipt,
                    "next_receipt_qty": _money(receipt_qty),
                    "lead_time_days": lead,
                    "as_of": when,
                }
            )
    return out


def load_prices(session: Session, price_list_id: int, skus: Sequence[str]) -> dict[str, Data]:
    plist = session.get(PriceList, price_list_id)
    if plist is None:
        return {}
    raw = RawQuery(session)
    head = {
        "price_list": plist.code,
        "currency": plist.currency,
        "valid_from": _d(plist.valid_from),
        "valid_to": _d(plist.valid_to),
    }
    out: dict[str, Data] = {}
    for chunk in _chunks(skus):
        sku_of = raw.ids(chunk)
        if not sku_of:
            continue
        rows = raw.rows(
            "SELECT product_id, min_qty, price FROM price_list_items WHERE price_list_id = {m} "
            f"AND product_id IN ({raw.marks(len(sku_of))})",
            [price_list_id, *sku_of],
        )
        for pid, min_qty, price in sorted(rows, key=lambda r: (sku_of[r[0]], r[1])):
            sku = sku_of[pid]
            data = out.get(sku)
            if data is None:
                data = out[sku] = {"sku": sku, **head, "tiers": []}
            data["tiers"].append({"min_qty": _money(min_qty), "price": _money(price)})
    return out


def load_contracts(session: Session, account_id: int, skus: Sequence[str]) -> dict[str, Data]:
    raw = RawQuery(session)
    out: dict[str, Data] = {}
    for chunk in _chunks(skus):
        sku_of = raw.ids(chunk)
        if not sku_of:
            continue
        rows = raw.rows(
            "SELECT product_id, contract_code, price, min_qty, valid_from, valid_to "
            "FROM contract_prices WHERE account_id = {m} "
            f"AND product_id IN ({raw.marks(len(sku_of))})",
            [account_id, *sku_of],
        )
        for pid, code, price, min_qty, valid_from, valid_to in sorted(
            rows, key=lambda r: (sku_of[r[0]], r[1], r[3])
        ):
            sku = sku_of[pid]
            out.setdefault(sku, {"sku": sku, "prices": []})["prices"].append(
                {
                    "contract": code,
                    "price": _money(price),
                    "min_qty": _money(min_qty),
                    "valid_from": _day(valid_from),
                    "valid_to": _day(valid_to),
                }
            )
    return out


def _account_row(session: Session, account: Account) -> Data:
    parent = session.get(Account, account.parent_id) if account.parent_id else None
    return {
        "number": account.number,
        "name": account.name,
        "currency": account.currency,
        "payment_terms": account.payment_terms,
        "credit_limit": _s(account.credit_limit),
        "open_balance": _s(account.open_balance),
        "on_hold": account.on_hold,
        "price_tolerance_pct": _s(account.price_tolerance_pct),
        "admin_bypass_approval": account.admin_bypass_approval,
        "parent_number": parent.number if parent else None,
    }


def _uuids(keys: Sequence[str]) -> list[uuid.UUID]:
    out = []
    for k in keys:
        try:
            out.append(uuid.UUID(k))
        except ValueError:
            continue
    return out


def _shipment_data(shipment: Shipment, line_no: dict[int, int]) -> Data:
    return {
        "carrier": shipment.carrier,
        "tracking_number": shipment.tracking_number,
        "tracking_url": tracking_url(shipment.carrier, shipment.tracking_number),
        "shipped_at": _d(shipment.shipped_at),
        "expected_delivery": _d(shipment.expected_delivery),
        "delivered_at": _d(shipment.delivered_at),
        "lines": sorted(
            (
                {"line_no": line_no[sl.order_line_id], "quantity": _s(sl.quantity)}
                for sl in shipment.lines
                if sl.order_line_id in line_no
            ),
            key=lambda li: int(li["line_no"]),
        ),
    }


def order_data(
    order: Order,
    *,
    ship_to: str | None,
    user_email: str | None,
    shipments: Sequence[Shipment] = (),
    line_info: dict[int, ErpLineInfo] | None = None,
) -> Data:
    """The order row; `shipments` and `line_info` (by order line id) come from the ERP link."""
    info = line_info or {}
    line_no = {li.id: li.line_no for li in order.lines}
    return {
        "client_order_id": str(order.client_order_id),
        "number": order.number,
        "status": order.status,
        "po_number": order.po_number,
        "requested_date": _d(order.requested_date),
        "note": order.note,
        "currency": order.currency,
        "subtotal": _s(order.subtotal),
        "ship_to": ship_to,
        "created_at": _d(order.created_at),
        "updated_at": _d(order.updated_at),
        "erp_number": order.erp_number,
        "user_email": user_email,
        "lines": [
            {
                "line_no": li.line_no,
                "sku": li.sku,
                "quantity": _s(li.quantity),
                "unit": li.unit,
                "unit_price": _s(li.unit_price),
                "line_total": _s(li.line_total),
                "price_source": li.price_source,
                "price_explanation": li.price_explanation,
                "quantity_confirmed": _s(li.quantity_confirmed),
                "quantity_shipped": _s(li.quantity_shipped),
                "quantity_backordered": _s(li.quantity_backordered),
                "quantity_cancelled": _s(
                    info[li.id].quantity_cancelled if li.id in info else _NO_QUANTITY
                ),
                "expected_date": _d(info[li.id].expected_date) if li.id in info else None,
                "status": li.status,
            }
            for li in order.lines
        ],
        "history": [{"status": h.status, "note": h.note, "at": _d(h.at)} for h in order.history],
        "shipments": [_shipment_data(s, line_no) for s in shipments],
        "review": orjson.loads(order.review) if order.review else None,
    }


def _fulfilment(
    session: Session, orders: Sequence[Order]
) -> tuple[dict[int, list[Shipment]], dict[int, ErpLineInfo]]:
    """Shipments by order id and the ERP's line facts by order line id, for `orders`."""
    shipments: dict[int, list[Shipment]] = {}
    for s in session.scalars(
        select(Shipment)
        .where(Shipment.order_id.in_([o.id for o in orders]))
        .options(selectinload(Shipment.lines))
        .order_by(Shipment.id)
    ):
        shipments.setdefault(s.order_id, []).append(s)
    line_ids = [li.id for o in orders for li in o.lines]
    line_info: dict[int, ErpLineInfo] = {}
    for i in range(0, len(line_ids), _CHUNK):
        for info in session.scalars(
            select(ErpLineInfo).where(ErpLineInfo.order_line_id.in_(line_ids[i : i + _CHUNK]))
        ):
            line_info[info.order_line_id] = info
    return shipments, line_info


def load_account_entities(
    session: Session, account_id: int, entity: str, keys: Sequence[str]
) -> dict[str, Data]:
    """Rows of the `account:<id>` bucket; every query filters by `account_id`."""
    out: dict[str, Data] = {}
    if entity == "account":
        account = session.get(Account, account_id)
        if account is not None and account.number in keys:
            out[account.number] = _account_row(session, account)
    elif entity == "ship_to":
        for s in session.scalars(
            select(ShipTo).where(ShipTo.account_id == account_id, ShipTo.code.in_(keys))
        ):
            out[s.code] = {
                "code": s.code,
                "name": s.name,
                "street": s.street,
                "city": s.city,
                "postal_code": s.postal_code,
                "country": s.country,
                "is_default": s.is_default,
            }
    elif entity == "user":
        ids = [int(k) for k in keys if k.isdigit()]
        for u in session.scalars(
            select(User).where(User.account_id == account_id, User.id.in_(ids))
        ):
            out[str(u.id)] = {
                "id": u.id,
                "email": u.email,
                "name": u.name,
                "roles": sorted(r.value for r in u.roles),
                "spending_limit": _s(u.spending_limit),
                "manager_id": u.manager_id,
                "active": u.active,
            }
    elif entity == "cart":
        owners = dict(
            session.execute(select(User.id, User.email).where(User.account_id == account_id)).all()
        )
        for c in session.scalars(
            select(Cart)
            .where(Cart.account_id == account_id, Cart.id.in_(_uuids(keys)))
            .options(selectinload(Cart.lines))
        ):
            out[str(c.id)] = {
                "cart_id": str(c.id),
                "name": c.name,
                "status": c.status,
                "owner_email": owners.get(c.owner_id) if c.owner_id else None,
                "updated_at": _d(c.updated_at),
                "lines": [
                    {
                        "line_id": str(li.id),
                        "sku": li.sku,
                        "quantity": _s(li.quantity),
                        "unit": li.unit,
                        "updated_at": _d(li.updated_at),
                    }
                    for li in c.lines
                ],
            }
    elif entity == "order":
        ship_tos = dict(
            session.execute(
                select(ShipTo.id, ShipTo.code).where(ShipTo.account_id == account_id)
            ).all()
        )
        emails = dict(
            session.execute(select(User.id, User.email).where(User.account_id == account_id)).all()
        )
        wanted = _uuids(keys)
        for start in range(0, len(wanted), _CHUNK):
            orders = session.scalars(
                select(Order)
                .where(
                    Order.account_id == account_id,
                    Order.client_order_id.in_(wanted[start : start + _CHUNK]),
                )
                .options(selectinload(Order.lines), selectinload(Order.history))
            ).all()
            shipments, line_info = _fulfilment(session, orders)
            approvals = approval_docs(session, list(orders))
            for o in orders:
                out[str(o.client_order_id)] = order_data(
                    o,
                    ship_to=ship_tos.get(o.ship_to_id) if o.ship_to_id else None,
                    user_email=emails.get(o.user_id) if o.user_id else None,
                    shipments=shipments.get(o.id, []),
                    line_info=line_info,
                )
                out[str(o.client_order_id)]["approval"] = approvals.get(o.id)
    elif entity == "approval_rule":
        names = dict(
            session.execute(select(User.id, User.name).where(User.account_id == account_id)).all()
        )
        for r in session.scalars(
            select(ApprovalRuleRow).where(
                ApprovalRuleRow.account_id == account_id,
                ApprovalRuleRow.id.in_(_uuids(keys)),
                ApprovalRuleRow.deleted.is_(False),
            )
        ):
            out[str(r.id)] = rule_doc(r, names.get(r.updated_by_id) if r.updated_by_id else None)
    return out
