"""The OA access token, kept fresh for every replica.

The token pair lives in one Redis hash (`access`, `refresh`, `expires_at`), seeded from
the settings the first time. A token that expires within `margin` seconds is renewed
before use, and so is one the API rejected. Renewing is single-flight across replicas:
the renewer holds a Redis lock (redis-py's, token-owned, with an expiry); the others
wait for the lock and then read the token it stored instead of spending the refresh
token again (Zalo refresh tokens work once).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import LockError

from bot.channels.zalo.oauth import ZaloAuthError, ZaloOAuth
from bot.store.keys import Keys

# Creates the hash only when it does not exist, so replicas starting together agree.
_SEED = """
if redis.call('exists', KEYS[1]) == 0 then
  redis.call('hset', KEYS[1], 'access', ARGV[1], 'refresh', ARGV[2], 'expires_at', '0')
end
return 1
"""


@dataclass(frozen=True, slots=True)
class _Pair:
    access: str
    refresh: str
    expires_at: float  # 0: unknown (a seeded token), used until the API rejects it


class ZaloTokens:
    """Hands out a valid access token; renews it once for all replicas."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        oauth: ZaloOAuth,
        *,
        seed_access: str | None,
        seed_refresh: str | None,
        clock: Callable[[], float] = time.time,
        margin: float = 600.0,
        lock_seconds: float = 30.0,
        wait_seconds: float = 20.0,
    ) -> None:
        self._redis = redis
        self._key = keys.zalo("token")
        self._lock_key = keys.zalo("refresh")
        self._oauth = oauth
        self._seed = (seed_access or "", seed_refresh or "")
        self._clock = clock
        self._margin = margin
        self._lock_seconds = lock_seconds
        self._wait_seconds = wait_seconds

    async def access_token(self) -> str:
        """A token that stays valid for at least `margin` seconds (renewed if needed).

        Raises:
            ZaloAuthError: no token is configured, or Zalo refused to renew it.

        """
        pair = await self._pair()
        if self._expiring(pair):
            return await self._renew(pair.access)
        return pair.access

    async def renew(self, rejected: str) -> str:
        """The API rejected `rejected`: a new token (another replica's, if it renewed first).

        Raises:
            ZaloAuthError: Zalo refused to renew it, or the renewing replica took too long.

        """
        return await self._renew(rejected)

    async def expires_at(self) -> float:
        """When the current token expires (0: unknown), for health reports."""
        return (await self._pair()).expires_at

    def _expiring(self, pair: _Pair) -> bool:
        if not pair.access:
            return True
        return 0 < pair.expires_at <= self._clock() + self._margin

    async def _pair(self) -> _Pair:
        raw = await self._redis.hgetall(self._key)  # type: ignore[misc]
        if not raw:
            if not any(self._seed):
                raise ZaloAuthError("no Zalo token: set ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN")
            await self._redis.eval(_SEED, 1, self._key, *self._seed)  # type: ignore[misc]
            raw = await self._redis.hgetall(self._key)  # type: ignore[misc]
        data = {_text(k): _text(v) for k, v in raw.items()}
        return _Pair(data["access"], data["refresh"], float(data.get("expires_at") or 0))

    async def _renew(self, stale: str) -> str:
        lock = self._redis.lock(
            self._lock_key, timeout=self._lock_seconds, blocking_timeout=self._wait_seconds
        )
        try:
            async with lock:
                pair = await self._pair()
                if pair.access != stale and not self._expiring(pair):
                    return pair.access  # renewed by another replica while this one waited
                if not pair.refresh:
                    raise ZaloAuthError("no Zalo refresh token: set ZALO_REFRESH_TOKEN")
                fresh = await self._oauth.refresh(pair.refresh)
                expires_at = self._clock() + fresh.expires_in
                mapping = {"access": fresh.access, "refresh": fresh.refresh}
                mapping["expires_at"] = repr(expires_at)
                await self._redis.hset(self._key, mapping=mapping)  # type: ignore[misc]
                return fresh.access
        except LockError as exc:
            raise ZaloAuthError(f"no token renewal within {self._wait_seconds} s: {exc}") from exc


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value
