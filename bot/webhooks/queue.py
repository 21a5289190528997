"""The durable delivery queue: one list per (endpoint, customer), so each goes in order.

Keys (all in the `{webhooks}` slot, so the scripts run on Redis Cluster too):

- `delivery:<id>`: the delivery's record (JSON): body, status, attempts, last error;
- `q:<endpoint>:<user>`: the ids waiting for that endpoint and customer, oldest first;
- `ready`: sorted set of those queues by when their head may be tried next;
- `log:<endpoint>`: the endpoint's latest deliveries, newest first (the delivery log).

A sender leases a due queue (its score moves past the lease, as the job queue does), so
two replicas never send one customer's deliveries at once or out of order; a sender that
died leaves the lease to run out and the head is tried again (at least once: receivers
deduplicate by the event `id`).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from redis.asyncio import Redis

from bot.store.keys import Keys

LOG_KEPT = 1000
FINISHED_TTL_SECONDS = 30 * 24 * 3600
Status = Literal["pending", "retrying", "delivered", "failed"]

_CLAIM = """
local queues = redis.call('zrangebyscore', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
local claimed = {}
for _, queue in ipairs(queues) do
  local head = redis.call('lindex', ARGV[4] .. queue, 0)
  if head then
    redis.call('zadd', KEYS[1], ARGV[2], queue)
    table.insert(claimed, queue)
    table.insert(claimed, head)
  else
    redis.call('zrem', KEYS[1], queue)
  end
end
return claimed
"""

_FINISH = """
if redis.call('lindex', KEYS[2], 0) == ARGV[1] then redis.call('lpop', KEYS[2]) end
if redis.call('llen', KEYS[2]) > 0 then
  redis.call('zadd', KEYS[1], ARGV[2], ARGV[3])
else
  redis.call('zrem', KEYS[1], ARGV[3])
end
"""


@dataclass(slots=True)
class Delivery:
    """One event on its way to one endpoint."""

    id: str
    endpoint: str
    user: str
    event_id: str
    type: str
    body: str
    created: float
    status: Status = "pending"
    attempts: int = 0
    last_error: str = ""
    last_status: int | None = None
    next_at: float | None = None
    delivered_at: float | None = None
    replay_of: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def queue(self) -> str:
        """The name of the queue it waits in."""
        return f"{self.endpoint}:{self.user}"

    def to_api(self) -> dict[str, Any]:
        """The delivery log's shape: the body as JSON, not as text."""
        data = asdict(self)
        data["body"] = json.loads(self.body)
        return data


class DeliveryQueue:
    """Queues, claims and settles deliveries (see the module's documentation)."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        *,
        lease_seconds: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._clock = clock
        self._keys = keys
        self._ready = keys.webhooks("ready")
        self._lease = lease_seconds
        self._claim = redis.register_script(_CLAIM)
        self._finish = redis.register_script(_FINISH)

    def _queue_key(self, queue: str) -> str:
        return self._keys.webhooks(f"q:{queue}")

    def _record_key(self, delivery_id: str) -> str:
        return self._keys.webhooks(f"delivery:{delivery_id}")

    def now(self) -> float:
        """The queue's clock (a test's fake one in tests): what `due` is measured on."""
        return self._clock()

    @staticmethod
    def new_id() -> str:
        """A delivery id."""
        return f"wd_{secrets.token_hex(10)}"

    async def enqueue(self, deliveries: list[Delivery], now: float) -> None:
        """Queue `deliveries` at the tails of their queues, in one transaction."""
        if not deliveries:
            return
        async with self._redis.pipeline(transaction=True) as pipe:
            for delivery in deliveries:
                pipe.set(self._record_key(delivery.id), json.dumps(asdict(delivery)))
                pipe.rpush(self._queue_key(delivery.queue), delivery.id)
                # NX: a queue waiting out a backoff keeps its time; the new one goes behind.
                pipe.zadd(self._ready, {delivery.queue: now}, nx=True)
                log = self._keys.webhooks(f"log:{delivery.endpoint}")
                pipe.lpush(log, delivery.id)
                pipe.ltrim(log, 0, LOG_KEPT - 1)
            await pipe.execute()

    async def replay(self, delivery_id: str) -> Delivery | None:
        """Queue a delivery's event again (same body, same event id) behind its queue."""
        original = await self.get(delivery_id)
        if original is None:
            return None
        now = self._clock()
        again = Delivery(
            self.new_id(), original.endpoint, original.user, original.event_id, original.type,
            original.body, now, replay_of=original.id,
        )  # fmt: skip
        await self.enqueue([again], now)
        return again

    async def claim(self, now: float, limit: int = 50) -> list[Delivery]:
        """Lease up to `limit` due queues; their head deliveries, to send now."""
        raw = await self._claim(
            keys=[self._ready],
            args=[now, now + self._lease, limit, self._keys.webhooks("q:")],
        )
        heads = [str(raw[i + 1]) for i in range(0, len(raw), 2)]
        found = [await self.get(delivery_id) for delivery_id in heads]
        return [delivery for delivery in found if delivery is not None]

    async def get(self, delivery_id: str) -> Delivery | None:
        """A delivery's record, or None once it expired."""
        raw = await self._redis.get(self._record_key(delivery_id))
        return None if raw is None else Delivery(**json.loads(raw))

    async def save(self, delivery: Delivery) -> None:
        """Store the record; a finished one is kept for `FINISHED_TTL_SECONDS`."""
        finished = delivery.status in ("delivered", "failed")
        ttl = FINISHED_TTL_SECONDS if finished else None
        await self._redis.set(self._record_key(delivery.id), json.dumps(asdict(delivery)), ex=ttl)

    async def finish(self, delivery: Delivery, now: float) -> None:
        """Take a settled delivery off its queue; the next one is due at once."""
        await self._finish(
            keys=[self._ready, self._queue_key(delivery.queue)],
            args=[delivery.id, now, delivery.queue],
        )

    async def retry_at(self, delivery: Delivery, due: float) -> None:
        """Try the queue's head again at `due` (the lease ends then)."""
        await self._redis.zadd(self._ready, {delivery.queue: due}, xx=True)

    async def log(self, endpoint_id: str, limit: int = 100) -> list[Delivery]:
        """An endpoint's latest deliveries, newest first."""
        ids = await self._redis.lrange(self._keys.webhooks(f"log:{endpoint_id}"), 0, limit - 1)  # type: ignore[misc]
        found = [await self.get(str(delivery_id)) for delivery_id in ids]
        return [delivery for delivery in found if delivery is not None]
