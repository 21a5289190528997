"""The test event an admin sends from the console to check that a receiver works.

It goes through the same queue, signature and retries as a real event, to one endpoint
only, with type `webhook.test` and no customer: a receiver can tell it apart and ignore it.
"""

from __future__ import annotations

import json
import uuid

from bot.webhooks.endpoints import Endpoint
from bot.webhooks.queue import Delivery, DeliveryQueue

TEST_TYPE = "webhook.test"
TEST_QUEUE = "test"  # its own queue, so it never waits behind a customer's retries


async def send_test(queue: DeliveryQueue, endpoint: Endpoint, now: float, by: str) -> Delivery:
    """Queue one signed test delivery to `endpoint`; `by` names the admin who asked."""
    event_id = f"evt_{uuid.uuid4().hex}"
    body = {
        "id": event_id,
        "type": TEST_TYPE,
        "created": now,
        "customer": None,
        "data": {"message": "A test event from the engagebot console.", "sent_by": by},
    }
    delivery = Delivery(
        DeliveryQueue.new_id(), endpoint.id, TEST_QUEUE, event_id, TEST_TYPE,
        json.dumps(body, ensure_ascii=False), now,
    )  # fmt: skip
    await queue.enqueue([delivery], now)
    return delivery
