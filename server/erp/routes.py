"""HTTP: the integration API under /api/v1/erp, for the supplier's ERP, with API keys only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, status
from sqlalchemy.orm import Session, sessionmaker

from server.deps import SessionDep
from server.erp import orders as erp_orders
from server.erp.keys import KeyScope, scope_for
from server.erp.schemas import AckRequest, AckResult, EventBatch, EventResults, ReadyOrder
from server.erp.service import post_events

router = APIRouter(prefix="/api/v1/erp", tags=["erp"])


def _refuse(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "ApiKey"}
    )


def get_key_scope(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    x_api_key: Annotated[str | None, Header()] = None,
) -> KeyScope:
    """The calling key: `Authorization: ApiKey <key>` or `X-API-Key: <key>`. Never logged."""
    key = (x_api_key or "").strip()
    if not key and authorization:
        scheme, _, value = authorization.strip().partition(" ")
        if scheme.lower() != "apikey":
            raise _refuse("the ERP API takes an API key (Authorization: ApiKey <key>), not a token")
        key = value.strip()
    if not key:
        raise _refuse("an API key is required (Authorization: ApiKey <key>)")
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as session:
        scope = scope_for(session, key)
    if scope is None:
        raise _refuse("unknown or revoked API key")
    return scope


KeyDep = Annotated[KeyScope, Depends(get_key_scope)]


@router.get("/orders/ready")
def ready(
    scope: KeyDep, session: SessionDep, limit: int = Query(100, ge=1, le=1000)
) -> list[ReadyOrder]:
    """Orders to take over, oldest first; each comes back until it is acknowledged."""
    return [
        ReadyOrder.model_validate(o) for o in erp_orders.ready_orders(session, scope, limit=limit)
    ]


@router.post("/orders/{client_order_id}/ack")
def ack(client_order_id: str, body: AckRequest, scope: KeyDep, session: SessionDep) -> AckResult:
    """Take the order over under `erp_number`; the same ack again answers the same."""
    erp_number = body.erp_number.strip()
    if not erp_number:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "erp_number is empty")
    try:
        answer = erp_orders.acknowledge(
            session, scope, client_order_id=client_order_id, erp_number=erp_number
        )
    except erp_orders.OrderNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(exc)) from None
    except erp_orders.AckConflict as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None
    return AckResult.model_validate(answer)


@router.post("/events")
def events(body: EventBatch, scope: KeyDep, request: Request) -> EventResults:
    """Apply each event in its own transaction; one result per event, in the same order."""
    sessions: sessionmaker[Session] = request.app.state.sessions
    results = post_events(sessions, scope, body.events, source=scope.source)
    return EventResults.model_validate({"results": results})
