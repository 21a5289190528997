"""Closed handoffs as kept per customer, joined with the CSAT score given afterwards."""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from bot.store.keys import Keys


async def closed_handoffs(redis: Redis, keys: Keys, user_id: str) -> list[dict[str, Any]]:
    """Every closed handoff of a customer, oldest first, with its CSAT score if given.

    The score arrives later, as the customer's answer to the question asked at the
    close; it is kept as a `csat` event naming the handoff and joined here.
    """
    raw = await redis.lrange(keys.handoffs(user_id), 0, -1)  # type: ignore[misc]
    events = await redis.xrange(keys.events(user_id))
    scores = {}
    for _, fields in events:
        if fields.get("kind") == "csat":
            data = json.loads(fields["data"])
            if "handoff" in data:
                scores[data["handoff"]] = data["score"]
    return [{**record, "csat": scores.get(record["id"])} for record in map(json.loads, raw)]
