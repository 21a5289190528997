"""Sending replies through the Messenger Send API with the page access token.

`POST {MESSENGER_API_BASE}/me/messages?access_token=...`. Throttling (Graph codes 4, 17,
32, 613, HTTP 429), temporary errors (1, 2, 5xx) and network errors are retried with
backoff; other errors end the batch with their outcome (unavailable, outside the window).
A staff reply in a handoff may go with the HUMAN_AGENT tag (7 days instead of 24 hours).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import replace
from enum import Enum
from typing import Any

import httpx

from bot.channels.messenger.errors import GraphError
from bot.channels.messenger.layout import messages_of
from bot.channels.messenger.rules import HUMAN_AGENT
from bot.channels.shared.outcome import Outcome, SendResult, sent
from bot.channels.shared.pacing import Backoff, Pacing, Sleep
from bot.effects import Reply

log = logging.getLogger(__name__)


class Purpose(Enum):
    """Why a message goes: Meta's `messaging_type` (and tag)."""

    RESPONSE = "RESPONSE"  # a reply to the customer's message
    UPDATE = "UPDATE"  # a proactive message within the standard window
    HUMAN_AGENT = "HUMAN_AGENT"  # a person's reply, up to 7 days after the last message


class MessengerSender:
    """Sends replies and typing indicators to Messenger customers (page-scoped ids)."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        page_token: str,
        api_base: str,
        pacing: Pacing,
        backoff: Backoff | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._http = http
        self._token = page_token
        self._url = api_base.rstrip("/") + "/me/messages"
        self._pacing = pacing
        self._backoff = backoff or Backoff()
        self._sleep = sleep

    async def send(
        self, psid: str, replies: Sequence[Reply], *, purpose: Purpose = Purpose.RESPONSE
    ) -> SendResult:
        """Send `replies` in order; stops at the first message that cannot go."""
        messages = [message for reply in replies for message in messages_of(reply)]
        async with self._pacing.turn(psid):
            for done, message in enumerate(messages):
                failure = await self._deliver(psid, _request(psid, message, purpose))
                if failure is not None:
                    log.warning(
                        "messenger %s: %s (%s)", psid, failure.outcome.value, failure.reason
                    )
                    return replace(failure, sent=done)
        return sent(len(messages))

    async def typing(self, psid: str) -> None:
        """Show the typing indicator (best effort: a failure is only logged)."""
        body = {"recipient": {"id": psid}, "sender_action": "typing_on"}
        try:
            response = await self._http.post(self._url, json=body, params=self._params())
        except httpx.HTTPError as exc:
            log.info("messenger %s: no typing indicator (%r)", psid, exc)
            return
        if response.is_error:
            log.info("messenger %s: no typing indicator (HTTP %s)", psid, response.status_code)

    async def _deliver(self, psid: str, body: dict[str, Any]) -> SendResult | None:
        failures = 0
        while True:
            await self._pacing.slot(psid)
            retry_after: float | None = None
            try:
                response = await self._http.post(self._url, json=body, params=self._params())
            except httpx.TransportError as exc:
                outcome, reason = Outcome.FAILED, f"network: {exc!r}"
            else:
                if response.is_success:
                    return None
                error = GraphError.of(_json(response))
                outcome, reason = error.outcome()
                if not (
                    error.retryable or response.status_code == 429 or response.status_code >= 500
                ):
                    return SendResult(outcome, reason)
                if response.status_code == 429:
                    outcome = Outcome.RATE_LIMITED
                retry_after = _retry_after(response)
            failures += 1
            if failures >= self._backoff.attempts:
                return SendResult(outcome, f"gave up after {failures} tries: {reason}")
            await self._sleep(self._backoff.delay(failures, retry_after))

    def _params(self) -> dict[str, str]:
        return {"access_token": self._token}


def _request(psid: str, message: dict[str, Any], purpose: Purpose) -> dict[str, Any]:
    body: dict[str, Any] = {"recipient": {"id": psid}, "message": message}
    if purpose is Purpose.HUMAN_AGENT:
        body |= {"messaging_type": "MESSAGE_TAG", "tag": HUMAN_AGENT}
    else:
        body["messaging_type"] = purpose.value
    return body


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After", ""))
    except ValueError:
        return None
