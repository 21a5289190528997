"""Retention surveys: NPS with a "why?", CSAT, promoters to advocacy, detractors to a person."""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from bot.store.keys import Keys
from bot.wiring import Components
from tests.conftest import Chat


async def _retained(chat: Chat, locale: str = "en") -> None:
    await chat.send("/request_trial", metadata={"locale": locale})
    await chat.send("/purchase")
    for _ in range(5):
        await chat.send("/step_done")
    assert await chat.stage() == "retention"


async def _events(services: Components, redis: Redis, chat: Chat) -> list[dict[str, Any]]:
    user_id = await services.users.find_id("rest", chat.sender)
    assert user_id is not None
    rows = await redis.xrange(Keys(services.settings.redis_prefix).events(user_id))
    return [{"kind": f["kind"], **json.loads(f["data"])} for _, f in rows]


async def test_nps_promoter_comment_is_kept_and_moves_to_advocacy(
    chat: Chat, services: Components, redis: Redis
) -> None:
    await _retained(chat)
    question = (await chat.send("/give_feedback"))[0]
    assert question["text"].startswith("Thank you! On a scale of 0–10")
    assert [b["payload"] for b in question["buttons"]][::10] == [
        '/nps{"score": 0}',
        '/nps{"score": 10}',
    ]
    texts = await chat.texts('/nps{"score": 10}')
    assert texts[0] == "Wonderful, thank you for the 10! What do you like most about SaleMate?"
    assert texts[1].startswith("Thank you for being a SaleMate fan!")
    assert await chat.stage() == "advocacy"
    # The next free text is the answer to "why?", whatever it sounds like.
    assert await chat.texts("the reports, and the price") == [
        "Thanks for telling us; the SaleMate team reads every comment."
    ]
    user = await chat.user()
    assert user["state"]["nps"]["score"] == 10
    assert user["state"]["nps"]["stage"] == "retention"
    events = await _events(services, redis, chat)
    nps = next(e for e in events if e["kind"] == "nps")
    assert (nps["score"], nps["stage"]) == (10, "retention")
    feedback = next(e for e in events if e["kind"] == "feedback")
    assert (feedback["about"], feedback["text"]) == ("nps", "the reports, and the price")
    assert feedback["stage"] == "advocacy"


async def test_detractor_requests_a_person_and_stays(chat: Chat) -> None:
    await _retained(chat, "vi")
    texts = await chat.texts('/nps{"score": 3}')
    assert texts[0].startswith("Cảm ơn bạn đã thẳng thắn (3 điểm)")
    state = await chat.state()
    assert state["handoff"]["reason"] == "nps_detractor"
    assert await chat.stage() == "retention"


async def test_a_button_is_not_taken_as_the_comment(chat: Chat) -> None:
    await _retained(chat)
    await chat.send('/nps{"score": 8}')
    texts = await chat.texts("/ask_price")
    assert texts[0].startswith("SaleMate pricing:")
    assert await chat.stage() == "consideration"  # a retained customer shopping again


async def test_csat_and_invalid_scores(chat: Chat) -> None:
    await _retained(chat)
    assert await chat.texts('/csat{"score": 4}') == ["Thanks for rating us 4/5!"]
    assert (await chat.state())["csat"]["score"] == 4
    assert await chat.texts('/csat{"score": 9}') == []
    assert (await chat.state())["csat"]["score"] == 4
