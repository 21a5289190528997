"""The sender: posts due deliveries, signed, and settles them; retries with backoff.

A failed attempt (a non-2xx answer, a timeout, a refused connection) is tried again after
`base * 2**(attempts-1)` seconds, at most `max_delay`, until the delivery is
`give_up_after` old (24 h); then it is `failed` and the customer's next delivery goes.
Nothing here runs inside a turn: turns only queue (`bot/webhooks/observer.py`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp

from bot.webhooks.endpoints import Endpoints
from bot.webhooks.queue import Delivery, DeliveryQueue
from bot.webhooks.signing import SIGNATURE_HEADER, signature

log = logging.getLogger(__name__)

HISTORY_KEPT = 20


@dataclass(frozen=True, slots=True)
class Backoff:
    """When to try again, and when to stop."""

    base: float = 10.0
    max_delay: float = 3600.0
    give_up_after: float = 24 * 3600.0
    timeout: float = 10.0

    def delay(self, attempts: int) -> float:
        """Seconds before the next attempt, after `attempts` failed ones."""
        return float(min(self.base * 2 ** (attempts - 1), self.max_delay))


class WebhookSender:
    """Delivers what the queue holds; `run` loops, `deliver_due` is one pass."""

    def __init__(
        self,
        queue: DeliveryQueue,
        endpoints: Endpoints,
        *,
        backoff: Backoff = Backoff(),
        clock: Callable[[], float] = time.time,
        poll_seconds: float = 1.0,
    ) -> None:
        self._queue = queue
        self._endpoints = endpoints
        self._backoff = backoff
        self._clock = clock
        self._poll = poll_seconds

    async def run(self) -> None:
        """Deliver until cancelled; a failure of Redis is logged and the loop goes on."""
        async with aiohttp.ClientSession() as session:
            while True:
                try:
                    await self.deliver_due(session)
                except Exception:
                    log.exception("webhook delivery pass failed; trying again")
                await asyncio.sleep(self._poll)

    async def deliver_due(self, session: aiohttp.ClientSession) -> int:
        """Send every due queue's head once, concurrently; how many were tried."""
        due = await self._queue.claim(self._clock())
        await asyncio.gather(*(self._deliver(session, delivery) for delivery in due))
        return len(due)

    async def _deliver(self, session: aiohttp.ClientSession, delivery: Delivery) -> None:
        endpoint = await self._endpoints.get(delivery.endpoint)
        if endpoint is None:
            await self._settle(delivery, "failed", None, "endpoint removed")
            return
        now = self._clock()
        body = delivery.body.encode()
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(endpoint.secret, int(now), body),
            "Engagebot-Event": delivery.type,
            "Engagebot-Delivery": delivery.id,
        }
        status: int | None = None
        try:
            timeout = aiohttp.ClientTimeout(total=self._backoff.timeout)
            async with session.post(
                endpoint.url, data=body, headers=headers, timeout=timeout
            ) as response:
                status = response.status
                await response.read()
            error = "" if 200 <= status < 300 else f"HTTP {status}"
        except (aiohttp.ClientError, TimeoutError) as exc:
            error = f"{type(exc).__name__}: {exc}"[:300]
        if not error:
            await self._settle(delivery, "delivered", status, "")
        elif now - delivery.created >= self._backoff.give_up_after:
            await self._settle(delivery, "failed", status, error)
        else:
            await self._retry(delivery, status, error)

    def _attempt(self, delivery: Delivery, status: int | None, error: str) -> None:
        now = self._clock()
        delivery.attempts += 1
        delivery.last_status, delivery.last_error = status, error
        delivery.history = [*delivery.history, {"at": now, "status": status, "error": error}]
        delivery.history = delivery.history[-HISTORY_KEPT:]

    async def _settle(
        self, delivery: Delivery, outcome: str, status: int | None, error: str
    ) -> None:
        self._attempt(delivery, status, error)
        now = self._clock()
        delivery.status = "delivered" if outcome == "delivered" else "failed"
        delivery.next_at = None
        if outcome == "delivered":
            delivery.delivered_at = now
        else:
            log.warning("webhook delivery %s failed for good: %s", delivery.id, error)
        await self._queue.save(delivery)
        await self._queue.finish(delivery, now)

    async def _retry(self, delivery: Delivery, status: int | None, error: str) -> None:
        self._attempt(delivery, status, error)
        delivery.status = "retrying"
        delivery.next_at = self._clock() + self._backoff.delay(delivery.attempts)
        await self._queue.save(delivery)
        await self._queue.retry_at(delivery, delivery.next_at)
