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
from server.catalog.models import AssortmentProduct, Product, ProductUnit
from server.erp.carriers import tracking_url
from server.erp.models import ErpLineInfo
from server.orders.models import Order, Shipment
from server.pricing.models import ContractPrice, PriceList, PriceListItem
from server.stock.models import Stock, Warehouse

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


def _ids(session: Session, skus: Sequence[str]) -> dict[int, str]:
    """product id -> SKU for `skus`, through the unique SKU index.

    Every loader filters by these ids: with a long `sku IN (...)` list beside a join, SQLite
    picks a scan of the whole price list or stock table instead (30x slower). Loaders use
    Core on the session's connection: the ORM's row handling tripled the cost of a page.
    """
    return dict(
        session.connection()
        .execute(select(Product.id, Product.sku).where(Product.sku.in_(skus)))
        .all()
    )


def load_products(session: Session, assortment_id: int, skus: Sequence[str]) -> dict[str, Data]:
    out: dict[str, Data] = {}
    for chunk in _chunks(skus):
        ids = list(_ids(session, chunk))
        rows = (
            session.connection()
            .execute(
                select(
                    Product.id,
                    Product.sku,
                    Product.name,
                    Product.description,
                    Product.category,
                    Product.brand,
                    Product.base_unit,
                    Product.min_qty,
                    Product.multiple,
                    Product.list_price,
                    Product.currency,
                    Product.status,
                    Product.replacement_sku,
                ).where(
                    Product.id.in_(ids),
                    Product.id.in_(
                        select(AssortmentProduct.product_id).where(
                            AssortmentProduct.assortment_id == assortment_id,
                            AssortmentProduct.product_id.in_(ids),
                        )
                    ),
                )
            )
            .all()
        )
        units: dict[int, list[Data]] = {}
        for pid, code, factor, gtin in session.connection().execute(
            select(ProductUnit.product_id, ProductUnit.code, ProductUnit.factor, ProductUnit.gtin)
            .where(ProductUnit.product_id.in_(ids))
            .order_by(ProductUnit.product_id, ProductUnit.factor)
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
                "min_qty": _s(min_qty),
                "multiple": _s(multiple),
                "list_price": _s(list_price),
                "currency": currency,
                "status": status,
                "replacement_sku": replacement_sku,
                "units": units.get(pid, []),
            }
    return out


def load_stock(session: Session, assortment_id: int, skus: Sequence[str]) -> dict[str, Data]:
    warehouses = dict(session.connection().execute(select(Warehouse.id, Warehouse.code)).all())
    names = dict(session.connection().execute(select(Warehouse.code, Warehouse.name)).all())
    out: dict[str, Data] = {}
    for chunk in _chunks(skus):
        sku_of = _ids(session, chunk)
        ids = list(sku_of)
        in_scope = set(
            session.connection().scalars(
                select(AssortmentProduct.product_id).where(
                    AssortmentProduct.assortment_id == assortment_id,
                    AssortmentProduct.product_id.in_(ids),
                )
            )
        )
        rows = (
            session.connection()
            .execute(
                select(
                    Stock.product_id,
                    Stock.warehouse_id,
                    Stock.available,
                    Stock.next_receipt_date,
                    Stock.next_receipt_qty,
                    Stock.lead_time_days,
                    Stock.as_of,
                ).where(Stock.product_id.in_(ids))
            )
            .all()
        )
        for pid, wid, available, receipt_date, receipt_qty, lead, as_of in sorted(
            rows, key=lambda r: (sku_of[r[0]], warehouses[r[1]])
        ):
            if pid not in in_scope:
                continue
            code = warehouses[wid]
            sku = sku_of[pid]
            out.setdefault(sku, {"sku": sku, "warehouses": []})["warehouses"].append(
                {
                    "warehouse": code,
                    "warehouse_name": names[code],
                    "available": _s(available),
                    "next_receipt_date": _d(receipt_date),
                    "next_receipt_qty": _s(receipt_qty),
                    "lead_time_days": lead,
                    "as_of": _d(as_of),
                }
            )
    return out


def load_prices(session: Session, price_list_id: int, skus: Sequence[str]) -> dict[str, Data]:
    plist = session.get(PriceList, price_list_id)
    if plist is None:
        return {}
    out: dict[str, Data] = {}
    for chunk in _chunks(skus):
        sku_of = _ids(session, chunk)
        rows = (
            session.connection()
            .execute(
                select(PriceListItem.product_id, PriceListItem.min_qty, PriceListItem.price).where(
                    PriceListItem.price_list_id == price_list_id,
                    PriceListItem.product_id.in_(list(sku_of)),
                )
            )
            .all()
        )
        for pid, min_qty, price in sorted(rows, key=lambda r: (sku_of[r[0]], r[1])):
            sku = sku_of[pid]
            out.setdefault(
                sku,
                {
                    "sku": sku,
                    "price_list": plist.code,
                    "currency": plist.currency,
                    "valid_from": _d(plist.valid_from),
                    "valid_to": _d(plist.valid_to),
                    "tiers": [],
                },
            )["tiers"].append({"min_qty": _s(min_qty), "price": _s(price)})
    return out


def load_contracts(session: Session, account_id: int, skus: Sequence[str]) -> dict[str, Data]:
    out: dict[str, Data] = {}
    for chunk in _chunks(skus):
        sku_of = _ids(session, chunk)
        rows = (
            session.connection()
            .execute(
                select(
                    ContractPrice.product_id,
                    ContractPrice.contract_code,
                    ContractPrice.price,
                    ContractPrice.min_qty,
                    ContractPrice.valid_from,
                    ContractPrice.valid_to,
                ).where(
                    ContractPrice.account_id == account_id,
                    ContractPrice.product_id.in_(list(sku_of)),
                )
            )
            .all()
        )
        for pid, code, price, min_qty, valid_from, valid_to in sorted(
            rows, key=lambda r: (sku_of[r[0]], r[1], r[3])
        ):
            sku = sku_of[pid]
            out.setdefault(sku, {"sku": sku, "prices": []})["prices"].append(
                {
                    "contract": code,
                    "price": _s(price),
                    "min_qty": _s(min_qty),
                    "valid_from": _d(valid_from),
                    "valid_to": _d(valid_to),
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
