"""The CRM endpoints an admin configured: URL, secret and the event types they receive."""

from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass
from typing import Any

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


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where deliveries go; `events` holds event types, or `*` for all of them."""

    id: str
    url: str
    secret: str
    events: tuple[str, ...]
    created: float
    description: str = ""

    def wants(self, event_type: str) -> bool:
        """Whether this endpoint subscribed to `event_type`."""
        return ALL in self.events or event_type in self.events

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

    async def add(
        self, url: str, events: list[str], now: float, *, secret: str | None, description: str
    ) -> Endpoint:
        """A new endpoint; without `secret`, a random one (`whsec_…`)."""
        endpoint = Endpoint(
            id=f"we_{secrets.token_hex(8)}",
            url=url,
            secret=secret or f"whsec_{secrets.token_urlsafe(24)}",
            events=tuple(events),
            created=now,
            description=description,
        )
        await self._redis.hset(self._key, endpoint.id, json.dumps(asdict(endpoint)))  # type: ignore[misc]
        return endpoint

    async def remove(self, endpoint_id: str) -> bool:
        """Forget an endpoint; its queued deliveries fail as `endpoint removed`."""
        return bool(await self._redis.hdel(self._key, endpoint_id))  # type: ignore[misc]

    async def get(self, endpoint_id: str) -> Endpoint | None:
        """One endpoint, or None."""
        raw = await self._redis.hget(self._key, endpoint_id)  # type: ignore[misc]
        return None if raw is None else _endpoint(raw)

    async def all(self) -> list[Endpoint]:
        """Every endpoint, oldest first."""
        raw = await self._redis.hvals(self._key)  # type: ignore[misc]
        return sorted((_endpoint(item) for item in raw), key=lambda e: e.created)


def _endpoint(raw: str) -> Endpoint:
    data = json.loads(raw)
    data["events"] = tuple(data["events"])
    return Endpoint(**data)
