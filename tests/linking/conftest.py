"""Helpers of the linking tests: customers talking through the real engine."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from pydantic import SecretStr
from redis.asyncio import Redis

from bot.config import Settings
from bot.effects import Reply
from bot.inbound import Inbound
from bot.user import User
from bot.wiring import Components, build_components
from tests.conftest import admin_headers
from tests.fakes.clock import Clock
from tests.fakes.telegram_server import TOKEN, FakeTelegram

CODE = re.compile(r"code is ([A-Z0-9]{6})|mã liên kết của bạn là ([A-Z0-9]{6})", re.IGNORECASE)
_ids = itertools.count(1)


async def say(services: Components, channel: str, external_id: str, text: str,
              **extra: Any) -> list[str]:  # fmt: skip
    """One message of a customer on `channel`, through the engine; the reply texts."""
    inbound = Inbound(channel, external_id, text, message_id=f"m{next(_ids)}", **extra)
    replies: list[Reply] = await services.engine.handle(inbound)
    return [r.text for r in replies]


def code_in(texts: list[str]) -> str:
    match = CODE.search(" ".join(texts))
    assert match is not None, texts
    return match.group(1) or match.group(2)


async def customer(services: Components, channel: str, external_id: str) -> User:
    user = await services.users.find(channel, external_id)
    assert user is not None
    return user


async def move_by_hand(client: TestClient[Any, Any], sender: str, stage: str) -> None:
    response = await client.put(
        f"/api/users/rest/{sender}/stage", json={"stage": stage}, headers=admin_headers()
    )
    assert response.status == 200, await response.text()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
def tg_services(
    settings: Settings, redis: Redis, telegram: FakeTelegram, clock: Clock
) -> Components:
    """The bot with the Telegram channel (on the fake Bot API) and the REST channel."""
    tg_settings = settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TOKEN),
            "telegram_api_base": telegram.base,
            "telegram_chat_interval_seconds": 0.001,
        }
    )
    return build_components(tg_settings, redis, nlu=None, clock=clock)
