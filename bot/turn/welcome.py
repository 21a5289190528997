"""The welcome step: a friend's referral code on a new customer's first message."""

from __future__ import annotations

from dataclasses import dataclass

from bot import referral
from bot.effects import Reply
from bot.store.referrals import ReferralStore
from bot.store.users import Users
from bot.turn.apply import Performer
from bot.turn.context import Turn


@dataclass(frozen=True, slots=True)
class Welcome:
    """Attributes a referral and welcomes the friend by the referrer's first name."""

    users: Users
    referrals: ReferralStore
    performer: Performer

    async def __call__(self, turn: Turn, code: str | None, created: bool) -> list[Reply]:
        """The welcome (or refusal) of `code`; attribution survives a failed decision."""
        if code is None:
            return []
        render = self.performer.render_for(turn.user, turn.policies)
        programme = turn.policies.common.referral
        effects = await referral.attribute(
            code, turn.user, created, programme, self.referrals, render, self._first_name_of
        )
        return [r for effect in effects for r in self.performer.apply(turn, effect)]

    async def _first_name_of(self, user_id: str) -> str | None:
        user = await self.users.load(user_id)
        name = user.profile.get("first_name") if user is not None else None
        return name if isinstance(name, str) and name.strip() else None
