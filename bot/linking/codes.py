"""One-time link codes: a customer gets one on a channel and types it on another.

A code is 6 characters of the alphabet customers can type without misreading, valid for
`LINK_CODE_SECONDS`, and taken by one `GETDEL`: two channels redeeming it at once get it
once. It is stored with the identity that asked for it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from redis.asyncio import Redis

from bot.engine import random_code
from bot.store.keys import Keys

LINK_CODE_SECONDS = 600
CODE_LENGTH = 6
KIND = "link"
CODE = re.compile(r"[A-Za-z0-9]{6}")


@dataclass(frozen=True, slots=True)
class LinkCode:
    """Whose code it was: the customer's id and the identity they asked from."""

    user_id: str
    identity: str


class LinkCodes:
    """Issues and redeems link codes (see the module)."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys

    async def issue(self, user_id: str, identity: str) -> str:
        """A new code for the customer, valid for `LINK_CODE_SECONDS`."""
        value = json.dumps({"user": user_id, "identity": identity})
        while True:
            code = random_code(CODE_LENGTH)
            key = self._keys.code(KIND, code)
            if await self._redis.set(key, value, nx=True, ex=LINK_CODE_SECONDS):
                return code

    async def exists(self, code: str) -> bool:
        """Whether `code` is a live link code (a bare word may only look like one)."""
        return bool(await self._redis.exists(self._keys.code(KIND, code.upper())))

    async def redeem(self, code: str) -> LinkCode | None:
        """The code's owner, once; None for a wrong, expired or used code."""
        if not CODE.fullmatch(code):
            return None
        raw = await self._redis.getdel(self._keys.code(KIND, code.upper()))
        if raw is None:
            return None
        data = json.loads(raw)
        return LinkCode(str(data["user"]), str(data["identity"]))
