"""Request and response bodies of the auth endpoints."""

from __future__ import annotations

from pydantic import BaseModel, Field


class LoginRequest(BaseModel):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=10, max_length=200)


class TokenResponse(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_expires_in: int


class AccountPublic(BaseModel):
    id: int
    number: str
    name: str
    currency: str
    payment_terms: str
    credit_limit: str
    open_balance: str
    on_hold: bool


class MeResponse(BaseModel):
    id: int
    email: str
    name: str
    roles: list[str]
    spending_limit: str | None
    account: AccountPublic
