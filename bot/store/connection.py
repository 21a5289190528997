"""Connecting to Redis: one server, a Redis Cluster, or a master found through Sentinel.

`REDIS_URL` forms:

- `redis://[:password@]host:6379/0`, `rediss://...` (TLS), `unix:///path/redis.sock`;
- `redis+cluster://[:password@]host:7000` — any node of a Redis Cluster (the others are
  discovered). Every key of a customer shares a hash tag, so every transaction stays in
  one slot;
- `redis+sentinel://[:password@]host1:26379,host2:26379/<master name>[/db]` — the
  current master of a Sentinel-monitored group; a failover is followed on reconnect.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import cast
from urllib.parse import unquote, urlsplit

from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.sentinel import Sentinel

from bot.config import Settings
from bot.errors import BotError
from bot.store.embedded import embedded_redis

CLUSTER = "redis+cluster"
SENTINEL = "redis+sentinel"


class RedisUrlError(BotError):
    """A `REDIS_URL` the bot cannot use."""


def connect(url: str) -> Redis:
    """A client for `url` (see the module's documentation for the forms).

    A cluster client is returned as `Redis`: it offers the same commands the bot uses
    (single-slot transactions and scripts), but not pub/sub, which the policy reloader
    replaces by polling.

    Raises:
        RedisUrlError: the URL has an unknown form.

    """
    scheme = url.partition("://")[0]
    if scheme == CLUSTER:
        cluster = RedisCluster.from_url("redis" + url[len(CLUSTER) :], decode_responses=True)
        return cast(Redis, cluster)
    if scheme == SENTINEL:
        return _sentinel_master(url)
    if scheme in ("redis", "rediss", "unix"):
        client: Redis = Redis.from_url(url, decode_responses=True)
        return client
    raise RedisUrlError(
        f"REDIS_URL {url!r}: expected redis://, rediss://, unix://, "
        "redis+cluster:// or redis+sentinel://"
    )


def supports_pubsub(redis: Redis) -> bool:
    """Whether this client can subscribe (a cluster client cannot)."""
    return not isinstance(redis, RedisCluster)


def _sentinel_master(url: str) -> Redis:
    parts = urlsplit(url)
    hosts = parts.netloc.rpartition("@")[2]
    path = [p for p in parts.path.split("/") if p]
    if not hosts or not path:
        raise RedisUrlError(f"REDIS_URL {url!r}: expected redis+sentinel://host:port,.../master")
    sentinels = []
    for host in hosts.split(","):
        name, _, port = host.partition(":")
        sentinels.append((name, int(port or 26379)))
    password = unquote(parts.password) if parts.password else None
    db = int(path[1]) if len(path) > 1 else 0
    sentinel = Sentinel(sentinels, password=password, db=db, decode_responses=True)  # type: ignore[no-untyped-call]
    return cast(Redis, sentinel.master_for(path[0], redis_class=Redis))


@asynccontextmanager
async def redis_connection(settings: Settings) -> AsyncIterator[Redis]:
    """A Redis client for `REDIS_URL`, or for an embedded server when it is unset."""
    async with AsyncExitStack() as stack:
        url = settings.redis_url or stack.enter_context(embedded_redis(settings.data_dir))
        redis = connect(url)
        stack.push_async_callback(redis.aclose)
        await redis.ping()
        yield redis
