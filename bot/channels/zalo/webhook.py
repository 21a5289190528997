"""Verifying a Zalo OA webhook request: signature, app, age; then its events.

A request is refused (`WebhookRefused`, answer 401) when its signature does not match,
its app id is not ours, or its timestamp is outside the accepted age. A replay of an
accepted request carries the same signature: the channel stores each signature with the
update it queued (`ZaloRequest.signature`, kept `ttl` seconds, shared by replicas) and
does not queue a request whose signature it has seen.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.channels.shared.events import ParsedEvent, WebhookRefused, decode, well_formed
from bot.channels.zalo import parse
from bot.channels.zalo.signature import matches, signature

HEADER = "X-ZEvent-Signature"
FUTURE_SKEW_SECONDS = 300.0  # clocks differ: a timestamp this far ahead still passes


@dataclass(frozen=True, slots=True)
class ZaloRequest:
    """A verified request: its events, and its signature to refuse a replay with."""

    events: list[ParsedEvent]
    signature: str
    ttl: int  # seconds a replay of it would still pass the age check


class ZaloWebhook:
    """Verifies and parses the requests Zalo posts to the bot's webhook URL."""

    def __init__(
        self,
        *,
        app_id: str,
        oa_secret_key: str,
        max_age_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._app_id = app_id
        self._secret = oa_secret_key
        self._max_age = max_age_seconds
        self._clock = clock

    def verify(self, raw_body: bytes, headers: Mapping[str, str]) -> ZaloRequest:
        """The events of one request, once it proved to come from Zalo, for our app, recently.

        Raises:
            WebhookRefused: bad or missing signature, another app, stale, or malformed.

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
        return ZaloRequest(well_formed(parse.events_of, body), expected.removeprefix("mac="), ttl)


def _header(headers: Mapping[str, str]) -> str | None:
    # aiohttp's headers are case-insensitive; a plain dict may not be.
    for name, value in headers.items():
        if name.lower() == HEADER.lower():
            return value
    return None
