"""The Messenger channel end to end: signed notifications to the bot's route, the fake Graph API."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from redis.asyncio import Redis

from bot.config import Settings
from bot.inbound import Inbound
from bot.wiring import Components, build_components
from tests.channels.platforms import customer, ms, serving, until, with_platforms
from tests.conftest import admin_headers
from tests.fakes import messenger_events as events
from tests.fakes.clock import Clock
from tests.fakes.graph_server import FakeGraph

PSID = "6789012345678901"
HOUR, DAY = 3600.0, 86400.0


@pytest.fixture
def fb_services(settings: Settings, graph: FakeGraph, redis: Redis, clock: Clock) -> Components:
    return build_components(with_platforms(settings, graph=graph), redis, nlu=None, clock=clock)


class Person:
    """A Messenger user writing to the page: signed notifications to the bot's webhook."""

    def __init__(self, client: TestClient[Any, Any], graph: FakeGraph, clock: Clock) -> None:
        self.client, self.graph, self.clock = client, graph, clock

    async def post(self, *items: dict[str, Any]) -> int:
        self.graph.wrote(PSID, at=self.clock())
        raw, headers = events.signed(events.page(*items))
        response = await self.client.post("/webhooks/messenger", data=raw, headers=headers)
        return response.status

    async def replies(self, count: int) -> list[str]:
        await until(lambda: len(self.graph.texts(PSID)) >= count, what=f"{count} messages")
        return self.graph.texts(PSID)


async def test_a_whole_journey_on_messenger(
    fb_services: Components, graph: FakeGraph, clock: Clock
) -> None:
    await fb_services.engine.handle(Inbound("rest", "friend", "/ask_referral", locale="vi"))
    friend = await customer(fb_services, "rest", "friend")
    code = friend.state["referral_code"]
    async with serving(fb_services) as client:
        verify = await client.get("/webhooks/messenger", params=events.verification(challenge="42"))
        assert (verify.status, await verify.text()) == (200, "42")
        wrong = await client.get("/webhooks/messenger", params=events.verification(token="x"))
        assert wrong.status == 403
        person = Person(client, graph, clock)
        now = ms(clock)
        assert (
            await person.post(events.postback(PSID, "/greet", ref=f"ref_{code}", timestamp=now))
            == 200
        )
        texts = await person.replies(2)
        assert texts[0].startswith("Chào mừng bạn của")
        quick = graph.sent[-1].message["quick_replies"]
        assert [q["payload"] for q in quick] == [
            "/ask_product_info",
            "/ask_price",
            "/request_trial",
        ]
        assert await person.post(events.quick_reply(PSID, "Bảng giá", "/ask_price")) == 200
        assert (await person.replies(3))[2].startswith("Bảng giá SaleMate:")
        assert await person.post(events.text(PSID, "/request_trial")) == 200
        await person.replies(4)
        assert (
            await person.post(events.attachment(PSID, "sticker", {"sticker_id": 369239263222822}))
            == 200
        )
        await person.replies(5)
    user = await customer(fb_services, "messenger", PSID)
    assert user.stage.value == "decision" and user.state["referred_by"] == friend.id
    assert {s.messaging_type for s in graph.sent} == {"RESPONSE"}
    assert (PSID, "typing_on") in graph.actions  # while a turn ran
    inbound = [e["text"] for e in await fb_services.transcript.read(user.id) if e["dir"] == "in"]
    assert inbound == ["/greet", "/ask_price", "/request_trial", "[sticker]"]


async def test_forged_notifications_are_refused(fb_services: Components, graph: FakeGraph) -> None:
    async with serving(fb_services) as client:
        raw, headers = events.signed(events.page(events.text(PSID, "/greet")), app_secret="guess")
        assert (await client.post("/webhooks/messenger", data=raw, headers=headers)).status == 401
        assert (await client.post("/webhooks/messenger", data=raw)).status == 401
    assert graph.sent == [] and await fb_services.users.find("messenger", PSID) is None


async def test_follow_ups_outside_24_hours_are_dropped_never_refused(
    fb_services: Components, graph: FakeGraph, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    clock.now = 1_795_400_000.0  # 10:13 in Ho Chi Minh City: outside the quiet hours
    async with serving(fb_services) as client:
        person = Person(client, graph, clock)
        assert await person.post(events.text(PSID, "/request_trial", timestamp=ms(clock))) == 200
        await person.replies(1)
        calls = graph.calls
        clock.advance(12 * DAY)  # the trial reminder is due, 11 days after the window closed
        with caplog.at_level(logging.INFO, logger="bot.scheduler.loop"):
            await fb_services.scheduler.run_once()
        assert graph.calls == calls  # nothing sent, nothing refused by the platform
        assert "outside the messenger 24-hour window" in caplog.text


async def test_a_staff_reply_after_24_hours_goes_with_the_human_agent_tag(
    fb_services: Components, graph: FakeGraph, clock: Clock
) -> None:
    async with serving(fb_services) as client:
        person = Person(client, graph, clock)
        assert await person.post(events.text(PSID, "/request_human", timestamp=ms(clock))) == 200
        await person.replies(1)
        user = await customer(fb_services, "messenger", PSID)
        clock.advance(30 * HOUR)
        reply = {"text": "Chào anh, em là Lan ạ", "author": "lan"}
        path = f"/api/handoffs/{user.id}/messages"
        assert (await client.post(path, json=reply, headers=admin_headers())).status == 200
        await until(lambda: graph.texts(PSID)[-1] == "Chào anh, em là Lan ạ")
        assert (graph.sent[-1].messaging_type, graph.sent[-1].tag) == ("MESSAGE_TAG", "HUMAN_AGENT")
        clock.advance(7 * DAY)  # past the human agent's 7 days: not sent at all
        calls = graph.calls
        late = {"text": "Anh còn cần giúp không ạ?", "author": "lan"}
        assert (await client.post(path, json=late, headers=admin_headers())).status == 200
        assert graph.calls == calls
