"""`referral_link`: a personal code made once, Telegram and web links, friends counted."""

from __future__ import annotations

from actions.context import Referrals
from actions.referral import REFERRAL_CODE, ReferralArgs, referral_link
from bot.effects import ClaimCode, Reply, SetState
from tests.actions.unit.factory import Customer, text

LINKS = ReferralArgs(text=text("{code} {telegram_link} {web_link} {joined}/{credited}"))


def test_referral_link_makes_a_code_once_and_counts_the_friends() -> None:
    customer = Customer(referrals=Referrals(joined=3, credited=1))

    first = customer.run(referral_link, LINKS)
    again = customer.run(referral_link, LINKS)

    links = "https://t.me/salemate_bot?start=ref_k7m2p9qx https://chat.example.com/?ref=k7m2p9qx"
    assert first == [
        ClaimCode("referral", "k7m2p9qx"),
        SetState(REFERRAL_CODE, "k7m2p9qx"),
        Reply(f"k7m2p9qx {links} 3/1"),
    ]
    assert again == [Reply(f"k7m2p9qx {links} 3/1")]
