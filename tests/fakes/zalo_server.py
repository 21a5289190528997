"""A fake Zalo OA API on 127.0.0.1 speaking the real HTTP protocol.

`POST /v3.0/oa/message/cs` (access token in the `access_token` header, JSON body) answers
like Zalo: HTTP 200 with `{"error": 0, "data": {...}}` or `{"error": <code>, "message"}`:
-216 for an unknown or expired token, -213 for a user who does not follow the OA, -230
outside the 7-day window, -201 for a text or buttons over the limits. `POST
/v4/oa/access_token` renews a token pair (each refresh token works once, -14014 after).
Failures (HTTP status or Zalo error code) can be injected; the clock is injectable.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.local_http import post_raw, serve
from tests.fakes.zalo_events import APP_ID, APP_SECRET, OA_ID

WINDOW_SECONDS = 7 * 86400
_serial = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Sent:
    """A message the OA API accepted."""

    user_id: str
    message: dict[str, Any]
    token: str
    at: float


@dataclass(slots=True)
class _Failure:
    times: int
    status: int = 200
    error: int | None = None
    retry_after: int | None = None


@dataclass(slots=True)
class FakeZalo:
    """The fake OA API and OAuth server; `async with FakeZalo() as zalo`."""

    clock: Callable[[], float] = time.time
    token_lifetime: float = 90000.0
    refresh_delay: float = 0.0  # seconds a refresh takes, so replicas can race
    sent: list[Sent] = field(default_factory=list)
    refreshes: int = 0  # successful renewals
    calls: int = 0  # message calls received, answered or not
    followers: set[str] = field(default_factory=set)
    interactions: dict[str, float] = field(default_factory=dict)
    base: str = ""
    _tokens: dict[str, float] = field(default_factory=dict)  # access token -> expires at
    _refresh_tokens: set[str] = field(default_factory=set)  # unused refresh tokens
    _failures: list[_Failure] = field(default_factory=list)
    _runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeZalo:
        app = web.Application()
        app.router.add_post("/v3.0/oa/message/cs", self._message)
        app.router.add_post("/v4/oa/access_token", self._refresh)
        self._runner, self.base = await serve(app)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- test controls -------------------------------------------------------------

    def issue(self, lifetime: float | None = None) -> tuple[str, str]:
        """A new (access, refresh) pair, as the OA admin would copy it into the settings."""
        n = next(_serial)
        access, refresh = f"access-{n}", f"refresh-{n}"
        self._tokens[access] = self.clock() + (lifetime or self.token_lifetime)
        self._refresh_tokens.add(refresh)
        return access, refresh

    def expire(self, access: str) -> None:
        """The token expires now."""
        self._tokens[access] = self.clock()

    def follow(self, user_id: str, *, at: float | None = None) -> None:
        """`user_id` follows the OA and wrote at `at` (now by default)."""
        self.followers.add(user_id)
        self.interactions[user_id] = self.clock() if at is None else at

    def unfollow(self, user_id: str) -> None:
        """`user_id` stopped following the OA."""
        self.followers.discard(user_id)

    def fail(
        self,
        *,
        times: int = 1,
        status: int = 200,
        error: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        """The next `times` message calls fail with an HTTP `status` or a Zalo `error`."""
        self._failures.append(_Failure(times, status, error, retry_after))

    def texts(self, user_id: str) -> list[str]:
        """The texts delivered to one follower, in order."""
        return [str(s.message.get("text")) for s in self.sent if s.user_id == user_id]

    def buttons(self, user_id: str) -> list[list[dict[str, Any]]]:
        """The buttons of each message delivered to one follower."""
        return [_buttons(s.message) for s in self.sent if s.user_id == user_id]

    async def deliver(self, url: str, raw: bytes, headers: dict[str, str]) -> int:
        """POST a webhook request (see `zalo_events.signed`) to the bot; its HTTP status."""
        return await post_raw(url, raw, headers)

    # --- the API -------------------------------------------------------------------

    async def _message(self, request: web.Request) -> web.Response:
        self.calls += 1
        failure = self._injected()
        if failure is not None:
            return failure
        token = request.headers.get("access_token", "")
        if self._tokens.get(token, 0) <= self.clock():
            return _error(-216, "Access token is invalid")
        body = await request.json()
        user_id = str(body.get("recipient", {}).get("user_id", ""))
        message = body.get("message") or {}
        problem = _invalid(message)
        if problem:
            return _error(-201, f"Parameters are invalid: {problem}")
        if user_id not in self.followers:
            return _error(-213, "User has not followed OA")
        if self.clock() - self.interactions.get(user_id, 0) > WINDOW_SECONDS:
            return _error(-230, "User has not interacted with the OA in the past 7 days")
        self.sent.append(Sent(user_id, message, token, self.clock()))
        data = {"message_id": f"zmsg{len(self.sent)}", "user_id": user_id}
        return web.json_response({"error": 0, "message": "Success", "data": data})

    def _injected(self) -> web.Response | None:
        if not self._failures:
            return None
        failure = self._failures[0]
        failure.times -= 1
        if failure.times <= 0:
            self._failures.pop(0)
        if failure.error is not None:
            return _error(failure.error, "Injected failure")
        headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
        body = {"error": -1, "message": "Injected HTTP failure"}
        return web.json_response(body, status=failure.status, headers=headers)

    async def _refresh(self, request: web.Request) -> web.Response:
        form = await request.post()
        if request.headers.get("secret_key") != APP_SECRET or form.get("app_id") != APP_ID:
            return web.json_response({"error": -14002, "error_name": "Invalid app"})
        if form.get("grant_type") != "refresh_token":
            return web.json_response({"error": -14003, "error_name": "Invalid parameter"})
        old = str(form.get("refresh_token", ""))
        if old not in self._refresh_tokens:
            return web.json_response(
                {
                    "error": -14014,
                    "error_name": "Invalid refresh token",
                    "error_description": "Refresh token is invalid or was used",
                }
            )
        self._refresh_tokens.discard(old)
        if self.refresh_delay:
            await asyncio.sleep(self.refresh_delay)
        access, refresh = self.issue()
        self.refreshes += 1
        expires_in = str(int(self.token_lifetime))
        return web.json_response(
            {"access_token": access, "refresh_token": refresh, "expires_in": expires_in}
        )


def _buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    attachment = message.get("attachment") or {}
    return list(attachment.get("payload", {}).get("buttons", []))


def _invalid(message: dict[str, Any]) -> str:
    text = message.get("text")
    if not isinstance(text, str) or not text:
        return "text is required"
    if len(text) > 2000:
        return "text is longer than 2000 characters"
    buttons = _buttons(message)
    if len(buttons) > 5:
        return "more than 5 buttons"
    for button in buttons:
        if len(str(button.get("title", ""))) > 100:
            return "button title longer than 100 characters"
        if len(str(button.get("payload", ""))) > 1000:
            return "button payload longer than 1000 characters"
    return ""


def _error(code: int, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message})


__all__ = ["OA_ID", "FakeZalo", "Sent"]
