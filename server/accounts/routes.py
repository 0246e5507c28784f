"""HTTP: the caller's own ship-to locations and users. Never another account's."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import select

from server.accounts.models import Role, ShipTo, User
from server.deps import CallerDep, SessionDep

router = APIRouter(prefix="/api/v1", tags=["account"])


class ShipToPublic(BaseModel):
    code: str
    name: str
    street: str
    city: str
    postal_code: str
    country: str
    is_default: bool


class UserPublic(BaseModel):
    id: int
    email: str
    name: str
    roles: list[str]
    spending_limit: str | None
    active: bool


@router.get("/ship-tos")
def list_ship_tos(caller: CallerDep, session: SessionDep) -> list[ShipToPublic]:
    rows = session.scalars(
        select(ShipTo).where(ShipTo.account_id == caller.account_id).order_by(ShipTo.code)
    )
    return [
        ShipToPublic(
            code=r.code,
            name=r.name,
            street=r.street,
            city=r.city,
            postal_code=r.postal_code,
            country=r.country,
            is_default=r.is_default,
        )
        for r in rows
    ]


@router.get("/users")
def list_users(caller: CallerDep, session: SessionDep) -> list[UserPublic]:
    """The account's users; admins and approvers only (they manage limits and approvals)."""
    caller.require(Role.ADMIN, Role.APPROVER)
    rows = session.scalars(
        select(User).where(User.account_id == caller.account_id).order_by(User.email)
    )
    return [
        UserPublic(
            id=u.id,
            email=u.email,
            name=u.name,
            roles=sorted(r.value for r in u.roles),
            spending_limit=None if u.spending_limit is None else str(u.spending_limit),
            active=u.active,
        )
        for u in rows
    ]
