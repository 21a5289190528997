"""The webhook clients behind real aiohttp routes, fed by the fakes' signed requests.

The routes here are the shape the channels will have (refusal → 401/403, events → 200);
they prove the clients work on real HTTP requests (raw bodies, case-insensitive headers).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from redis.asyncio import Redis

from bot.channels.messenger.webhook import MessengerWebhook
from bot.channels.shared.events import ParsedEvent, WebhookRefused
from bot.channels.zalo.webhook import ZaloWebhook
from bot.store.keys import Keys
from tests.fakes import messenger_events, zalo_events
from tests.fakes.clock import Clock
from tests.fakes.graph_server import FakeGraph
from tests.fakes.zalo_server import FakeZalo


@pytest.fixture
async def routes(redis: Redis, prefix: str) -> AsyncIterator[tuple[str, list[ParsedEvent]]]:
    received: list[ParsedEvent] = []
    zalo = ZaloWebhook(
        redis,
        Keys(prefix),
        app_id=zalo_events.APP_ID,
        oa_secret_key=zalo_events.OA_SECRET_KEY,
        max_age_seconds=3600,
    )
    messenger = MessengerWebhook(
        app_secret=messenger_events.APP_SECRET, verify_token=messenger_events.VERIFY_TOKEN
    )

    async def zalo_post(request: web.Request) -> web.Response:
        try:
            received.extend(await zalo.handle_webhook(await request.read(), request.headers))
        except WebhookRefused as refused:
            return web.Response(status=401, text=refused.reason)
        return web.Response(text="ok")

    async def messenger_get(request: web.Request) -> web.Response:
        try:
            return web.Response(text=messenger.verify_subscription(request.query))
        except WebhookRefused:
            return web.Response(status=403)

    async def messenger_post(request: web.Request) -> web.Response:
        try:
            received.extend(await messenger.handle_webhook(await request.read(), request.headers))
        except WebhookRefused as refused:
            return web.Response(status=401, text=refused.reason)
        return web.Response(text="EVENT_RECEIVED")

    app = web.Application()
    app.router.add_post("/webhooks/zalo", zalo_post)
    app.router.add_get("/webhooks/messenger", messenger_get)
    app.router.add_post("/webhooks/messenger", messenger_post)
    async with TestServer(app, host="127.0.0.1") as server:
        yield str(server.make_url("")), received


async def test_zalo_posts_are_accepted_once(routes: Any, clock: Clock) -> None:
    base, received = routes
    async with FakeZalo(clock=clock) as zalo:
        request = zalo_events.signed(zalo_events.text("123456789012345678", "xin chào"))
        assert await zalo.deliver(f"{base}/webhooks/zalo", *request) == 200
        assert await zalo.deliver(f"{base}/webhooks/zalo", *request) == 401  # a replay
        forged = zalo_events.signed(zalo_events.text("1", "x"), oa_secret_key="guess")
        assert await zalo.deliver(f"{base}/webhooks/zalo", *forged) == 401
    assert [e.inbound.text for e in received] == ["xin chào"]


async def test_messenger_subscription_and_posts(routes: Any) -> None:
    base, received = routes
    async with FakeGraph() as graph:
        async with aiohttp.ClientSession() as http:
            url = f"{base}/webhooks/messenger"
            async with http.get(url, params=messenger_events.verification(challenge="77")) as ok:
                assert (ok.status, await ok.text()) == (200, "77")
            wrong = messenger_events.verification(token="x")
            async with http.get(url, params=wrong) as refused:
                assert refused.status == 403
        body = messenger_events.page(
            messenger_events.text("99", "chào"), messenger_events.postback("99", "/greet")
        )
        assert await graph.deliver(url, *messenger_events.signed(body)) == 200
        forged = messenger_events.signed(body, app_secret="guess")
        assert await graph.deliver(url, *forged) == 401
    assert [e.inbound.text for e in received] == ["chào", "/greet"]
