"""The web chat embedded on a shop's own site through widget.js, in a real browser."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.config import Settings
from bot.web.app import build_app
from bot.wiring import build_components
from tests.browser.conftest import screenshot_path
from tests.fakes.clock import Clock

PAGE = web.AppKey("page", dict[str, str])  # filled in once the bot is up
SHOP_PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Tiệm cà phê Mây</title></head><body><h1>Tiệm cà phê Mây</h1><p>Đặt bàn, xem thực đơn.</p>
<script src="{bot}/chat/widget.js" data-locale="en"></script></body></html>"""


@pytest.fixture
async def shop() -> AsyncIterator[TestServer]:
    """The shop's own site on another origin; its page is filled in once the bot is up."""
    app = web.Application()
    app[PAGE] = {"html": ""}

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=request.app[PAGE]["html"], content_type="text/html")

    app.router.add_get("/", page)
    server = TestServer(app)
    await server.start_server()
    yield server
    await server.close()


async def test_the_widget_works_embedded_on_another_site(
    settings: Settings, redis: Redis, clock: Clock, shop: TestServer, browser_page: Any
) -> None:
    origin = str(shop.make_url("/")).rstrip("/")
    embedded = settings.model_copy(update={"web_chat_origins": origin})
    services = build_components(embedded, redis, nlu=None, clock=clock)
    async with TestClient(TestServer(build_app(services))) as bot:
        shop.app[PAGE]["html"] = SHOP_PAGE.format(bot=str(bot.make_url("")).rstrip("/"))
        page = browser_page
        await page.goto(origin + "/")
        await page.wait_for_selector(".eb-box.eb-float")
        await page.wait_for_selector(".eb-out >> text=Hi there!")  # the greeting on open
        await page.click(".eb-buttons button:has-text('Pricing')")
        await page.wait_for_selector("text=SaleMate pricing:")
        await page.screenshot(path=screenshot_path("webchat-embedded"))
        assert await page.title() == "Tiệm cà phê Mây"  # still the shop's page
        senders = await services.users.count()
        assert senders == 1
