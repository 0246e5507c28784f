"""HTTP to the sync server: JSON in and out, token refresh, and errors the caller can act on."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import orjson

from app.sync.errors import ClientTooOld, Offline, RequestRefused, ServerBusy, SignInRequired
from app.sync.tokens import Tokens, TokenStore

log = logging.getLogger("orderpad.sync.client")


class ServerClient:
    """One server, one signed-in user. Refreshes the access token once on a 401."""

    def __init__(
        self,
        base_url: str,
        store: TokenStore,
        *,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.store = store
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def _send(
        self, method: str, path: str, body: dict[str, Any] | None, token: str | None
    ) -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            return self._http.request(
                method,
                path,
                headers=headers,
                content=None if body is None else orjson.dumps(body),
            )
        except httpx.TransportError as exc:
            raise Offline(f"cannot reach {self.base_url}: {type(exc).__name__}") from exc

    @staticmethod
    def _detail(response: httpx.Response) -> str:
        try:
            detail = response.json().get("detail", response.text)
        except ValueError:
            return response.text[:200]
        if isinstance(detail, dict):
            return str(detail.get("message", detail))
        return str(detail)

    def _check(self, response: httpx.Response) -> Any:
        code = response.status_code
        if code == 426:
            raise ClientTooOld(self._detail(response))
        if code == 429 or code >= 500:
            raise ServerBusy(f"server busy ({code}); will retry")
        if code == 401:
            raise SignInRequired(self._detail(response))
        if code >= 400:
            raise RequestRefused(f"{code}: {self._detail(response)}")
        return orjson.loads(response.content) if response.content else None

    def login(self, email: str, password: str) -> dict[str, Any]:
        data = self._check(
            self._send("POST", "/api/v1/auth/login", {"email": email, "password": password}, None)
        )
        self.store.save(Tokens(data["access_token"], data["refresh_token"]))
        return dict(data)

    def _refresh(self) -> Tokens:
        tokens = self.store.load()
        if tokens is None:
            raise SignInRequired("not signed in")
        response = self._send(
            "POST", "/api/v1/auth/refresh", {"refresh_token": tokens.refresh_token}, None
        )
        if response.status_code in (400, 401, 422):
            raise SignInRequired("your session ended; sign in again (nothing was lost)")
        data = self._check(response)
        fresh = Tokens(data["access_token"], data["refresh_token"])
        self.store.save(fresh)
        return fresh

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """Send an authenticated request; on 401 refresh once and resend."""
        tokens = self.store.load()
        if tokens is None:
            raise SignInRequired("not signed in")
        response = self._send(method, path, body, tokens.access_token)
        if response.status_code == 401:
            tokens = self._refresh()
            response = self._send(method, path, body, tokens.access_token)
        return self._check(response)
