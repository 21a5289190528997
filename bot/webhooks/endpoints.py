"""The CRM endpoints an admin configured: URL, secret and the event types they receive."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import urlsplit

from redis.asyncio import Redis

from bot.store.keys import Keys

EVENT_TYPES = (
    "stage.changed",
    "handoff.opened",
    "handoff.closed",
    "nps.recorded",
    "csat.recorded",
    "trial.started",
    "referral.credited",
    "customer.opted_out",
    "customer.linked",
    "churn_risk",
)
ALL = "*"
_REPLACE = """
if redis.call('hexists', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
return 1
"""


LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_URL = 2048


def url_problem(value: str) -> str | None:
    """Why `value` cannot receive webhooks, or None.

    HTTPS only, since deliveries carry customers' data; plain HTTP on this machine is
    allowed for a receiver under development.
    """
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname
    except ValueError:
        return "Not a URL."
    if len(value) > MAX_URL:
        return f"at most {MAX_URL} characters"
    if parts.scheme not in ("http", "https") or not host:
        return "A URL starts with https:// and names a host."
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        return "Use https:// (plain http:// only for localhost, while developing)."
    return None


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where deliveries go; `events` holds event types, or `*` for all of them."""

    id: str
    url: str
    secret: str
    events: tuple[str, ...]
    created: float
    description: str = ""
    enabled: bool = True  # a disabled endpoint gets no new deliveries; queued ones still go

    def wants(self, event_type: str) -> bool:
        """Whether this endpoint, enabled, subscribed to `event_type`."""
        return self.enabled and (ALL in self.events or event_type in self.events)

    def to_api(self, *, with_secret: bool = False) -> dict[str, Any]:
        """The admin API's shape; the secret is shown once, when the endpoint is made."""
        data = asdict(self)
        data["events"] = list(self.events)
        if not with_secret:
            data["secret"] = f"{self.secret[:6]}…"
        return data


class Endpoints:
    """Endpoints in one Redis hash (`{webhooks}:endpoints`), id -> JSON."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._key = keys.webhooks("endpoints")
        self._replace = redis.register_script(_REPLACE)
        self.channel = keys.webhooks_channel()
        # Told at once of a change made through this process (its endpoint cache).
        self.changed: list[Callable[[], None]] = []

    async def add(
        self, url: str, events: list[str], now: float, *, secret: str | None, description: str
    ) -> Endpoint:
        """A new endpoint; without `secret`, a random one (`whsec_…`)."""
        endpoint = Endpoint(
            id=f"we_{secrets.token_hex(8)}",
            url=url,
            secret=secret or _new_secret(),
            events=tuple(events),
            created=now,
            description=description,
        )
        await self._redis.hset(self._key, endpoint.id, json.dumps(asdict(endpoint)))  # type: ignore[misc]
        await self._announce()
        return endpoint

    async def rotate(self, endpoint_id: str) -> Endpoint | None:
        """A new random secret; deliveries are signed with it from their next attempt."""
        return await self._change(endpoint_id, secret=_new_secret())

    async def enable(self, endpoint_id: str, enabled: bool) -> Endpoint | None:
        """Turn an endpoint on or off, or None when there is no such endpoint."""
        return await self._change(endpoint_id, enabled=enabled)

    async def update(
        self, endpoint_id: str, url: str, events: list[str], description: str
    ) -> Endpoint | None:
        """New URL, events and note; the secret and on/off stay, so the CRM needs no change."""
        return await self._change(
            endpoint_id, url=url, events=tuple(events), description=description
        )

    async def _change(self, endpoint_id: str, **changes: Any) -> Endpoint | None:
        # Two admins changing one endpoint at once: the last one wins; a removed one stays gone.
        endpoint = await self.get(endpoint_id)
        if endpoint is None:
            return None
        changed = replace(endpoint, **changes)
        kept = await self._replace(
            keys=[self._key], args=[endpoint_id, json.dumps(asdict(changed))]
        )
        if not kept:
            return None
        await self._announce()
        return changed

    async def remove(self, endpoint_id: str) -> bool:
        """Forget an endpoint; its queued deliveries fail as `endpoint removed`."""
        removed = bool(await self._redis.hdel(self._key, endpoint_id))  # type: ignore[misc]
        if removed:
            await self._announce()
        return removed

    async def get(self, endpoint_id: str) -> Endpoint | None:
        """One endpoint, or None."""
        raw = await self._redis.hget(self._key, endpoint_id)  # type: ignore[misc]
        return None if raw is None else _endpoint(raw)

    async def all(self) -> list[Endpoint]:
        """Every endpoint, oldest first."""
        raw = await self._redis.hvals(self._key)  # type: ignore[misc]
        return sorted((_endpoint(item) for item in raw), key=lambda e: e.created)

    async def _announce(self) -> None:
        """Every process's endpoint cache drops its list: this one's now, others' on publish."""
        for tell in self.changed:
            tell()
        await self._redis.publish(self.channel, "changed")


def _new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(24)}"


def _endpoint(raw: str) -> Endpoint:
    data = json.loads(raw)
    data["events"] = tuple(data["events"])
    return Endpoint(**data)
