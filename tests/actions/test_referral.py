"""Advocacy: a personal referral code and links; new customers attributed once; credit."""

from __future__ import annotations

import re
from typing import Any

from aiohttp.test_utils import TestClient

from tests.conftest import Chat

EN = {"metadata": {"locale": "en"}}


async def _advocate(chat: Chat) -> str:
    await chat.send("/ask_referral", **EN)
    code = (await chat.state())["referral_code"]
    assert re.fullmatch(r"[a-z2-9]{8}", code)
    return str(code)


async def test_links_carry_the_personal_code_and_stay_the_same(chat: Chat) -> None:
    texts = await chat.texts("/ask_referral", **EN)
    code = (await chat.state())["referral_code"]
    assert f"Telegram: https://t.me/salemate_bot?start=ref_{code}" in texts[0]
    assert f"Web: http://127.0.0.1:8080/chat?ref={code}" in texts[0]
    assert code in (await chat.texts("/ask_referral"))[0]
    assert (await chat.state())["referral_code"] == code


async def test_new_friend_is_attributed_once_and_credited_at_onboarding(
    client: TestClient[Any, Any], chat: Chat
) -> None:
    code = await _advocate(chat)
    friend = Chat(client, "friend-1")
    texts = await friend.texts("/greet", metadata={"locale": "en", "ref": code})
    assert texts[0].startswith("Welcome, friend of a SaleMate customer!")
    assert texts[1].startswith("Hi there!")
    # The code on a later message of the same (now known) customer is refused.
    again = await friend.texts("/greet", metadata={"ref": code})
    assert again[0].startswith("Referral codes are for new customers only")
    await chat.send('/nps{"score": 10}')  # the referrer becomes an advocate
    stats = (await chat.texts("/ask_referral"))[0]
    assert "1 friends joined so far and 0 started using SaleMate" in stats

    await friend.send("/request_trial")
    await friend.send("/purchase")
    assert (await friend.state())["referral_credited"] is True
    await friend.send("/step_done")  # more stage moves do not credit twice
    stats = (await chat.texts("/ask_referral"))[0]
    assert "1 friends joined so far and 1 started using SaleMate" in stats


async def test_own_code_unknown_code_and_known_customers(
    client: TestClient[Any, Any], chat: Chat
) -> None:
    code = await _advocate(chat)
    own = await chat.texts("/greet", metadata={"ref": code})
    assert own[0].startswith("Referral codes are for new customers only")
    stranger = Chat(client, "stranger-1")
    texts = await stranger.texts("/greet", metadata={"locale": "en", "ref": "nosuchcode"})
    assert texts[0].startswith("Hi there!")
    assert "referred_by" not in await stranger.state()
    await chat.send('/nps{"score": 9}')
    stats = (await chat.texts("/ask_referral"))[0]
    assert "0 friends joined" in stats
