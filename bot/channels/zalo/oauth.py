"""Zalo's OAuth v4 endpoint for Official Accounts: a refresh token for a new token pair.

`POST {ZALO_OAUTH_BASE}/v4/oa/access_token`, form-encoded `refresh_token`, `app_id` and
`grant_type=refresh_token`, the app's secret key in the `secret_key` header. A refresh
token works once: the answer carries the next one.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from bot.channels.zalo.rules import TOKEN_LIFETIME_SECONDS
from bot.errors import BotError


class ZaloAuthError(BotError):
    """Zalo refused to renew the access token (refresh token used, expired or revoked)."""


@dataclass(frozen=True, slots=True)
class TokenPair:
    """A new access token, valid `expires_in` seconds, and the refresh token to use next."""

    access: str
    refresh: str
    expires_in: float


class ZaloOAuth:
    """Calls the refresh endpoint."""

    def __init__(self, http: httpx.AsyncClient, *, base: str, app_id: str, app_secret: str) -> None:
        self._http = http
        self._url = base.rstrip("/") + "/v4/oa/access_token"
        self._app_id = app_id
        self._secret = app_secret

    async def refresh(self, refresh_token: str) -> TokenPair:
        """Trade `refresh_token` for a new pair.

        Raises:
            ZaloAuthError: Zalo refused, or answered something else than a token pair.

        """
        form = {"refresh_token": refresh_token, "app_id": self._app_id}
        form["grant_type"] = "refresh_token"
        try:
            response = await self._http.post(
                self._url, data=form, headers={"secret_key": self._secret}
            )
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise ZaloAuthError(f"token refresh failed: {exc}") from exc
        if not isinstance(body, dict) or not body.get("access_token"):
            detail = body.get("error_description") if isinstance(body, dict) else body
            raise ZaloAuthError(f"token refresh refused: {detail}")
        expires_in = float(body.get("expires_in") or TOKEN_LIFETIME_SECONDS)
        return TokenPair(str(body["access_token"]), str(body["refresh_token"]), expires_in)
