"""Console accounts: a name, a role and a password hashed with scrypt (memory-hard).

Passwords are checked on a small thread pool, never on the event loop (one check takes
tens of milliseconds), and a name that does not exist costs the same check against a
stand-in hash, so the time of an answer does not tell which names exist. Every change
is written to the audit log (who, what, when).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import time
from concurrent.futures import Executor, ThreadPoolExecutor
from enum import StrEnum

from redis.asyncio import Redis

from bot.errors import BotError
from bot.store.keys import Keys

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # 16 MiB per hash
MIN_PASSWORD = 10
HASHING_THREADS = 2  # scrypt releases the GIL; more threads would only queue for 2 cores
# A well-formed hash no password matches: unknown names are checked against it.
STAND_IN = f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${'00' * 16}${'00' * 64}"


class Role(StrEnum):
    """What a console user may do; each role sees only its pages."""

    ADMIN = "admin"
    MARKETER = "marketer"
    SUPPORT = "support"


class AccountError(BotError):
    """A bad name, role or password."""


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt$hash` of `password`."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=64 * 2**20
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """Whether `password` matches a `hash_password` result (constant-time compare)."""
    try:
        _, n, r, p, salt, digest = stored.split("$")
        computed = hashlib.scrypt(
            password.encode(),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            maxmem=64 * 2**20,
        )
    except ValueError:
        return False
    return hmac.compare_digest(computed.hex(), digest)


class Accounts:
    """Console accounts and the audit log, in Redis."""

    def __init__(self, redis: Redis, keys: Keys, hashing: Executor | None = None) -> None:
        self._redis = redis
        self._keys = keys
        self._hashing = hashing or ThreadPoolExecutor(HASHING_THREADS, "scrypt")

    def _key(self, name: str) -> str:
        return self._keys.console(f"account:{name}")

    def _names(self) -> str:
        return self._keys.console("accounts")

    async def add(self, name: str, role: Role, password: str, *, by: str) -> None:
        """Create or replace an account.

        Raises:
            AccountError: the name or password is unacceptable.

        """
        if not name.isidentifier() or len(name) > 64:
            raise AccountError("names are letters, digits and _ (at most 64)")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"passwords have at least {MIN_PASSWORD} characters")
        # A new stamp each time: sessions opened before a reset or a new role end.
        hashed = await asyncio.get_running_loop().run_in_executor(
            self._hashing, hash_password, password
        )
        fields = {"role": role.value, "password": hashed}
        fields["stamp"] = secrets.token_hex(8)
        await self._redis.hset(self._key(name), mapping=fields)  # type: ignore[misc]
        await self._redis.sadd(self._names(), name)  # type: ignore[misc]
        await self.audit(by, f"account {name} set with role {role.value}")

    async def remove(self, name: str, *, by: str) -> bool:
        """Delete an account (its sessions stop working); False when there was none."""
        removed = bool(await self._redis.delete(self._key(name)))
        await self._redis.srem(self._names(), name)  # type: ignore[misc]
        if removed:
            await self.audit(by, f"account {name} removed")
        return removed

    async def standing(self, name: str) -> tuple[Role, str] | None:
        """The account's role and the stamp of its last change; None when it does not exist."""
        role, stamp = await self._redis.hmget(self._key(name), ["role", "stamp"])  # type: ignore[misc]
        return None if role is None else (Role(role), stamp or "")

    async def roster(self) -> list[tuple[str, Role]]:
        """Every account with its role, by name."""
        names = sorted(await self._redis.smembers(self._names()))  # type: ignore[misc]
        async with self._redis.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.hget(self._key(name), "role")
            roles = await pipe.execute()
        return [(name, Role(role)) for name, role in zip(names, roles, strict=True) if role]

    async def verify(self, name: str, password: str) -> Role | None:
        """The account's role when `password` is right, else None."""
        data = await self._redis.hgetall(self._key(name))  # type: ignore[misc]
        stored = data.get("password", STAND_IN)
        loop = asyncio.get_running_loop()
        right = await loop.run_in_executor(self._hashing, check_password, password, stored)
        return Role(data["role"]) if right and data else None

    async def audit(self, who: str, what: str) -> None:
        """Record a change in the audit log."""
        await self._redis.xadd(
            self._keys.console("audit"), {"who": who, "what": what, "at": repr(time.time())}
        )

    async def audit_log(self, count: int = 100) -> list[dict[str, str]]:
        """The latest audit entries, newest first."""
        rows = await self._redis.xrevrange(self._keys.console("audit"), count=count)
        return [dict(fields) for _, fields in rows]
