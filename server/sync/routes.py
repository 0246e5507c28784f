"""HTTP: POST /api/v1/sync/pull and /api/v1/sync/push (see docs/sync-protocol.md)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, HTTPException, Request, Response, status
from sqlalchemy.orm import Session, sessionmaker

from server.config import Settings
from server.deps import CallerDep, SessionDep, SettingsDep
from server.sync import MIN_PROTOCOL_VERSION, PROTOCOL_VERSION
from server.sync.outcome import Rejected
from server.sync.pull import pull
from server.sync.push import MAX_BATCH, push

router = APIRouter(prefix="/api/v1/sync", tags=["sync"])


JsonBody = Annotated[dict[str, Any], Body()]


def _check_protocol(body: dict[str, Any], settings: Settings) -> None:
    """An outdated client gets 426: it keeps working offline and holds its pushes."""
    version = body.get("protocol")
    minimum = max(MIN_PROTOCOL_VERSION, settings.min_protocol)
    if not isinstance(version, int) or version < minimum:
        raise HTTPException(
            status.HTTP_426_UPGRADE_REQUIRED,
            {
                "message": "this Orderpad is too old for the server; update it — your "
                "changes are kept and will be sent after the update",
                "min_protocol": MIN_PROTOCOL_VERSION,
                "protocol": PROTOCOL_VERSION,
            },
        )


def _json(data: dict[str, Any]) -> Response:
    # orjson straight to bytes: pydantic would triple the cost of a 5,000-row page.
    return Response(orjson.dumps(data), media_type="application/json")


@router.post("/pull")
def pull_route(
    body: JsonBody,
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    _check_protocol(body, settings)
    raw = body.get("cursors") or {}
    if not isinstance(raw, dict):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "cursors must be an object")
    try:
        cursors = {str(k): int(v) for k, v in raw.items()}
        limit = int(body.get("limit") or 5000)
    except (TypeError, ValueError):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "cursors must be integers") from None
    epoch = body.get("epoch")
    return _json(
        pull(
            session,
            caller.account,
            cursors=cursors,
            epoch=epoch if isinstance(epoch, str) else None,
            limit=limit,
            cache=request.app.state.checkpoints,
            verify=bool(body.get("verify")),
        )
    )


@router.post("/push")
def push_route(
    body: JsonBody,
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    # The sign-in check ran on the request's session; end its transaction so that its pooled
    # connection goes back before push takes one per mutation. Holding both made concurrent
    # pushes wait on each other for connections until the pool timed out (make bench).
    session.commit()
    _check_protocol(body, settings)
    mutations = body.get("mutations")
    if not isinstance(mutations, list) or not all(isinstance(m, dict) for m in mutations):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "mutations must be a list of objects")
    if len(mutations) > MAX_BATCH:
        raise HTTPException(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, f"at most {MAX_BATCH} mutations per push"
        )
    try:
        device_id = uuid.UUID(str(body.get("device_id")))
    except ValueError:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "device_id must be a UUID") from None
    sessions: sessionmaker[Session] = request.app.state.sessions
    try:
        answer = push(sessions, user=caller.user, device_id=device_id, mutations=mutations)
    except Rejected as exc:
        raise HTTPException(status.HTTP_403_FORBIDDEN, exc.message) from None
    return _json(answer)
