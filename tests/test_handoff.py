"""Human handoff through the API: the bot is silent, staff talk, close, CSAT, records."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.inbound import Inbound
from bot.user import User
from bot.wiring import Components
from tests.conftest import Chat, admin_headers
from tests.fakes.clock import Clock

pytestmark = pytest.mark.usefixtures("morning")

EN = {"metadata": {"locale": "en"}}
MINUTE = 60.0


async def user_id(services: Components, chat: Chat) -> str:
    found = await services.users.find_id("rest", chat.sender)
    assert found is not None
    return found


async def test_full_round_trip_through_the_api(
    client: TestClient[Any, Any], chat: Chat, services: Components, clock: Clock
) -> None:
    await chat.send("/request_trial", **EN)
    await chat.send("/request_human")
    uid = await user_id(services, chat)
    clock.advance(2 * MINUTE)
    listed = await (await client.get("/api/handoffs", headers=admin_headers())).json()
    assert [(h["user_id"], h["stage"], h["reason"]) for h in listed["handoffs"]] == [
        (uid, "decision", "customer")
    ]
    assert listed["handoffs"][0]["waiting_seconds"] == 120.0

    # The bot says nothing while a person owns the conversation, whatever is written.
    assert await chat.send("hello? my printer does not work") == []
    assert await chat.send("/ask_price") == []
    clock.advance(MINUTE)
    reply = await client.post(
        f"/api/handoffs/{uid}/messages",
        json={"text": "Hi, I'm Lan from support. Which printer?", "author": "lan"},
        headers=admin_headers(),
    )
    assert reply.status == 200
    assert [m["text"] for m in await chat.outbox()] == ["Hi, I'm Lan from support. Which printer?"]

    clock.advance(5 * MINUTE)
    closed = await client.post(
        f"/api/handoffs/{uid}/close", json={"by": "lan"}, headers=admin_headers()
    )
    record = await closed.json()
    assert (record["first_response_seconds"], record["resolution_seconds"]) == (180.0, 480.0)
    messages = await chat.outbox()
    assert messages[0]["text"].startswith("Your conversation with our support team has ended.")
    assert len(messages[1]["buttons"]) == 5
    assert messages[1]["buttons"][0]["payload"] == '/csat{"score": 1}'
    assert await chat.texts('/csat{"score": 5}') == ["Thanks for rating us 5/5!"]
    state = await chat.state()
    assert state["csat"]["handoff"] == record["id"]
    assert "handoff" not in state
    # The bot is back, where the customer's stage says.
    assert (await chat.texts("/request_trial"))[0].startswith("You already have a trial: code")

    transcript = await (
        await client.get(f"/api/users/rest/{chat.sender}/transcript", headers=admin_headers())
    ).json()
    authors = [(m["dir"], m.get("author", "")) for m in transcript["messages"]]
    assert ("out", "staff:lan") in authors
    assert ("in", "") in authors
    history = await services.handoffs.history(uid)
    assert [(h["closed_by"], h["by"], h["csat"]) for h in history] == [("staff:lan", "bot", 5)]
    assert (await (await client.get("/api/handoffs", headers=admin_headers())).json()) == {
        "handoffs": []
    }


async def test_no_proactive_message_during_a_handoff(
    chat: Chat, services: Components, clock: Clock
) -> None:
    await chat.send("/request_trial", **EN)
    await chat.send("/purchase")
    await chat.send("/request_human")
    clock.advance(86400)
    await services.scheduler.run_once()
    texts = [m["text"] for m in await chat.outbox()]
    assert not any("setting up SaleMate" in t for t in texts), texts


async def test_sla_missed_offers_the_bot_back(
    chat: Chat, services: Components, clock: Clock
) -> None:
    await chat.send("/greet", **EN)
    await chat.send("/request_human")
    clock.advance(14 * MINUTE)
    await services.scheduler.run_once()
    assert await chat.outbox() == []
    clock.advance(2 * MINUTE)
    await services.scheduler.run_once()
    (missed,) = await chat.outbox()
    assert missed["text"].startswith("Sorry, our support team is busier than expected (15 minutes)")
    assert missed["buttons"] == [{"title": "Back to the assistant", "payload": "/back_to_bot"}]
    assert await chat.texts("/back_to_bot") == ["I'm back! Tell me what you need."]
    assert "handoff" not in await chat.state()
    history = await services.handoffs.history(await user_id(services, chat))
    assert [(h["closed_by"], h["first_response_seconds"]) for h in history] == [("customer", None)]


async def test_staff_start_and_api_errors(
    client: TestClient[Any, Any], chat: Chat, services: Components
) -> None:
    await chat.send("/greet", **EN)
    uid = await user_id(services, chat)
    nobody = await client.post(f"/api/handoffs/{uid}/close", json={}, headers=admin_headers())
    assert nobody.status == 409
    unknown = await client.post(
        "/api/users/rest/ghost/handoff", json={"by": "lan"}, headers=admin_headers()
    )
    assert unknown.status == 404
    started = await client.post(
        f"/api/users/rest/{chat.sender}/handoff", json={"by": "lan"}, headers=admin_headers()
    )
    assert (await started.json())["by"] == "staff:lan"
    assert await chat.send("/greet") == []
    empty = await client.post(
        f"/api/handoffs/{uid}/messages",
        json={"text": " ", "author": "lan"},
        headers=admin_headers(),
    )
    assert (empty.status, (await empty.json())["error"]["field"]) == (422, "text")
    assert (await client.get("/api/handoffs")).status == 401


class SlowRelay:
    """A support relay that hangs on the customer's messages (a support chat at its limit)."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.hanging = asyncio.Event()  # a copy is waiting: its turn was committed
        self.copied: list[str] = []
        self.closed_by: list[str] = []

    async def opened(self, user: User) -> None:
        pass

    async def customer_message(self, user: User, inbound: Inbound) -> None:
        self.hanging.set()
        await self.release.wait()
        self.copied.append(inbound.text)

    async def closed(self, user: User, record: dict[str, Any]) -> None:
        self.closed_by.append(record["closed_by"])

    async def sla_missed(self, user: User, minutes: float) -> None:
        pass

    async def rated(self, user: User, answer: dict[str, Any]) -> None:
        pass


async def test_a_slow_support_relay_does_not_hold_the_customer(
    chat: Chat, services: Components
) -> None:
    relay = SlowRelay()
    services.handoffs.relays.append(relay)
    await chat.send("/request_human", **EN)
    waiting = asyncio.create_task(chat.send("my printer is broken"))
    # The first message is committed; its copy to the relay hangs. The customer's next
    # turn must not wait for it (the lock is not held while relays are told).
    await asyncio.wait_for(relay.hanging.wait(), timeout=10)
    back = await asyncio.wait_for(chat.texts("/back_to_bot"), timeout=5)
    assert back == ["I'm back! Tell me what you need."]
    assert relay.closed_by == ["customer"]
    assert not waiting.done()
    relay.release.set()
    assert await waiting == []
    assert relay.copied == ["my printer is broken"]
