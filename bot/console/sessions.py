"""Console sessions: a random id in an HttpOnly, SameSite=Strict cookie; a CSRF token each.

Login attempts are counted by `throttle.py`, before any password is checked.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass

from redis.asyncio import Redis

from bot.console.accounts import Accounts, Role
from bot.store.keys import Keys

SESSION_SECONDS = 12 * 3600
COOKIE = "engagebot_console"
FLASH_SECONDS = 120


@dataclass(frozen=True, slots=True)
class Session:
    """Who is logged in, as what, and the token their forms must carry."""

    id: str
    name: str
    role: Role
    csrf: str


class Sessions:
    """Creates, finds and ends sessions."""

    def __init__(self, redis: Redis, keys: Keys, accounts: Accounts) -> None:
        self._redis = redis
        self._keys = keys
        self._accounts = accounts

    async def start(self, name: str, role: Role) -> Session:
        """A new session for a user who just logged in."""
        session = Session(secrets.token_urlsafe(32), name, role, secrets.token_urlsafe(24))
        key = self._keys.console(f"session:{session.id}")
        standing = await self._accounts.standing(name)
        fields = {"name": name, "role": role.value, "csrf": session.csrf}
        fields["stamp"] = standing[1] if standing else ""
        await self._redis.hset(key, mapping=fields)  # type: ignore[misc]
        await self._redis.expire(key, SESSION_SECONDS)
        return session

    async def find(self, session_id: str | None) -> Session | None:
        """The live session with this id, if any.

        A session whose account was removed, reset or given another role since it began
        ends here: an admin removing a departed staff member, or resetting a leaked
        password, must not wait for the cookie to expire.
        """
        if not session_id:
            return None
        key = self._keys.console(f"session:{session_id}")
        data = await self._redis.hgetall(key)  # type: ignore[misc]
        if not data:
            return None
        role = Role(data["role"])
        if await self._accounts.standing(data["name"]) != (role, data.get("stamp", "")):
            await self._redis.delete(key)
            return None
        return Session(session_id, data["name"], role, data["csrf"])

    async def flash(self, session: Session, message: dict[str, str]) -> None:
        """A message for the session's next page (after a redirect), kept two minutes.

        The one place a new webhook secret waits between its POST and the page showing
        it: never in a URL, and gone once shown.
        """
        key = self._keys.console(f"flash:{session.id}")
        await self._redis.set(key, json.dumps(message), ex=FLASH_SECONDS)

    async def take_flash(self, session: Session) -> dict[str, str]:
        """The waiting message, removed as it is read; empty when there is none."""
        raw = await self._redis.getdel(self._keys.console(f"flash:{session.id}"))
        found: dict[str, str] = {} if raw is None else json.loads(raw)
        return found

    async def end(self, session: Session) -> None:
        """Log out."""
        await self._redis.delete(self._keys.console(f"session:{session.id}"))
