"""A product event during the customer's quiet hours: the stage moves at once, the messages
wait for the morning and go then, once, through the scheduler."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.wiring import Components
from tests.conftest import Chat, admin_headers
from tests.fakes.clock import Clock
from tests.fakes.crm_server import crm_server

HOUR = 3600.0
EN = {"metadata": {"locale": "en"}}
PAID = "Thank you for your payment!"


@pytest.fixture
def night(clock: Clock) -> None:
    """23:00 in Ho Chi Minh City: inside the quiet hours (21:00-08:00)."""
    clock.now = datetime(2026, 11, 23, 16, 0, tzinfo=UTC).timestamp()


async def invoice_paid(client: TestClient[Any, Any], chat: Chat, event_id: str = "inv-1") -> None:
    body = {
        "event_id": event_id,
        "customer": {"channel": "rest", "external_id": chat.sender},
        "name": "invoice_paid",
        "properties": {"plan": "pro"},
    }
    response = await client.post("/api/events", json=body, headers=admin_headers())
    assert response.status == 202, await response.text()


async def later(services: Components, clock: Clock, seconds: float) -> None:
    clock.advance(seconds)
    while await services.scheduler.run_once():
        pass


async def bot_lines(client: TestClient[Any, Any], chat: Chat) -> list[tuple[str, float]]:
    response = await client.get(
        f"/api/users/rest/{chat.sender}/transcript", headers=admin_headers()
    )
    entries = (await response.json())["messages"]
    return [(e["text"], e["at"]) for e in entries if e["dir"] == "out"]


@pytest.mark.usefixtures("night")
async def test_a_night_payment_moves_the_stage_now_and_thanks_in_the_morning(
    client: TestClient[Any, Any], services: Components, chat: Chat, clock: Clock
) -> None:
    await chat.send("/request_trial", **EN)
    before = len(await bot_lines(client, chat))
    async with crm_server() as crm, aiohttp.ClientSession() as session:
        await client.post(
            "/api/webhooks", json={"url": crm.url, "events": ["stage.changed"]},
            headers=admin_headers(),
        )  # fmt: skip
        paid_at = clock.now
        await invoice_paid(client, chat)
        await later(services, clock, 0)
        # The record is true at once: the stage, its history, and the CRM's copy.
        assert await chat.stage() == "onboarding"
        assert (await chat.user())["stage_history"][-1]["at"] == paid_at
        await services.customer_data.sender.deliver_due(session)
        assert crm.types() == ["stage.changed"]
    assert await chat.outbox_texts() == []  # but nothing is said at night
    assert len(await bot_lines(client, chat)) == before
    await later(services, clock, 9 * HOUR - 60)  # 07:59
    assert await chat.outbox_texts() == []
    await later(services, clock, 60)  # 08:00
    texts = await chat.outbox_texts()
    assert texts[0].startswith(PAID) and texts[1].startswith("Step 1/5"), texts
    sent = (await bot_lines(client, chat))[before:]
    assert [at for _, at in sent] == [clock.now] * len(texts)  # transcribed when sent
    await later(services, clock, 2 * HOUR)
    assert not any(t.startswith(PAID) for t in await chat.outbox_texts())  # once


@pytest.mark.usefixtures("night")
async def test_held_messages_are_dropped_if_the_customer_opts_out_before_morning(
    client: TestClient[Any, Any], services: Components, chat: Chat, clock: Clock
) -> None:
    await chat.send("/request_trial", **EN)
    await invoice_paid(client, chat)
    await later(services, clock, 0)
    await chat.send("/stop_messages")
    await later(services, clock, 10 * HOUR)
    assert await chat.stage() == "onboarding"
    assert not any(t.startswith(PAID) for t in await chat.outbox_texts())


@pytest.mark.usefixtures("morning")
async def test_by_day_the_reaction_still_speaks_at_once(
    client: TestClient[Any, Any], services: Components, chat: Chat, clock: Clock
) -> None:
    await chat.send("/request_trial", **EN)
    await invoice_paid(client, chat)
    await later(services, clock, 0)
    assert (await chat.outbox_texts())[0].startswith(PAID)


@pytest.mark.usefixtures("morning")
async def test_past_the_daily_cap_the_messages_wait_for_the_next_morning(
    client: TestClient[Any, Any], services: Components, chat: Chat, clock: Clock
) -> None:
    await chat.send("/request_trial", **EN)
    user_id = (await chat.user())["user_id"]
    capped = services.keys.proactive_count(user_id, "2026-11-23")
    await services.redis.set(capped, services.settings.proactive_daily_cap)
    await invoice_paid(client, chat)
    await later(services, clock, 0)
    assert await chat.stage() == "onboarding"
    assert await chat.outbox_texts() == []
    await later(services, clock, 22 * HOUR - 60)  # 07:59 the next day
    assert await chat.outbox_texts() == []
    await later(services, clock, 60)
    assert (await chat.outbox_texts())[0].startswith(PAID)
