"""Receiving a Zalo OA webhook request: signature, replay refusal, then the events.

A request is refused (`WebhookRefused`, answer 401) when its signature does not match,
its app id is not ours, its timestamp is outside the accepted age, or the same signature
was accepted before. Accepted signatures are remembered in Redis (one key each, SET NX
with a TTL as long as the accepted age), so every replica refuses a replay. A request
whose events could not be stored durably should be `forget`-ten, so Zalo's retry of it
is accepted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from redis.asyncio import Redis

from bot.channels.shared.events import ParsedEvent, WebhookRefused, decode
from bot.channels.zalo import parse
from bot.channels.zalo.signature import matches, signature
from bot.store.keys import Keys

HEADER = "X-ZEvent-Signature"
FUTURE_SKEW_SECONDS = 300.0  # clocks differ: a timestamp this far ahead still passes


class ZaloWebhook:
    """Verifies and parses the requests Zalo posts to the bot's webhook URL."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        *,
        app_id: str,
        oa_secret_key: str,
        max_age_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._app_id = app_id
        self._secret = oa_secret_key
        self._max_age = max_age_seconds
        self._clock = clock

    async def handle_webhook(
        self, raw_body: bytes, headers: Mapping[str, str]
    ) -> list[ParsedEvent]:
        """The events of one request, once it proved to come from Zalo and to be new.

        Raises:
            WebhookRefused: bad or missing signature, another app, stale or replayed.

        """
        given = _header(headers)
        try:
            body = decode(raw_body)
            timestamp = str(body["timestamp"])
            age = self._clock() - parse.seconds(timestamp)
        except (ValueError, KeyError, TypeError):
            raise WebhookRefused("malformed event") from None
        expected = signature(self._app_id, raw_body, timestamp, self._secret)
        if given is None or not matches(given, expected):
            raise WebhookRefused("bad signature")
        if str(body.get("app_id")) != self._app_id:
            raise WebhookRefused("another app's event")
        if age > self._max_age or age < -FUTURE_SKEW_SECONDS:
            raise WebhookRefused("stale timestamp")
        ttl = int(self._max_age + FUTURE_SKEW_SECONDS) + 1
        if not await self._redis.set(self._keys.zalo_seen(expected), "1", nx=True, ex=ttl):
            raise WebhookRefused("replayed")
        return parse.events_of(body)

    async def forget(self, headers: Mapping[str, str]) -> None:
        """Accept this request's signature again (its events could not be stored)."""
        given = _header(headers)
        if given is not None:
            digest = given.strip().lower().removeprefix("mac=")
            await self._redis.delete(self._keys.zalo_seen("mac=" + digest))


def _header(headers: Mapping[str, str]) -> str | None:
    # aiohttp's headers are case-insensitive; a plain dict may not be.
    for name, value in headers.items():
        if name.lower() == HEADER.lower():
            return value
    return None
