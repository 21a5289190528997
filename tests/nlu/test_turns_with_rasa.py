"""Whole turns through the REST channel with the real Rasa server understanding free text."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.app import build_app, build_services
from bot.config import Settings
from bot.nlu.client import RasaClient
from bot.nlu.server import RasaServer
from tests.conftest import Chat

pytestmark = pytest.mark.rasa


@pytest.fixture
async def nlu_client(
    rasa: RasaServer, settings: Settings, redis: Redis
) -> AsyncIterator[TestClient[Any, Any]]:
    async with httpx.AsyncClient() as http:
        nlu = RasaClient([rasa.url], rasa.token, http, timeout_seconds=10.0)
        app = build_app(build_services(settings, redis, nlu))
        async with TestClient(TestServer(app)) as client:
            yield client


@pytest.mark.parametrize(
    ("message", "stage"),
    [
        ("cho mk dùng thử phần mềm 14 ngày đc ko", "decision"),
        ("cho minh dung thu mien phi duoc khong", "decision"),
        ("Can I get a free trial first?", "decision"),
        ("bảng giá các gói bên bạn thế nào", "consideration"),
        ("goi pro gia bn vay ad", "consideration"),
        ("how much is the pro plan per month", "consideration"),
    ],
)
async def test_free_text_moves_the_customer(
    nlu_client: TestClient[Any, Any], message: str, stage: str
) -> None:
    chat = Chat(nlu_client, f"nlu-{abs(hash(message))}")
    replies = await chat.send(message)
    assert replies, "every message gets an answer"
    assert await chat.stage() == stage
    response = await nlu_client.get(
        f"/api/users/rest/{chat.sender}/transcript",
        headers={"Authorization": "Bearer test-admin-token"},
    )
    first = (await response.json())["messages"][0]
    assert first["text"] == message and first["intent"] != "nlu_fallback"


async def test_health_reports_nlu_up(nlu_client: TestClient[Any, Any]) -> None:
    body = await (await nlu_client.get("/healthz")).json()
    assert body["nlu"]["state"] == "up"
