"""The shipped follow-ups fire at their time, once, and are dropped when they no longer apply."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.wiring import Components
from tests.conftest import Chat
from tests.fakes.clock import Clock

pytestmark = pytest.mark.usefixtures("morning")

DAY = 86400.0
HOUR = 3600.0
EN = {"metadata": {"locale": "en"}}


async def later(services: Components, clock: Clock, seconds: float) -> None:
    """Let time pass and run whatever became due."""
    clock.advance(seconds)
    await services.scheduler.run_once()


async def test_trial_reminders_two_days_before_and_on_the_day(
    chat: Chat, services: Components, clock: Clock
) -> None:
    await chat.send("/request_trial", **EN)
    await later(services, clock, 11 * DAY)
    assert await chat.outbox_texts() == []
    await later(services, clock, 1 * DAY)  # 2 days before the end
    texts = await chat.outbox_texts()
    assert len(texts) == 1 and texts[0].startswith("Your SaleMate trial has 2 days left")
    await later(services, clock, 1 * DAY + 14 * HOUR)  # 10 hours before the end: midnight
    assert await chat.outbox_texts() == []  # quiet hours: it waits for the morning
    await later(services, clock, 8 * HOUR)
    assert (await chat.outbox_texts())[0].startswith("Today is the last day of your SaleMate trial")
    await later(services, clock, 10 * DAY)
    assert await chat.outbox_texts() == []  # each was sent once


async def test_trial_reminder_is_dropped_after_a_purchase(
    chat: Chat, services: Components, clock: Clock
) -> None:
    await chat.send("/request_trial", **EN)
    await chat.send("/purchase")
    await later(services, clock, 12 * DAY)
    texts = await chat.outbox_texts()
    # The onboarding nudges are due by now; the trial reminders are not sent.
    assert not any("trial" in t for t in texts), texts


async def test_onboarding_nudges_on_day_one_and_three_until_finished(
    client: TestClient[Any, Any], chat: Chat, services: Components, clock: Clock
) -> None:
    await chat.send("/request_trial", **EN)
    await chat.send("/purchase")
    await chat.send("/step_done")
    await later(services, clock, 1 * DAY)
    texts = await chat.outbox_texts()
    assert texts == [
        "Shall we carry on setting up SaleMate? Only a few steps left!",
        "Step 2/5: Add your products\n"
        "Open Products > New, or import your whole list from an Excel file.",
    ]
    await later(services, clock, 2 * DAY)
    assert (await chat.outbox_texts())[0].startswith("Are you stuck on a step?")

    finisher = Chat(client, "finisher")
    await finisher.send("/request_trial", **EN)
    await finisher.send("/purchase")
    for _ in range(5):
        await finisher.send("/step_done")
    await later(services, clock, 3 * DAY)
    assert not any("step" in t for t in await finisher.outbox_texts())


async def test_nps_check_in_after_two_weeks_unless_answered(
    client: TestClient[Any, Any], chat: Chat, services: Components, clock: Clock
) -> None:
    answered = Chat(client, "answered")
    for customer in (chat, answered):
        await customer.send("/request_trial", **EN)
        await customer.send("/purchase")
        for _ in range(5):
            await customer.send("/step_done")
    await answered.send('/nps{"score": 8}')
    await later(services, clock, 13 * DAY)
    assert await chat.outbox_texts() == []
    await later(services, clock, 1 * DAY)
    assert (await chat.outbox_texts()) == [
        "You've been using SaleMate for two weeks. On a scale of 0–10, "
        "how likely are you to recommend it to a friend?"
    ]
    assert await answered.outbox_texts() == []


async def test_come_back_after_thirty_silent_days_counts_from_the_last_message(
    chat: Chat, services: Components, clock: Clock
) -> None:
    await chat.send("/greet", **EN)
    await later(services, clock, 20 * DAY)
    await chat.send("/thank")
    await later(services, clock, 20 * DAY)
    assert await chat.outbox_texts() == []
    await later(services, clock, 10 * DAY)
    assert (await chat.outbox_texts())[0].startswith("It's been a while!")
