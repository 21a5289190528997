"""Whole turns through the REST channel with the real Rasa server understanding free text."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.config import Settings
from bot.nlu.client import RasaClient
from bot.nlu.server import RasaServer
from bot.web.app import build_app
from bot.wiring import build_components
from tests.conftest import Chat

pytestmark = pytest.mark.rasa


@pytest.fixture
async def nlu_client(
    rasa: RasaServer, settings: Settings, redis: Redis
) -> AsyncIterator[TestClient[Any, Any]]:
    async with httpx.AsyncClient() as http:
        nlu = RasaClient([rasa.url], rasa.token, http, timeout_seconds=10.0)
        app = build_app(build_components(settings, redis, nlu))
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


JOURNEYS = {
    "vi": [
        ("chao ban", "awareness", "Chào bạn!"),
        ("goi pro gia bao nhieu vay", "consideration", "Gói Chuyên nghiệp: 349.000đ/tháng"),
        ("cho minh dung thu mien phi nhe", "decision", "Mã dùng thử của bạn: TRIAL-"),
        ("ok minh mua goi pro luon", "onboarding", "Cảm ơn bạn đã chọn SaleMate!"),
        ("huong dan minh lam buoc nay voi", "onboarding", "Hướng dẫn bước 1"),
        *[("/step_done", "onboarding", "Bước") for _ in range(4)],
        ("/step_done", "retention", "Tuyệt vời, bạn đã hoàn thành cả 5 bước!"),
        ("minh muon gop y ve phan mem", "retention", "Cảm ơn bạn! Trên thang 0–10"),
        ('/nps{"score": 10}', "advocacy", "Tuyệt quá, cảm ơn bạn đã chấm 10!"),
        ("bao cao de xem, giao dien dep", "advocacy", "Cảm ơn bạn đã chia sẻ"),
        ("cho minh xin link gioi thieu ban be", "advocacy", "Mã giới thiệu của bạn:"),
        ("so sanh giup minh goi co ban voi goi pro", "consideration", "Gói Cơ bản"),
    ],
    "en": [
        ("hello there", "awareness", "Hi there!"),
        ("how much does the pro plan cost", "consideration", "Pro: 349,000 VND/month"),
        ("can I try it for free first", "decision", "Your trial code: TRIAL-"),
        ("great, I want to buy the pro plan", "onboarding", "Thank you for choosing SaleMate!"),
        ("how do I set this step up", "onboarding", "Help with step 1"),
        *[("/step_done", "onboarding", "Step") for _ in range(4)],
        ("/step_done", "retention", "Well done, all 5 steps are complete!"),
        ("I have some feedback about the app", "retention", "Thank you! On a scale of 0–10"),
        ('/nps{"score": 9}', "advocacy", "Wonderful, thank you for the 9!"),
        ("the reports save me hours every week", "advocacy", "Thanks for telling us"),
        ("send me my referral link", "advocacy", "Your referral code:"),
        ("compare the basic and pro plans", "consideration", "Basic"),
    ],
}


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_every_stage_end_to_end_in_free_text(
    nlu_client: TestClient[Any, Any], locale: str
) -> None:
    chat = Chat(nlu_client, f"journey-{locale}")
    for message, stage, reply in JOURNEYS[locale]:
        texts = await chat.texts(message, metadata={"locale": locale})
        assert any(reply in text for text in texts), (message, texts)
        assert await chat.stage() == stage, message
