"""The conversation runner itself: set-up, every kind of check, reports, clean-up.

These run without the NLU (buttons only), so they need no Rasa server.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.config import Settings
from bot.conversations.format import Suite, load_suite
from bot.conversations.runner import BotUnderTest, TurnFailure, bot_under_test, play_all
from bot.nlu.intents import KNOWN_INTENTS


@pytest.fixture
async def bot(settings: Settings, redis: Redis) -> AsyncIterator[BotUnderTest]:
    async with bot_under_test(settings, redis, None) as running:
        yield running


def _suite(tmp_path: Path, text: str) -> Suite:
    path = tmp_path / "talk.yml"
    path.write_text(text, encoding="utf-8")
    suite, problems = load_suite(path, KNOWN_INTENTS)
    assert suite is not None, problems
    return suite


async def _failures(bot: BotUnderTest, suite: Suite) -> list[TurnFailure]:
    return (await play_all(bot, [suite]))[2]


PASSING = """\
conversations:
  - name: set up in retention with a name
    stage: retention
    locale: en
    profile: {first_name: Lan, tags: [vip]}
    turns:
      - user: /greet
        intent: greet
        stage: retention
        reply_contains: ["HI LAN!"]
        reply_not_contains: "sorry"
        buttons: [/ask_price, "pricing"]
        state: {profile.first_name: Lan, profile.tags.0: vip, state.trial: null, locale: en}
        not_fallback: true
      - user: /request_discount
        state: {state.coupons.LOYAL15: 1, stage_history.-1.reason: "manual:test set-up"}
  - name: a new customer's language and profile come with the first message
    locale: vi
    profile: {first_name: Hoa}
    turns:
      - user: /greet
        profile: {business_type: cafe}
        stage: awareness
        reply_contains: "Chào Hoa!"
        state: {profile.business_type: cafe, locale: vi, state.last_intent: "*"}
"""


async def test_a_conversation_that_holds_passes(bot: BotUnderTest, tmp_path: Path) -> None:
    suite = _suite(tmp_path, PASSING)
    assert await play_all(bot, [suite]) == (2, 3, [])


FAILING = """\
conversations:
  - name: wrong on purpose
    locale: en
    turns:
      - user: /greet
      - user: /ask_price
        intent: [compare_plans, purchase]
        stage: decision
        reply_contains: "Free beer"
        reply_not_contains: "pricing"
        buttons: [/purchase]
        state: {state.trial.code: "*", state.last_intent: null, profile.nope: 1}
        not_fallback: true
      - user: /greet
"""


async def test_a_failure_names_the_file_turn_expectations_and_what_the_bot_did(
    bot: BotUnderTest, tmp_path: Path
) -> None:
    suite = _suite(tmp_path, FAILING)
    [failure] = await _failures(bot, suite)
    assert failure.problems == [
        "expected intent compare_plans or purchase, got ask_price",
        "expected stage decision, got consideration",
        "expected a reply containing 'Free beer'",
        "expected no reply containing 'pricing'",
        "expected a button '/purchase'",
        "expected state.trial.code to have a value, got nothing",
        "expected no state.last_intent, got 'ask_price'",
        "expected profile.nope = 1, got nothing",
    ]
    report = str(failure)
    assert report.startswith(
        f"FAIL {tmp_path / 'talk.yml'}:6: 'wrong on purpose', turn 2: '/ask_price'\n"
    )
    assert "bot read ask_price (1.00); stage consideration; replies:" in report
    assert "> SaleMate pricing:" in report
    assert "[Compare plans /compare_plans] [Try it for 14 days /request_trial]" in report
    assert report.endswith("(the 1 later turns not run)")


async def test_the_generic_fallback_is_recognised(bot: BotUnderTest, tmp_path: Path) -> None:
    suite = _suite(
        tmp_path,
        "conversations:\n"
        "  - name: unknown button\n"
        "    locale: en\n"
        "    profile: {first_name: Bao}\n"
        "    turns:\n"
        "      - {user: /no_such_button, not_fallback: true}\n",
    )
    [failure] = await _failures(bot, suite)
    assert failure.problems == [
        "expected the message to be understood, the NLU read nlu_fallback",
        "expected a deliberate answer, got the generic fallback",
    ]


async def test_free_text_without_nlu_is_reported_as_not_understood(
    bot: BotUnderTest, tmp_path: Path
) -> None:
    suite = _suite(
        tmp_path,
        "conversations:\n"
        "  - name: no nlu\n"
        "    turns:\n"
        "      - {user: chào shop, intent: greet, not_fallback: true}\n",
    )
    [failure] = await _failures(bot, suite)
    assert failure.problems == [
        "expected intent greet, got None",
        "expected a deliberate answer, got the generic fallback",
    ]
    assert "bot read nothing (NLU unavailable)" in str(failure)


async def test_the_throw_away_keys_are_deleted(
    settings: Settings, redis: Redis, prefix: str, tmp_path: Path
) -> None:
    async with bot_under_test(settings, redis, None) as bot:
        await play_all(bot, [_suite(tmp_path, PASSING)])
        during = [k async for k in redis.scan_iter(match=f"{prefix}-conversations-*")]
        assert during
    after = [k async for k in redis.scan_iter(match=f"{prefix}-conversations-*")]
    assert after == []


def test_format_problems_are_reported_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(
        "conversations:\n"
        "  - name: typo\n"
        "    stage: loyal\n"
        "    turns:\n"
        "      - user: hi\n"
        "        intnet: greet\n"
        "      - user: hi\n"
        "        intent: ask_weather\n",
        encoding="utf-8",
    )
    suite, problems = load_suite(path, KNOWN_INTENTS)
    assert suite is None
    assert [str(p).removeprefix(f"{path}:") for p in problems] == [
        "3:5: unknown stage 'loyal'; expected one of: awareness, consideration, decision, "
        "onboarding, retention, advocacy",
        "6:9: unknown field 'intnet'",
        "8:9: intent 'ask_weather' is not in nlu/domain.yml",
    ]
    path.write_text("conversations: [\n", encoding="utf-8")
    assert "YAML syntax error" in str(load_suite(path, KNOWN_INTENTS)[1][0])
