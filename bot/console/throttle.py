"""Login attempts counted before any password is checked, per account name and address.

One Lua script counts the attempt and answers whether it may proceed, in one step: 60
parallel attempts cannot all pass a check made before any of them is counted. Every
attempt counts (the right password too); a successful login clears its name's count
and gives its address's attempt back. A count lives for one window from its first
attempt, so a locked name or address is free again when the window passes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from redis.asyncio import Redis

from bot.config import Settings
from bot.store.keys import Keys

# KEYS: the name's and the address's counts; ARGV: their limits and the window.
# Returns 0 when the attempt may proceed, else the seconds until it may.
_COUNT = """
local name = redis.call('INCR', KEYS[1])
if name == 1 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
local address = redis.call('INCR', KEYS[2])
if address == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
if name > tonumber(ARGV[1]) or address > tonumber(ARGV[2]) then
  return math.max(redis.call('TTL', KEYS[1]), redis.call('TTL', KEYS[2]), 1)
end
return 0
"""
# A right password: the name starts afresh, the address's attempt is given back.
_SUCCEEDED = """
redis.call('DEL', KEYS[1])
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('DECR', KEYS[2]) end
"""


@dataclass(frozen=True, slots=True)
class LoginLimits:
    """Attempts allowed per name and per address in one window of `window_seconds`."""

    per_name: int
    per_address: int
    window_seconds: int

    @classmethod
    def of(cls, settings: Settings) -> LoginLimits:
        """The limits `settings` set."""
        return cls(
            settings.login_attempts_per_name,
            settings.login_attempts_per_address,
            settings.login_window_seconds,
        )


class LoginThrottle:
    """Counts console login attempts in Redis, shared by every replica."""

    def __init__(self, redis: Redis, keys: Keys, limits: LoginLimits) -> None:
        self._keys = keys
        self._limits = limits
        self._count = redis.register_script(_COUNT)
        self._succeeded = redis.register_script(_SUCCEEDED)

    async def attempt(self, name: str, address: str) -> int:
        """Count an attempt; 0 when it may go on, else the seconds to wait."""
        limits = self._limits
        wait = await self._count(
            keys=self._counts(name, address),
            args=[limits.per_name, limits.per_address, limits.window_seconds],
        )
        return int(wait)

    async def succeeded(self, name: str, address: str) -> None:
        """A right password: the name starts afresh, the address gets its attempt back."""
        await self._succeeded(keys=self._counts(name, address))

    def _counts(self, name: str, address: str) -> list[str]:
        # Hashed: any text may be typed as a name, and keys stay short.
        who = hashlib.sha256(name.casefold().encode("utf-8", "replace")).hexdigest()[:32]
        return [
            self._keys.login_attempts("name", who),
            self._keys.login_attempts("address", address or "unknown"),
        ]
