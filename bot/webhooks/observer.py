"""What a committed turn means for the CRM: the webhook events it queues.

Stage moves become `stage.changed`; recorded events map by kind (below). `churn_risk`
is sent when a policy flags the customer `churn_risk` (they want to cancel: the save
flow) and for an NPS detractor (0-6); opting out of messages is not churn. Queueing is
one Redis transaction and nothing is sent here; no endpoint, no write at all. The
endpoints come from the process's cache (`endpoint_cache.py`), not a read per commit.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from bot.store.turns import TurnWrite
from bot.user import User
from bot.webhooks.endpoint_cache import EndpointCache
from bot.webhooks.queue import Delivery, DeliveryQueue

BY_KIND = {
    "handoff_started": "handoff.opened",
    "handoff_closed": "handoff.closed",
    "nps": "nps.recorded",
    "csat": "csat.recorded",
    "trial_started": "trial.started",
    "referral_credited": "referral.credited",
    "opted_out": "customer.opted_out",
    "linked": "customer.linked",  # bot.linking.merge: another customer joined this one
}
DETRACTOR_MAX = 6


def webhook_events(write: TurnWrite) -> list[tuple[str, dict[str, Any]]]:
    """`(type, data)` of every webhook event in `write`, in the order they happened."""
    found: list[tuple[str, dict[str, Any]]] = [
        ("stage.changed", t.to_api()) for t in write.transitions if t.from_stage is not None
    ]
    for record in write.events:
        kind = BY_KIND.get(record.kind)
        if kind is not None:
            found.append((kind, dict(record.data)))
        score = record.data.get("score")
        if record.kind == "nps" and isinstance(score, int) and score <= DETRACTOR_MAX:
            found.append(("churn_risk", {"reason": "nps_detractor", "score": score}))
        if record.kind == "flagged" and record.data.get("flag") == "churn_risk":
            found.append(
                ("churn_risk", {"reason": "wants_to_cancel", "rule": record.data.get("reason")})
            )
    return found


class WebhookObserver:
    """Queues a delivery per subscribed endpoint for each webhook event of a commit."""

    def __init__(
        self, endpoints: EndpointCache, queue: DeliveryQueue, clock: Callable[[], float]
    ) -> None:
        self._endpoints = endpoints
        self._queue = queue
        self._clock = clock

    async def __call__(self, write: TurnWrite) -> None:
        """Queue the deliveries of `write` (an observer of `ObservedTurns`)."""
        events = webhook_events(write)
        if not events:
            return
        endpoints = await self._endpoints.all()
        now = self._clock()
        deliveries = []
        for event_type, data in events:
            body = _body(write.user, event_type, data, write.at or now)
            deliveries += [
                Delivery(DeliveryQueue.new_id(), e.id, write.user.id, body["id"], event_type,
                         json.dumps(body, ensure_ascii=False), now)
                for e in endpoints if e.wants(event_type)
            ]  # fmt: skip
        await self._queue.enqueue(deliveries, now)


def _body(user: User, event_type: str, data: dict[str, Any], at: float) -> dict[str, Any]:
    """The JSON every receiver gets: event id (to deduplicate), type, time, customer, data."""
    return {
        "id": f"evt_{uuid.uuid4().hex}",
        "type": event_type,
        "created": at,
        "customer": {
            "id": user.id,
            "identities": user.identities,
            "stage": user.stage.value,
            "email": user.profile.get("email"),
            "phone": user.profile.get("phone"),
        },
        "data": data,
    }
