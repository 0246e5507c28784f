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
from server.carts.models import Cart
from server.catalog.models import AssortmentProduct, Product, ProductUnit
from server.orders.models import Order
from server.pricing.models import ContractPrice, PriceList, PriceListItem
from server.stock.models import Stock, Warehouse

Data = dict[str, Any]
Loader = Callable[[Session, int, Sequence[str]], dict[str, Data]]
_CHUNK = 900


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _d(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _chunks(keys: Sequence[str]) -> list[Sequence[str]]:
    return [keys[i : i + _CHUNK] for i in range(0, len(keys), _CHUNK)]


def load_products(session: Session, assortment_id: int, skus: Sequence[str]) -> dict[str, Data]:
    out: dict[str, Data] = {}
    for chunk in _chunks(skus):
        products = session.scalars(
            select(Product)
            .join(AssortmentProduct, AssortmentProduct.product_id == Product.id)
            .where(AssortmentProduct.assortment_id == assortment_id, Product.sku.in_(chunk))
        ).all()
        units: dict[int, list[Data]] = {}
        for u in session.scalars(
            select(ProductUnit)
            .where(ProductUnit.product_id.in_([p.id for p in products]))
            .order_by(ProductUnit.product_id, ProductUnit.factor)
        ):
            units.setdefault(u.product_id, []).append(
                {"code": u.code, "factor": u.factor, "gtin": u.gtin}
            )
        for p in products:
            out[p.sku] = {
                "sku": p.sku,
                "name": p.name,
                "description": p.description,
                "category": p.category,
                "brand": p.brand,
                "base_unit": p.base_unit,
                "min_qty": _s(p.min_qty),
                "multiple": _s(p.multiple),
                "list_price": _s(p.list_price),
                "currency": p.currency,
                "status": p.status,
                "replacement_sku": p.replacement_sku,
                "units": units.get(p.id, []),
            }
    return out


def load_stock(session: Session, assortment_id: int, skus: Sequence[str]) -> dict[str, Data]:
    out: dict[str, Data] = {}
    for chunk in _chunks(skus):
        rows = session.execute(
            select(Product.sku, Warehouse.code, Warehouse.name, Stock)
            .join(Stock, Stock.product_id == Product.id)
            .join(Warehouse, Warehouse.id == Stock.warehouse_id)
            .join(AssortmentProduct, AssortmentProduct.product_id == Product.id)
            .where(AssortmentProduct.assortment_id == assortment_id, Product.sku.in_(chunk))
            .order_by(Product.sku, Warehouse.code)
        )
        for sku, code, name, s in rows:
            out.setdefault(sku, {"sku": sku, "warehouses": []})["warehouses"].append(
                {
                    "warehouse": code,
                    "warehouse_name": name,
                    "available": _s(s.available),
                    "next_receipt_date": _d(s.next_receipt_date),
                    "next_receipt_qty": _s(s.next_receipt_qty),
                    "lead_time_days": s.lead_time_days,
                    "as_of": _d(s.as_of),
                }
            )
    return out


def load_prices(session: Session, price_list_id: int, skus: Sequence[str]) -> dict[str, Data]:
    plist = session.get(PriceList, price_list_id)
    if plist is None:
        return {}
    out: dict[str, Data] = {}
    for chunk in _chunks(skus):
        rows = session.execute(
            select(Product.sku, PriceListItem.min_qty, PriceListItem.price)
            .join(PriceListItem, PriceListItem.product_id == Product.id)
            .where(PriceListItem.price_list_id == price_list_id, Product.sku.in_(chunk))
            .order_by(Product.sku, PriceListItem.min_qty)
        )
        for sku, min_qty, price in rows:
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
        rows = session.execute(
            select(Product.sku, ContractPrice)
            .join(ContractPrice, ContractPrice.product_id == Product.id)
            .where(ContractPrice.account_id == account_id, Product.sku.in_(chunk))
            .order_by(Product.sku, ContractPrice.contract_code, ContractPrice.min_qty)
        )
        for sku, c in rows:
            out.setdefault(sku, {"sku": sku, "prices": []})["prices"].append(
                {
                    "contract": c.contract_code,
                    "price": _s(c.price),
                    "min_qty": _s(c.min_qty),
                    "valid_from": _d(c.valid_from),
                    "valid_to": _d(c.valid_to),
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


def order_data(order: Order, *, ship_to: str | None, user_email: str | None) -> Data:
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
                "status": li.status,
            }
            for li in order.lines
        ],
        "history": [{"status": h.status, "note": h.note, "at": _d(h.at)} for h in order.history],
        "review": orjson.loads(order.review) if order.review else None,
    }


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
            for o in session.scalars(
                select(Order)
                .where(
                    Order.account_id == account_id,
                    Order.client_order_id.in_(wanted[start : start + _CHUNK]),
                )
                .options(selectinload(Order.lines), selectinload(Order.history))
            ):
                out[str(o.client_order_id)] = order_data(
                    o,
                    ship_to=ship_tos.get(o.ship_to_id) if o.ship_to_id else None,
                    user_email=emails.get(o.user_id) if o.user_id else None,
                )
    return out
