"""Request dependencies: the settings, one session per request, and the signed-in user."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from server.accounts.models import Account, Role, User
from server.auth.service import family_is_live
from server.auth.tokens import InvalidToken, read_access_token
from server.config import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; committed when the route returns normally."""
    factory: sessionmaker[Session] = request.app.state.sessions
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


SettingsDep = Annotated[Settings, Depends(get_settings)]
# scope="function": commit before the response is sent. With the default, FastAPI commits
# after the client already has its answer: a client could act on tokens or results that a
# failed commit then loses, or race its own next request.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
_bearer = HTTPBearer(auto_error=False)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: always one active user of one account. Every query scopes by it."""

    user: User
    account: Account
    family: str  # the login this request's token belongs to

    @property
    def account_id(self) -> int:
        return self.account.id

    def require(self, *roles: Role) -> None:
        if not (self.user.roles & set(roles)):
            names = " or ".join(r.value for r in roles)
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"this needs the {names} role")


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "Bearer"}
    )


def get_caller(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None:
        raise _unauthorized("sign in first")
    try:
        claims = read_access_token(
            settings.secret_key, credentials.credentials, now=int(time.time())
        )
    except InvalidToken as exc:
        raise _unauthorized(str(exc)) from None
    user = session.get(User, claims.user_id)
    # Rights are re-read on every request: a user disabled or moved loses access at once.
    if user is None or not user.active or user.account_id != claims.account_id:
        raise _unauthorized("this user can no longer sign in")
    if not family_is_live(session, claims.family):
        raise _unauthorized("signed out; sign in again")
    account = session.get(Account, user.account_id)
    if account is None:
        raise _unauthorized("account not found")
    return Caller(user=user, account=account, family=claims.family)


CallerDep = Annotated[Caller, Depends(get_caller)]
