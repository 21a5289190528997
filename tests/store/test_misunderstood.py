"""The review queue: what the bot did not understand is kept, bounded, with its context."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from bot.config import Settings
from bot.lifecycle import Stage
from bot.nlu.parse import Parse
from bot.store.keys import Keys
from bot.store.misunderstood import MisunderstoodLog

UNSURE = Parse(
    "nlu_fallback",
    0.5,
    ranking=(
        ("nlu_fallback", 0.5),
        ("ask_price", 0.41),
        ("compare_plans", 0.3),
        ("purchase", 0.12),
        ("greet", 0.02),
    ),
)


@pytest.fixture
def log(redis: Redis, prefix: str) -> MisunderstoodLog:
    return MisunderstoodLog(redis, Keys(prefix), threshold=0.7, limit=3)


async def _keep(log: MisunderstoodLog, text: str, parse: Parse, **extra: object) -> str | None:
    options: dict[str, object] = {
        "user_id": "u1",
        "stage": Stage.CONSIDERATION,
        "locale": "vi",
        "text": text,
        "parse": parse,
        "replies": ["Xin lỗi, mình chưa hiểu ý bạn.", "Bạn chọn giúp mình một mục nhé"],
        "now": 1_800_000_000.0,
        **extra,
    }
    return await log.keep(**options)  # type: ignore[arg-type]


async def test_a_message_the_nlu_did_not_get_is_kept_with_its_context(
    log: MisunderstoodLog,
) -> None:
    kept = await _keep(log, "  gia ca the nao ha shop  ", UNSURE)
    assert kept is not None
    [item] = await log.items()
    assert item.id == kept
    assert (item.user_id, item.stage, item.locale) == ("u1", "consideration", "vi")
    assert item.text == "gia ca the nao ha shop"
    assert (item.intent, item.confidence, item.why) == ("nlu_fallback", 0.5, "nlu_fallback")
    # The top three real intents: Rasa's own nlu_fallback is not a guess.
    assert item.top == (("ask_price", 0.41), ("compare_plans", 0.3), ("purchase", 0.12))
    assert item.closest == "ask_price"
    assert item.reply == "Xin lỗi, mình chưa hiểu ý bạn.\nBạn chọn giúp mình một mục nhé"
    assert item.at == 1_800_000_000.0


@pytest.mark.parametrize(
    ("parse", "fallback", "why"),
    [
        (Parse("out_of_scope", 0.95, ranking=(("out_of_scope", 0.95),)), False, "out_of_scope"),
        (Parse("ask_price", 0.62, ranking=(("ask_price", 0.62),)), False, "low_confidence"),
        (Parse("affirm", 0.99, ranking=(("affirm", 0.99),)), True, "fallback"),
        (Parse("nlu_fallback", 0.0), False, "nlu_fallback"),
    ],
)
async def test_what_counts_as_not_understood(
    log: MisunderstoodLog, parse: Parse, fallback: bool, why: str
) -> None:
    assert await _keep(log, "hmm", parse, fallback=fallback) is not None
    assert [i.why for i in await log.items()] == [why]


async def test_understood_messages_and_buttons_are_not_kept(log: MisunderstoodLog) -> None:
    sure = Parse("ask_price", 0.93, ranking=(("ask_price", 0.93),))
    assert await _keep(log, "gói pro giá bao nhiêu", sure) is None
    assert await _keep(log, "/no_such_button", Parse("nlu_fallback", 1.0), fallback=True) is None
    assert await log.count() == 0


async def test_keyboard_mashing_has_no_closest_intent(log: MisunderstoodLog) -> None:
    await _keep(log, "xjqz vbnm", Parse("nlu_fallback", 0.0))
    [item] = await log.items()
    assert (item.top, item.closest) == ((), "")


async def test_only_the_latest_messages_are_kept_and_reviewed_ones_leave(
    log: MisunderstoodLog,
) -> None:
    ids = [await _keep(log, f"tin nhan {n}", UNSURE, now=1000.0 + n) for n in range(5)]
    items = await log.items()
    assert [i.text for i in items] == ["tin nhan 2", "tin nhan 3", "tin nhan 4"]
    assert await log.remove([i for i in ids[3:] if i is not None]) == 2
    assert [i.text for i in await log.items()] == ["tin nhan 2"]
    assert await log.remove([]) == 0


async def test_settings_configure_the_threshold_and_the_bound(redis: Redis, prefix: str) -> None:
    settings = Settings(
        _env_file=None, redis_prefix=prefix, nlu_review_confidence=0.4, nlu_review_limit=2
    )
    log = MisunderstoodLog.from_settings(redis, settings)
    fair = Parse("ask_price", 0.5, ranking=(("ask_price", 0.5),))
    assert await _keep(log, "gia sao", fair) is None  # 0.5 is enough with the bar at 0.4
    for n in range(4):
        await _keep(log, f"tin nhan {n}", UNSURE)
    assert [i.text for i in await log.items()] == ["tin nhan 2", "tin nhan 3"]
    assert Settings(_env_file=None).nlu_review_limit == 10000
