"""Signed Zalo and Messenger bodies of the wrong shape, or with ids no route could address.

The signature proves who sent a body, not that it is sane: a test tool, a platform
change or a leaked secret can sign anything. Such a body is refused as a whole (a 4xx)
before anything is stored, and a sane one sent next is still served.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from redis.asyncio import Redis

from bot.config import Settings
from bot.wiring import build_components
from tests.channels.platforms import ms, serving, until, with_platforms
from tests.fakes import messenger_events as fb
from tests.fakes import zalo_events as zalo
from tests.fakes.clock import Clock
from tests.fakes.graph_server import FakeGraph
from tests.fakes.zalo_server import FakeZalo

PSID, ZALO_USER = "6789012345678901", "2468458835296117922"


def messaging(**item: Any) -> dict[str, Any]:
    return {"object": "page", "entry": [{"id": fb.PAGE_ID, "messaging": [item]}]}


ODD_NOTIFICATIONS: list[Any] = [
    {"object": "page", "entry": 5},
    {"object": "page", "entry": [5]},
    {"object": "page", "entry": [{"messaging": "x"}]},
    {"object": "page", "entry": [{"messaging": [5]}]},
    messaging(sender=5, timestamp=1, message={"text": "hi"}),
    messaging(sender={"id": PSID}, timestamp="soon", message={"text": "hi"}),
    messaging(sender={"id": PSID}, timestamp=1, message="hi"),
    messaging(sender={"id": PSID}, timestamp=1, message={"text": "hi", "attachments": 5}),
    messaging(sender={"id": PSID}, timestamp=1, message={"quick_reply": 5}),
    messaging(sender={"id": PSID}, timestamp=1, referral=5),
    messaging(sender={"id": "p\u202e{x}"}, timestamp=1, message={"text": "hi"}),
    messaging(sender={"id": " " + PSID}, timestamp=1, message={"text": "hi"}),
    [1, 2],
]


def signed_by_meta(body: Any) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body).encode()
    mac = hmac.new(fb.APP_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={mac}"}


async def test_odd_signed_messenger_notifications_are_refused_whole(
    settings: Settings, redis: Redis, clock: Clock
) -> None:
    async with FakeGraph(clock=clock) as graph:
        platforms = with_platforms(settings, graph=graph)
        services = build_components(platforms, redis, nlu=None, clock=clock)
        async with serving(services) as client:
            for body in ODD_NOTIFICATIONS:
                raw, headers = signed_by_meta(body)
                answer = await client.post("/webhooks/messenger", data=raw, headers=headers)
                assert 400 <= answer.status < 500, body
            # A sane event in the same batch as an odd one is not stored either.
            mixed = fb.page(fb.text(PSID, "/greet"), {"sender": {"id": PSID}, "message": 5})
            raw, headers = signed_by_meta(mixed)
            answer = await client.post("/webhooks/messenger", data=raw, headers=headers)
            assert answer.status == 401
            assert await services.users.count() == 0
            graph.wrote(PSID, at=clock())
            raw, headers = fb.signed(fb.page(fb.text(PSID, "/greet")))
            answer = await client.post("/webhooks/messenger", data=raw, headers=headers)
            assert answer.status == 200
            await until(lambda: bool(graph.texts(PSID)), what="the greeting")
    assert await services.users.count() == 1


def odd_zalo_events(timestamp: str) -> list[dict[str, Any]]:
    sane = zalo.text(ZALO_USER, "hi", timestamp=timestamp)
    return [
        {**sane, "sender": 5},
        {**sane, "sender": {"id": "u\u202e{x}"}},
        {**sane, "message": "hi"},
        {**sane, "event_name": "user_send_image", "message": {"attachments": 5}},
        {**zalo.follow(ZALO_USER, timestamp=timestamp), "follower": 5},
        {**zalo.follow(ZALO_USER, timestamp=timestamp), "follower": {"id": "\u200b"}},
    ]


async def test_odd_signed_zalo_events_are_refused(
    settings: Settings, redis: Redis, clock: Clock
) -> None:
    async with FakeZalo(clock=clock) as oa:
        services = build_components(with_platforms(settings, zalo=oa), redis, nlu=None, clock=clock)
        async with serving(services) as client:
            for event in odd_zalo_events(str(ms(clock))):
                raw, headers = zalo.signed(event)
                answer = await client.post("/webhooks/zalo", data=raw, headers=headers)
                assert 400 <= answer.status < 500, event
            assert await services.users.count() == 0
            oa.follow(ZALO_USER, at=clock())  # the OA API sees the interaction too
            raw, headers = zalo.signed(zalo.text(ZALO_USER, "/greet", timestamp=str(ms(clock))))
            answer = await client.post("/webhooks/zalo", data=raw, headers=headers)
            assert answer.status == 200
            await until(lambda: bool(oa.texts(ZALO_USER)), what="the greeting")
    assert await services.users.count() == 1
