"""Sending replies to a Zalo follower through the OA API (customer-service messages).

`POST {ZALO_API_BASE}/v3.0/oa/message/cs` with the access token in the `access_token`
header. A rejected token is renewed once and the message sent again; throttling (HTTP
429, error -32), 5xx answers and network errors are retried with backoff; every other
error ends the batch with its outcome (not following, outside the window, quota...).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import httpx

from bot.channels.shared.outcome import Outcome, SendResult, sent
from bot.channels.shared.pacing import Backoff, Pacing, Sleep
from bot.channels.zalo import errors
from bot.channels.zalo.layout import messages_of
from bot.channels.zalo.oauth import ZaloAuthError
from bot.channels.zalo.tokens import ZaloTokens
from bot.effects import Reply

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Answer:
    kind: str  # "ok", "token", "retry" or "final"
    outcome: Outcome = Outcome.FAILED
    reason: str = ""
    retry_after: float | None = None


_OK = _Answer("ok")
_TOKEN = _Answer("token", Outcome.FAILED, "zalo rejected the access token")


class ZaloSender:
    """Sends replies to followers of the Official Account."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        tokens: ZaloTokens,
        *,
        api_base: str,
        pacing: Pacing,
        backoff: Backoff | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._http = http
        self._tokens = tokens
        self._url = api_base.rstrip("/") + "/v3.0/oa/message/cs"
        self._pacing = pacing
        self._backoff = backoff or Backoff()
        self._sleep = sleep

    async def send(self, external_id: str, replies: Sequence[Reply]) -> SendResult:
        """Send `replies` in order; stops at the first message that cannot go."""
        messages = [message for reply in replies for message in messages_of(reply)]
        async with self._pacing.turn(external_id):
            for done, message in enumerate(messages):
                body = {"recipient": {"user_id": external_id}, "message": message}
                failure = await self._deliver(external_id, body)
                if failure is not None:
                    log.warning(
                        "zalo %s: %s (%s)", external_id, failure.outcome.value, failure.reason
                    )
                    return replace(failure, sent=done)
        return sent(len(messages))

    async def _deliver(self, user_id: str, body: dict[str, Any]) -> SendResult | None:
        try:
            token = await self._tokens.access_token()
        except ZaloAuthError as exc:
            return SendResult(Outcome.FAILED, str(exc))
        renewed = False
        failures = 0
        while True:
            await self._pacing.slot(user_id)
            answer = await self._attempt(body, token)
            if answer.kind == "ok":
                return None
            if answer.kind == "token" and not renewed:
                renewed = True
                try:
                    token = await self._tokens.renew(token)
                except ZaloAuthError as exc:
                    return SendResult(Outcome.FAILED, str(exc))
                continue
            if answer.kind != "retry":
                return SendResult(answer.outcome, answer.reason)
            failures += 1
            if failures >= self._backoff.attempts:
                return SendResult(
                    answer.outcome, f"gave up after {failures} tries: {answer.reason}"
                )
            await self._sleep(self._backoff.delay(failures, answer.retry_after))

    async def _attempt(self, body: dict[str, Any], token: str) -> _Answer:
        try:
            response = await self._http.post(self._url, json=body, headers={"access_token": token})
        except httpx.TransportError as exc:
            return _Answer("retry", Outcome.FAILED, f"network: {exc!r}")
        if response.status_code == 429:
            return _Answer("retry", Outcome.RATE_LIMITED, "HTTP 429", _retry_after(response))
        if response.status_code >= 500:
            return _Answer("retry", Outcome.FAILED, f"HTTP {response.status_code}")
        try:
            data = response.json()
            code = int(data["error"])
        except (ValueError, KeyError, TypeError):
            return _Answer("final", Outcome.FAILED, f"unexpected answer {response.text[:200]!r}")
        return _classify(code, str(data.get("message", "")))


def _classify(code: int, message: str) -> _Answer:
    if code == 0:
        return _OK
    if code in errors.TOKEN_INVALID:
        return _TOKEN
    if code in errors.RATE_LIMITED:
        return _Answer("retry", Outcome.RATE_LIMITED, f"zalo error {code}: {message}")
    outcome, reason = errors.outcome_of(code, message)
    return _Answer("final", outcome, reason)


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
