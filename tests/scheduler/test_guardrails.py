"""Every proactive message respects opt-outs, handoffs, reachability, quiet hours and the cap."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from redis.asyncio import Redis

from bot.config import Settings
from bot.scheduler.guardrails import QuietHours
from bot.store.keys import Keys
from bot.wiring import Components, build_components
from tests.conftest import REDIS_URL, Chat
from tests.fakes.clock import Clock

pytestmark = pytest.mark.usefixtures("morning")

DAY = 86400.0
HOUR = 3600.0
EN = {"metadata": {"locale": "en"}}
NUDGE = "Shall we carry on setting up SaleMate? Only a few steps left!"


async def onboarding(chat: Chat, **extra: Any) -> None:
    await chat.send("/request_trial", **(extra or EN))
    await chat.send("/purchase")


async def test_quiet_hours_follow_the_customers_time_zone(
    client: TestClient[Any, Any], services: Components, clock: Clock
) -> None:
    # 10:00 in Vietnam is 22:00 the evening before in New York: quiet there.
    new_yorker = Chat(client, "ny")
    profile = {"timezone": "America/New_York"}
    await onboarding(new_yorker, metadata={"locale": "en", "profile": profile})
    clock.advance(1 * DAY)
    await services.scheduler.run_once()
    assert await new_yorker.outbox_texts() == []
    clock.advance(10 * HOUR)  # 08:00 in New York
    await services.scheduler.run_once()
    assert (await new_yorker.outbox_texts())[0] == NUDGE


async def test_daily_cap_defers_to_the_next_morning(
    chat: Chat, services: Components, clock: Clock, settings: Settings
) -> None:
    await onboarding(chat)
    user_id = await services.users.find_id("rest", chat.sender)
    assert user_id is not None
    day = "2026-11-24"
    await services.redis.set(
        Keys(settings.redis_prefix).proactive_count(user_id, day), settings.proactive_daily_cap
    )
    clock.advance(1 * DAY)
    await services.scheduler.run_once()
    assert await chat.outbox_texts() == []
    clock.advance(22 * HOUR)  # 08:00 the day after
    await services.scheduler.run_once()
    assert (await chat.outbox_texts())[0] == NUDGE


async def test_opted_out_handoff_and_unreachable_customers_get_nothing(
    client: TestClient[Any, Any], services: Components, clock: Clock, settings: Settings
) -> None:
    quiet, helped, blocked = (Chat(client, name) for name in ("quiet", "helped", "blocked"))
    for chat in (quiet, helped, blocked):
        await onboarding(chat)
    await quiet.send("/stop_messages")
    clock.advance(22 * HOUR)
    await helped.send("/request_human")  # waiting for a person: no marketing meanwhile
    blocked_id = await services.users.find_id("rest", "blocked")
    assert blocked_id is not None
    await services.redis.hset(Keys(settings.redis_prefix).unreachable(blocked_id), "rest", "{}")  # type: ignore[misc]
    clock.advance(3 * HOUR)
    assert await services.scheduler.run_once() == 4  # three nudges and the handoff SLA check
    for chat in (quiet, blocked):
        assert await chat.outbox_texts() == [], chat.sender
    # Only the handoff's own notice (nobody answered yet) reaches the waiting customer.
    assert [t.startswith("Sorry, our support team") for t in await helped.outbox_texts()] == [True]


async def test_two_schedulers_never_send_twice(
    client: TestClient[Any, Any], services: Components, settings: Settings, clock: Clock
) -> None:
    other = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        replica = build_components(settings, other, nlu=None, clock=clock)
        chats = [Chat(client, f"c{i}") for i in range(10)]
        for chat in chats:
            await onboarding(chat)
        clock.advance(1 * DAY)
        await asyncio.gather(
            *(s.scheduler.run_once() for _ in range(3) for s in (services, replica))
        )
        for chat in chats:
            assert (await chat.outbox_texts()).count(NUDGE) == 1, chat.sender
    finally:
        await other.aclose()


async def test_a_restart_keeps_pending_follow_ups(
    chat: Chat, services: Components, settings: Settings, redis: Redis, clock: Clock
) -> None:
    await onboarding(chat)
    restarted = build_components(settings, redis, nlu=None, clock=clock)
    clock.advance(1 * DAY)
    await restarted.scheduler.run_once()
    assert (await chat.outbox_texts())[0] == NUDGE


def test_quiet_hours_window() -> None:
    window = QuietHours.parse("21:00-08:00")
    evening = datetime(2026, 11, 23, 22, 30)
    assert window.ends_after(evening) == datetime(2026, 11, 24, 8, 0)
    assert window.ends_after(datetime(2026, 11, 23, 7, 59)) == datetime(2026, 11, 23, 8, 0)
    assert window.ends_after(datetime(2026, 11, 23, 8, 0)) is None
    day_window = QuietHours.parse("12:00-13:30")
    assert day_window.ends_after(datetime(2026, 11, 23, 12, 15)) == datetime(2026, 11, 23, 13, 30)
    with pytest.raises(ValueError, match="not like 21:00-08:00"):
        QuietHours.parse("late")
