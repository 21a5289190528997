"""Referral attribution and credit, as effects the turn applies.

A new customer's first message may carry a friend's code (`/start ref_<code>` on
Telegram, `metadata.ref` on REST). The friend is attributed once; the referrer is
credited once, when the friend first reaches the stage the programme names.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from actions.referral import REFERRED_BY
from bot.effects import CountReferral, Effect, Record, Reply, SetState
from bot.lifecycle import Stage
from bot.policies.referral_programme import ReferralProgramme
from bot.store.referrals import CREDITED, JOINED, ReferralStore
from bot.user import User

log = logging.getLogger(__name__)

CREDITED_FLAG = "referral_credited"


async def attribute(
    code: str,
    user: User,
    created: bool,
    programme: ReferralProgramme,
    store: ReferralStore,
    render: Callable[..., str],
    first_name_of: Callable[[str], Awaitable[str | None]],
) -> list[Effect]:
    """Who referred a new customer, and the welcome or refusal to send first.

    The welcome names the friend (`referrer`) when their profile has a first name.
    """
    referrer = await store.owner(code)
    if not created or referrer == user.id:
        log.info("referral code %r refused for known user %s", code, user.id)
        return [Reply(render(programme.refused))]
    if referrer is None:
        log.info("unknown referral code %r from new user %s", code, user.id)
        return []
    return [
        SetState(REFERRED_BY, referrer),
        CountReferral(referrer, JOINED),
        Record("referred", {"by": referrer, "code": code}),
        Reply(render(programme.welcome, referrer=await first_name_of(referrer))),
    ]


def credit(user: User, programme: ReferralProgramme) -> list[Effect]:
    """Credit the referrer once, when their friend reaches `programme.credit_at` or later."""
    referrer = user.state.get(REFERRED_BY)
    if referrer is None or user.state.get(CREDITED_FLAG):
        return []
    order = list(Stage)
    if order.index(user.stage) < order.index(programme.credit_at):
        return []
    return [
        SetState(CREDITED_FLAG, True),
        CountReferral(referrer, CREDITED),
        Record("referral_credited", {"referrer": referrer}),
    ]
