"""Decision: one trial per customer, a coupon with a per-customer limit, purchase."""

from __future__ import annotations

import re

from tests.conftest import Chat
from tests.fakes.clock import Clock

EN = {"metadata": {"locale": "en"}}
DAY = 86400


async def test_trial_code_is_kept_and_repeated_until_it_expires(chat: Chat, clock: Clock) -> None:
    first = (await chat.texts("/request_trial", **EN))[0]
    match = re.search(r"TRIAL-[A-Z2-9]{8}", first)
    assert match, first
    code = match.group()
    assert await chat.stage() == "decision"
    state = await chat.state()
    assert state["trial"]["code"] == code
    assert state["trial"]["expires"] == state["trial"]["started"] + 14 * DAY

    clock.advance(3 * DAY)
    again = (await chat.texts("/request_trial"))[0]
    assert again.startswith(f"You already have a trial: code {code}, 11 days left")

    clock.advance(12 * DAY)
    expired = (await chat.texts("/request_trial"))[0]
    assert expired.startswith(f"Your trial with code {code} ended on")
    assert (await chat.state())["trial"]["code"] == code


async def test_trial_codes_differ_between_customers(client_chats: list[Chat]) -> None:
    codes = set()
    for chat in client_chats:
        await chat.send("/request_trial", **EN)
        codes.add((await chat.state())["trial"]["code"])
    assert len(codes) == len(client_chats)


async def test_coupon_is_given_once_per_customer(chat: Chat) -> None:
    await chat.send("/request_trial", **EN)
    first = (await chat.texts("/request_discount"))[0]
    assert first.startswith("Code WELCOME10 takes 10% off")
    second = (await chat.texts("/request_discount"))[0]
    assert second.startswith("Code WELCOME10 is one per customer")
    assert (await chat.state())["coupons"] == {"WELCOME10": 1}


async def test_purchase_moves_to_onboarding_and_starts_the_checklist(chat: Chat) -> None:
    await chat.send("/request_trial", **EN)
    texts = await chat.texts("/purchase")
    assert texts[0].startswith("Thank you for choosing SaleMate!")
    assert texts[1].startswith("Step 1/5: Create your store")
    user = await chat.user()
    assert user["stage"] == "onboarding"
    assert user["stage_history"][-1]["reason"] == "transition:buys"
