"""Cart mutations. Line ids come from the client, so two devices can edit one cart."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import roles
from server.accounts.models import Account, Role, User
from server.carts.models import Cart, CartLine
from server.catalog.models import Product
from server.catalog.service import in_assortment
from server.changes.service import RowChange, account_bucket, record_changes
from server.sync.outcome import Outcome, Rejected, applied

ORDERING_ROLES = tuple(sorted(Role(name) for name in roles.ORDERING_ROLES))  # the domain's rule


def require_role(user: User, *roles: Role) -> None:
    if not user.roles & set(roles):
        names = " or ".join(r.value for r in roles)
        raise Rejected("forbidden", f"{user.email} may not do this: it needs the {names} role")


def parse_uuid(args: dict[str, Any], name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(args[name]))
    except (KeyError, ValueError):
        raise Rejected("invalid", f"{name} must be a UUID") from None


def parse_quantity(raw: object) -> Decimal:
    try:
        qty = Decimal(str(raw).replace(",", "."))
    except InvalidOperation:
        raise Rejected("invalid_quantity", f"{raw!r} is not a quantity") from None
    if not qty.is_finite() or qty <= 0:
        raise Rejected("invalid_quantity", f"{raw!r} is not a positive quantity")
    return qty


def _cart(session: Session, account: Account, cart_id: uuid.UUID) -> Cart:
    cart = session.get(Cart, cart_id)
    if cart is None or cart.account_id != account.id:
        raise Rejected("not_found", "no such cart")
    if cart.status == "deleted":
        raise Rejected("deleted", f"cart {cart.name!r} was deleted")
    return cart


def _open_cart(session: Session, account: Account, cart_id: uuid.UUID) -> Cart:
    cart = _cart(session, account, cart_id)
    if cart.status != "open":
        raise Rejected("cart_locked", f"cart {cart.name!r} was already {cart.status}")
    return cart


def _touch(session: Session, account: Account, cart: Cart) -> None:
    record_changes(session, account_bucket(account.id), [RowChange("cart", str(cart.id))])


def create(session: Session, account: Account, user: User, args: dict[str, Any]) -> Outcome:
    require_role(user, *ORDERING_ROLES)
    cart_id = parse_uuid(args, "cart_id")
    name = str(args.get("name") or "Cart").strip()[:100]
    existing = session.get(Cart, cart_id)
    if existing is not None:
        if existing.account_id != account.id:
            raise Rejected("invalid", "cart_id is taken")
        return applied("cart exists already", cart_id=str(cart_id))
    cart = Cart(id=cart_id, account_id=account.id, owner_id=user.id, name=name)
    session.add(cart)
    session.flush()
    _touch(session, account, cart)
    return applied(cart_id=str(cart_id))


def rename(session: Session, account: Account, user: User, args: dict[str, Any]) -> Outcome:
    require_role(user, *ORDERING_ROLES)
    cart = _cart(session, account, parse_uuid(args, "cart_id"))
    cart.name = str(args.get("name") or cart.name).strip()[:100]
    _touch(session, account, cart)
    return applied()


def delete(session: Session, account: Account, user: User, args: dict[str, Any]) -> Outcome:
    require_role(user, *ORDERING_ROLES)
    cart = session.get(Cart, parse_uuid(args, "cart_id"))
    if cart is None or cart.account_id != account.id:
        raise Rejected("not_found", "no such cart")
    if cart.status != "deleted":
        cart.status = "deleted"
        _touch(session, account, cart)
    return applied()


def set_line(session: Session, account: Account, user: User, args: dict[str, Any]) -> Outcome:
    require_role(user, *ORDERING_ROLES)
    cart = _open_cart(session, account, parse_uuid(args, "cart_id"))
    line_id = parse_uuid(args, "line_id")
    sku = str(args.get("sku", "")).strip()
    quantity = parse_quantity(args.get("quantity"))
    unit = str(args.get("unit") or "").strip().upper()
    product = session.scalar(
        select(Product).where(Product.sku == sku, in_assortment(account.assortment_id))  # type: ignore[arg-type]
    )
    if product is None:
        raise Rejected("unknown_sku", f"{sku} is not in this account's assortment")
    line = session.get(CartLine, line_id)
    if line is not None and line.cart_id != cart.id:
        raise Rejected("invalid", "line_id belongs to another cart")
    if line is None:
        session.add(
            CartLine(
                id=line_id,
                cart_id=cart.id,
                sku=product.sku,
                quantity=quantity,
                unit=unit or product.base_unit,
            )
        )
    else:
        line.sku, line.quantity, line.unit = product.sku, quantity, unit or product.base_unit
    session.flush()
    _touch(session, account, cart)
    return applied(line_id=str(line_id))


def remove_line(session: Session, account: Account, user: User, args: dict[str, Any]) -> Outcome:
    require_role(user, *ORDERING_ROLES)
    cart = _open_cart(session, account, parse_uuid(args, "cart_id"))
    line = session.get(CartLine, parse_uuid(args, "line_id"))
    if line is not None and line.cart_id == cart.id:
        session.delete(line)
        session.flush()
        _touch(session, account, cart)
    return applied()
