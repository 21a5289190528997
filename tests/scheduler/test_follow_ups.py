"""The shipped follow-ups fire at their time, once, and are dropped when they no longer apply."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.services import Services
from tests.conftest import Chat, Clock

DAY = 86400.0
HOUR = 3600.0
EN = {"metadata": {"locale": "en"}}


@pytest.fixture(autouse=True)
def morning(clock: Clock) -> None:
    # 10:00 in Ho Chi Minh City: outside the quiet hours (21:00-08:00).
    clock.now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC).timestamp()


async def outbox(chat: Chat) -> list[str]:
    response = await chat.client.get(f"/webhooks/rest/outbox/{chat.sender}")
    return [m["text"] for m in await response.json()]


async def later(services: Services, clock: Clock, seconds: float) -> None:
    """Let time pass and run whatever became due."""
    clock.advance(seconds)
    await services.scheduler.run_once()


async def test_trial_reminders_two_days_before_and_on_the_day(
    chat: Chat, services: Services, clock: Clock
) -> None:
    await chat.send("/request_trial", **EN)
    await later(services, clock, 11 * DAY)
    assert await outbox(chat) == []
    await later(services, clock, 1 * DAY)  # 2 days before the end
    texts = await outbox(chat)
    assert len(texts) == 1 and texts[0].startswith("Your SaleMate trial has 2 days left")
    await later(services, clock, 1 * DAY + 14 * HOUR)  # 10 hours before the end: midnight
    assert await outbox(chat) == []  # quiet hours: it waits for the morning
    await later(services, clock, 8 * HOUR)
    assert (await outbox(chat))[0].startswith("Today is the last day of your SaleMate trial")
    await later(services, clock, 10 * DAY)
    assert await outbox(chat) == []  # each was sent once


async def test_trial_reminder_is_dropped_after_a_purchase(
    chat: Chat, services: Services, clock: Clock
) -> None:
    await chat.send("/request_trial", **EN)
    await chat.send("/purchase")
    await later(services, clock, 12 * DAY)
    texts = await outbox(chat)
    # The onboarding nudges are due by now; the trial reminders are not sent.
    assert not any("trial" in t for t in texts), texts


async def test_onboarding_nudges_on_day_one_and_three_until_finished(
    client: TestClient[Any, Any], chat: Chat, services: Services, clock: Clock
) -> None:
    await chat.send("/request_trial", **EN)
    await chat.send("/purchase")
    await chat.send("/step_done")
    await later(services, clock, 1 * DAY)
    texts = await outbox(chat)
    assert texts == [
        "Shall we carry on setting up SaleMate? Only a few steps left!",
        "Step 2/5: Add your products\n"
        "Open Products > New, or import your whole list from an Excel file.",
    ]
    await later(services, clock, 2 * DAY)
    assert (await outbox(chat))[0].startswith("Are you stuck on a step?")

    finisher = Chat(client, "finisher")
    await finisher.send("/request_trial", **EN)
    await finisher.send("/purchase")
    for _ in range(5):
        await finisher.send("/step_done")
    await later(services, clock, 3 * DAY)
    assert not any("step" in t for t in await outbox(finisher))


async def test_nps_check_in_after_two_weeks_unless_answered(
    client: TestClient[Any, Any], chat: Chat, services: Services, clock: Clock
) -> None:
    answered = Chat(client, "answered")
    for customer in (chat, answered):
        await customer.send("/request_trial", **EN)
        await customer.send("/purchase")
        for _ in range(5):
            await customer.send("/step_done")
    await answered.send('/nps{"score": 8}')
    await later(services, clock, 13 * DAY)
    assert await outbox(chat) == []
    await later(services, clock, 1 * DAY)
    assert (await outbox(chat)) == [
        "You've been using SaleMate for two weeks. On a scale of 0–10, "
        "how likely are you to recommend it to a friend?"
    ]
    assert await outbox(answered) == []


async def test_come_back_after_thirty_silent_days_counts_from_the_last_message(
    chat: Chat, services: Services, clock: Clock
) -> None:
    await chat.send("/greet", **EN)
    await later(services, clock, 20 * DAY)
    await chat.send("/thank")
    await later(services, clock, 20 * DAY)
    assert await outbox(chat) == []
    await later(services, clock, 10 * DAY)
    assert (await outbox(chat))[0].startswith("It's been a while!")
