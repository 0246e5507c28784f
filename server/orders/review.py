"""Re-checks an order at server time with app.domain and explains every difference.

The client priced the order offline with the same domain code; whatever differs now (price,
lifecycle, pack rule, stock, credit) is listed line by line, in the buyer's words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.domain.money import Money, round_money
from app.domain.pricing import (
    NoPrice,
    PriceExplanation,
    PriceResolution,
    PriceSource,
    explain_price_change,
    line_price,
    within_tolerance,
)
from app.domain.quantity import QuantityRule, check_quantity
from app.domain.units import ProductUnits, UnitOfMeasure, UnknownUnit
from server.accounts.models import Account
from server.catalog.models import Product
from server.catalog.service import in_assortment
from server.pricing.service import pricing_for
from server.stock.models import Stock


@dataclass(frozen=True, slots=True)
class RequestedLine:
    sku: str
    quantity: Decimal
    unit: str
    seen_unit_price: Decimal | None
    seen_price: dict[str, Any] | None = None


@dataclass
class CheckedLine:
    line_no: int
    sku: str
    quantity: Decimal
    unit: str
    product: Product | None
    unit_price: Decimal = Decimal(0)
    line_total: Decimal = Decimal(0)
    price_source: str = ""
    price_explanation: str = ""
    seen_unit_price: Decimal | None = None
    change: str | None = None  # the explained price change, if any
    blocking: str | None = None  # a problem the order cannot go through with
    needs_confirmation: bool = False
    backorder: Decimal = Decimal(0)
    notes: list[str] = field(default_factory=list)

    def review_json(self) -> dict[str, Any]:
        return {
            "line_no": self.line_no,
            "sku": self.sku,
            "quantity": str(self.quantity),
            "unit": self.unit,
            "seen_unit_price": None if self.seen_unit_price is None else str(self.seen_unit_price),
            "unit_price": str(self.unit_price),
            "change": self.change,
            "problem": self.blocking,
            "notes": self.notes,
        }


@dataclass
class OrderCheck:
    lines: list[CheckedLine]
    currency: str
    subtotal: Decimal
    reasons: list[str]

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.reasons) or any(
            line.needs_confirmation or line.blocking for line in self.lines
        )

    def review_json(self) -> dict[str, Any] | None:
        if not self.needs_confirmation:
            return None
        return {
            "reasons": self.reasons,
            "lines": [
                li.review_json()
                for li in self.lines
                if li.needs_confirmation or li.blocking or li.notes
            ],
        }


def _then(raw: dict[str, Any] | None) -> PriceExplanation | None:
    if not raw:
        return None
    try:
        valid = raw.get("valid_until")
        tier = raw.get("tier_min_qty")
        return PriceExplanation(
            source=PriceSource(raw["source"]),
            reference=raw.get("reference"),
            tier_min_qty=None if tier is None else Decimal(str(tier)),
            valid_until=None if not valid else dt.date.fromisoformat(valid),
            text="",
        )
    except (KeyError, ValueError):
        return None


def _stock_by_product(session: Session, ids: list[int]) -> dict[int, Decimal]:
    rows = session.execute(
        select(Stock.product_id, func.sum(Stock.available))
        .where(Stock.product_id.in_(ids))
        .group_by(Stock.product_id)
    )
    return {pid: Decimal(total or 0) for pid, total in rows}


def check_order(
    session: Session, account: Account, requested: list[RequestedLine], *, on: dt.date
) -> OrderCheck:
    """Price and check `requested` for `account` as of `on` (the server's date, never the
    client's)."""
    skus = {r.sku.strip().upper() for r in requested}
    products = {
        p.sku.upper(): p
        for p in session.scalars(
            select(Product)
            .where(func.upper(Product.sku).in_(skus), in_assortment(account.assortment_id))  # type: ignore[arg-type]
            .options(selectinload(Product.units))
        )
    }
    pricing = pricing_for(session, account, products.values())
    stock = _stock_by_product(session, [p.id for p in products.values()])
    tolerance = account.price_tolerance_pct or Decimal(0)
    lines: list[CheckedLine] = []
    for no, req in enumerate(requested, start=1):
        product = products.get(req.sku.strip().upper())
        line = CheckedLine(
            no,
            req.sku,
            req.quantity,
            req.unit.upper(),
            product,
            seen_unit_price=req.seen_unit_price,
        )
        lines.append(line)
        if product is None:
            line.blocking = f"{req.sku} is not (or no longer) in your assortment"
            continue
        line.sku = product.sku
        if product.status == "discontinued":
            repl = f", replaced by {product.replacement_sku}" if product.replacement_sku else ""
            line.blocking = f"discontinued{repl}"
            continue
        units = ProductUnits(
            base=product.base_unit,
            units=tuple(UnitOfMeasure(u.code, u.factor) for u in product.units)
            or (UnitOfMeasure(product.base_unit, 1),),
        )
        rule = QuantityRule(min_qty=product.min_qty, multiple=product.multiple)
        qcheck = check_quantity(quantity=req.quantity, unit=line.unit, units=units, rule=rule)
        if not qcheck.ok:
            line.blocking = qcheck.message
            continue
        try:
            factor = units.factor(line.unit)
            priced = line_price(
                pricing=pricing[product.id], quantity=req.quantity, unit_factor=factor, on=on
            )
        except (NoPrice, UnknownUnit) as exc:
            line.blocking = str(exc)
            continue
        line.unit_price = priced.unit_price.amount
        line.line_total = priced.line_total.amount
        line.price_source = priced.resolution.explanation.source.value
        line.price_explanation = priced.resolution.explanation.text
        if req.seen_unit_price is not None:
            change = explain_price_change(
                seen_unit_price=Money(req.seen_unit_price, account.currency),
                now=PriceResolution(product.sku, priced.unit_price, priced.resolution.explanation),
                then=_then(req.seen_price),
                on=on,
            )
            if change.direction != "same":
                line.change = change.text
                if not within_tolerance(change, tolerance):
                    line.needs_confirmation = True
        available = stock.get(product.id, Decimal(0))
        wanted = req.quantity * factor
        if wanted > available:
            line.backorder = wanted - max(available, Decimal(0))
            line.notes.append(
                f"only {max(available, Decimal(0)).normalize()} {product.base_unit} in stock; "
                f"{line.backorder.normalize()} {product.base_unit} will be backordered"
            )
    subtotal = round_money(sum((li.line_total for li in lines), Decimal(0)), account.currency)
    reasons: list[str] = []
    if account.on_hold:
        reasons.append("your account is on hold; the supplier must release it before ordering")
    available_credit = account.credit_limit - account.open_balance
    if account.credit_limit > 0 and subtotal > available_credit:
        reasons.append(
            f"order total {subtotal} {account.currency} exceeds the credit left "
            f"({available_credit} {account.currency})"
        )
    return OrderCheck(lines, account.currency, subtotal, reasons)
