"""Referral attribution and credit, applied by the engine during a turn.

A new customer's first message may carry a friend's code (`/start ref_<code>` on
Telegram, `metadata.ref` on REST). The friend is attributed once; the referrer is
credited once, when the friend first reaches the stage the programme names.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.effects import Record, Reply
from bot.lifecycle import Stage
from bot.policies.schema import ReferralProgramme
from bot.policies.texts import LocalizedText
from bot.store.referrals import CREDITED, JOINED, ReferralStore
from bot.store.turns import TurnWrite

log = logging.getLogger(__name__)


async def attribute(
    code: str,
    write: TurnWrite,
    created: bool,
    programme: ReferralProgramme,
    store: ReferralStore,
    render: Callable[[LocalizedText], str],
) -> list[Reply]:
    """Record who referred a new customer; returns the welcome or refusal to send first."""
    user = write.user
    referrer = await store.owner(code)
    if not created or referrer == user.id:
        log.info("referral code %r refused for known user %s", code, user.id)
        return [Reply(render(programme.refused))]
    if referrer is None:
        log.info("unknown referral code %r from new user %s", code, user.id)
        return []
    user.state["referred_by"] = referrer
    write.referrals.append((referrer, JOINED))
    write.events.append(Record("referred", {"by": referrer, "code": code}))
    return [Reply(render(programme.welcome))]


def credit(write: TurnWrite, programme: ReferralProgramme) -> None:
    """Credit the referrer once, when their friend reaches `programme.credit_at` or later."""
    user = write.user
    referrer = user.state.get("referred_by")
    if referrer is None or user.state.get("referral_credited"):
        return
    order = list(Stage)
    if order.index(user.stage) >= order.index(programme.credit_at):
        user.state["referral_credited"] = True
        write.referrals.append((referrer, CREDITED))
        write.events.append(Record("referral_credited", {"referrer": referrer}))
