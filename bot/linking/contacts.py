"""Verified email addresses and phone numbers: one customer per verified contact.

A customer's email or phone becomes an identity (`email:<address>`, `phone:<number>`)
only once it is verified: by the product (an event whose customer reference says
`"verified": true`, after the product sent the customer a code) or by staff (the
admin API). When another customer already holds that identity (a product record made by
an event, or a chat customer who verified it before), the two are merged: the one seen
first survives. What a customer merely says in chat (`profile.email`) never merges.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from redis.asyncio import Redis

from bot.customers.events import ProductEvent, normal_email, normal_phone
from bot.effects import Record
from bot.errors import BotError, NotFound
from bot.linking.merge import Merger
from bot.store.keys import Keys
from bot.store.turns import TurnWrite
from bot.store.users import Users
from bot.user import User

log = logging.getLogger(__name__)

Kind = Literal["email", "phone"]
_NORMAL: dict[Kind, Callable[[str], str]] = {"email": normal_email, "phone": normal_phone}


@dataclass(frozen=True, slots=True)
class Verified:
    """The customer who holds the contact now, and the one merged into them, if any."""

    customer: str
    absorbed: str | None = None


class VerifiedContacts:
    """Records verified contacts, merging customers who share one (see the module)."""

    def __init__(self, redis: Redis, keys: Keys, users: Users, merger: Merger) -> None:
        self._redis, self._keys, self._users, self._merger = redis, keys, users, merger

    async def verify(self, user_id: str, kind: Kind, value: str, *, by: str) -> Verified:
        """`value` is the customer's, verified; returns who holds it afterwards.

        Raises:
            NotFound: no such customer.
            ValueError: not an email address or phone number.

        """
        value = _NORMAL[kind](value)
        user = await self._users.load(user_id)
        if user is None:
            raise NotFound(f"no customer {user_id}")
        key = self._keys.identity(kind, value)
        await self._redis.set(key, user_id, nx=True)
        owner = str(await self._redis.get(key))
        holder, absorbed = user_id, None
        other = None if owner == user_id else await self._users.load(owner)
        if other is not None:
            holder, absorbed = (user.id, other.id) if _first(user, other) else (other.id, user.id)
            await self._merger.merge(holder, absorbed, by=by)
        elif owner != user_id:  # a key left by a customer who is gone: it is this one's now
            await self._redis.set(key, user_id)
        await self._mark(holder, kind, value, by)
        return Verified(holder, absorbed)

    async def from_event(self, user_id: str, event: ProductEvent, at: float) -> None:
        """An event's customer reference with `verified: true` verifies its email/phone."""
        ref = event.customer
        if not ref.verified:
            return
        for kind, value in (("email", ref.email), ("phone", ref.phone)):
            if value is None:
                continue
            try:
                found = await self.verify(user_id, kind, value, by="events-api")  # type: ignore[arg-type]
            except BotError:
                # The event is stored already: its answer must not say otherwise.
                log.exception("verified %s of customer %s not recorded", kind, user_id)
                return
            user_id = found.customer

    async def _mark(self, user_id: str, kind: Kind, value: str, by: str) -> None:
        """The contact on the customer's record: an identity, and the profile field."""
        merger = self._merger
        async with merger.locks.hold(user_id, load=True) as begun:
            user = User.from_hash(begun.user)
            identity = f"{kind}:{value}"
            if identity not in user.identities:
                user.identities.append(identity)
            user.profile[kind] = value
            user.profile[f"{kind}_verified"] = True
            write = TurnWrite(user=user, at=merger.clock())
            write.events.append(Record("contact_verified", {"kind": kind, "by": by}))
            await merger.turns.commit(write)


def _first(one: User, other: User) -> bool:
    """Whether `one` was seen before `other` (the survivor of their merge)."""
    return (one.created, one.id) <= (other.created, other.id)
