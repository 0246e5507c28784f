"""HTTP: sign in, refresh, sign out, and who am I."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status

from server.auth import service
from server.auth.schemas import (
    AccountPublic,
    LoginRequest,
    MeResponse,
    RefreshRequest,
    TokenResponse,
)
from server.deps import CallerDep, SessionDep, SettingsDep

router = APIRouter(prefix="/api/v1", tags=["auth"])


def _tokens(pair: service.TokenPair) -> TokenResponse:
    return TokenResponse(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
        refresh_expires_in=pair.refresh_expires_in,
    )


@router.post("/auth/login")
def login(
    body: LoginRequest, request: Request, session: SessionDep, settings: SettingsDep
) -> TokenResponse:
    address = request.client.host if request.client else "unknown"
    try:
        pair = service.login(
            session, settings, email=body.email, password=body.password, address=address
        )
    except service.TooManyAttempts as exc:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            str(exc),
            headers={"Retry-After": str(exc.retry_after_s)},
        ) from None
    except service.LoginRefused as exc:
        # The failed attempt must be stored even though the request fails.
        session.commit()
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc)) from None
    return _tokens(pair)


@router.post("/auth/refresh")
def refresh(body: RefreshRequest, session: SessionDep, settings: SettingsDep) -> TokenResponse:
    try:
        pair = service.refresh(session, settings, refresh_token=body.refresh_token)
    except service.RefreshRefused as exc:
        session.commit()  # keep a family revocation caused by token reuse
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, str(exc)) from None
    return _tokens(pair)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(caller: CallerDep, session: SessionDep) -> None:
    """Sign this login out everywhere: its refresh tokens and access tokens stop working."""
    service.revoke_family(session, caller.family)


@router.get("/me")
def me(caller: CallerDep) -> MeResponse:
    user, account = caller.user, caller.account
    return MeResponse(
        id=user.id,
        email=user.email,
        name=user.name,
        roles=sorted(r.value for r in user.roles),
        spending_limit=None if user.spending_limit is None else str(user.spending_limit),
        account=AccountPublic(
            id=account.id,
            number=account.number,
            name=account.name,
            currency=account.currency,
            payment_terms=account.payment_terms,
            credit_limit=str(account.credit_limit),
            open_balance=str(account.open_balance),
            on_hold=account.on_hold,
        ),
    )
