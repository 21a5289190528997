"""Running the whole bot against the fake Zalo, Graph and Bot API servers, over HTTP."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.config import Settings
from bot.user import User
from bot.web.app import build_app
from bot.wiring import Components
from tests.fakes import messenger_events, zalo_events
from tests.fakes.clock import Clock
from tests.fakes.graph_server import PAGE_TOKEN, FakeGraph
from tests.fakes.telegram_server import TOKEN, FakeTelegram
from tests.fakes.zalo_server import FakeZalo

FAST = 0.001  # seconds between two messages to one customer: tests need not wait


def with_platforms(
    settings: Settings,
    *,
    zalo: FakeZalo | None = None,
    graph: FakeGraph | None = None,
    telegram: FakeTelegram | None = None,
) -> Settings:
    """`settings` with the channels of the given fakes enabled, as a shop owner would."""
    update: dict[str, Any] = {"ingest_claim_seconds": 3.0}
    if zalo is not None:
        access, refresh = zalo.issue()
        update |= {
            "zalo_app_id": zalo_events.APP_ID,
            "zalo_app_secret": SecretStr(zalo_events.APP_SECRET),
            "zalo_oa_secret_key": SecretStr(zalo_events.OA_SECRET_KEY),
            "zalo_access_token": SecretStr(access),
            "zalo_refresh_token": SecretStr(refresh),
            "zalo_api_base": zalo.base,
            "zalo_oauth_base": zalo.base,
            "zalo_recipient_interval_seconds": FAST,
        }
    if graph is not None:
        update |= {
            "messenger_page_access_token": SecretStr(PAGE_TOKEN),
            "messenger_app_secret": SecretStr(messenger_events.APP_SECRET),
            "messenger_verify_token": SecretStr(messenger_events.VERIFY_TOKEN),
            "messenger_api_base": graph.api_base,
            "messenger_recipient_interval_seconds": FAST,
        }
    if telegram is not None:
        update |= {
            "telegram_bot_token": SecretStr(TOKEN),
            "telegram_api_base": telegram.base,
            "telegram_chat_interval_seconds": FAST,
        }
    return settings.model_copy(update=update)


@asynccontextmanager
async def serving(services: Components) -> AsyncIterator[TestClient[Any, Any]]:
    """The bot's web app on a local port, its channels started."""
    async with TestClient(TestServer(build_app(services))) as client:
        await services.channels.start()
        try:
            yield client
        finally:
            await services.channels.stop()


async def until(condition: Callable[[], bool], *, within: float = 10.0, what: str = "") -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what or condition}"
        await asyncio.sleep(0.02)


async def customer(services: Components, channel: str, external_id: str) -> User:
    user = await services.users.find(channel, external_id)
    assert user is not None, f"no {channel} customer {external_id}"
    return user


def ms(clock: Clock, offset: float = 0) -> int:
    return int((clock.now + offset) * 1000)
