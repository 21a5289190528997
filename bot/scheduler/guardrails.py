"""Guardrails: what every proactive message must respect.

Opt-outs, human handoffs, reachability (a blocked bot, a platform's messaging window),
quiet hours in the customer's time zone, and a daily cap per customer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from redis.asyncio import Redis

from bot.customer_state import HANDOFF, OPTED_OUT
from bot.store.keys import Keys
from bot.user import User


@dataclass(frozen=True, slots=True)
class Verdict:
    """Send now, wait until `until`, or never send (`reason` says why)."""

    action: Literal["send", "defer", "drop"]
    reason: str = ""
    until: float | None = None


SEND = Verdict("send")

# Why a channel may not send a customer a proactive message now, or None when it may
# (`Channels.unreachable`): blocked, outside the platform's messaging window.
Unreachable = Callable[[User, str, float], Awaitable[str | None]]


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A nightly window, e.g. 21:00-08:00, in the customer's local time."""

    start: time
    end: time

    @classmethod
    def parse(cls, value: str) -> QuietHours:
        """`HH:MM-HH:MM`.

        Raises:
            ValueError: not in that form.

        """
        try:
            start, end = (time.fromisoformat(part.strip()) for part in value.split("-"))
        except ValueError:
            raise ValueError(f"quiet hours {value!r} are not like 21:00-08:00") from None
        return cls(start, end)

    def ends_after(self, local: datetime) -> datetime | None:
        """When the window that `local` falls in ends, or None when `local` is outside it."""
        now = local.time()
        inside = (
            self.start <= now < self.end
            if self.start <= self.end
            else now >= self.start or now < self.end
        )
        if not inside:
            return None
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        return end if end > local else end + timedelta(days=1)


class Guardrails:
    """Decides whether a proactive message may go to a customer now."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        *,
        unreachable: Unreachable,
        quiet_hours: QuietHours,
        time_zone: str,
        daily_cap: int,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._unreachable = unreachable
        self._quiet = quiet_hours
        self._zone = ZoneInfo(time_zone)
        self._cap = daily_cap

    async def check(self, user: User, channel: str, now: float) -> Verdict:
        """The verdict for one proactive message to `user` on `channel` at `now`."""
        if user.state.get(OPTED_OUT):
            return Verdict("drop", "opted out")
        if user.state.get(HANDOFF):
            return Verdict("drop", "in a human handoff")
        why = await self._unreachable(user, channel, now)
        if why is not None:
            return Verdict("drop", why)
        local = datetime.fromtimestamp(now, self.zone_of(user))
        morning = self._quiet.ends_after(local)
        if morning is not None:
            return Verdict("defer", "quiet hours", morning.timestamp())
        sent = await self._redis.get(self._keys.proactive_count(user.id, local.date().isoformat()))
        if sent is not None and int(sent) >= self._cap:
            tomorrow = (local + timedelta(days=1)).replace(
                hour=self._quiet.end.hour, minute=self._quiet.end.minute, second=0, microsecond=0
            )
            return Verdict("defer", "daily cap reached", tomorrow.timestamp())
        return SEND

    async def count(self, user: User, now: float) -> None:
        """Count a proactive message sent to `user` today (their local day)."""
        day = datetime.fromtimestamp(now, self.zone_of(user)).date().isoformat()
        key = self._keys.proactive_count(user.id, day)
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(key)
            pipe.expire(key, 2 * 86400)
            await pipe.execute()

    def zone_of(self, user: User) -> ZoneInfo:
        """The customer's time zone (`profile.timezone`), or the default one."""
        name = user.profile.get("timezone")
        if isinstance(name, str):
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                pass
        return self._zone
