"""Fixtures shared by the whole suite: real Redis under a per-test prefix, the app, a chat."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from redis.asyncio import Redis

from bot.config import Settings
from bot.nlu.server import RasaServer, rasa_server
from bot.web.app import build_app
from bot.wiring import Components, build_components
from tests.fakes.clock import Clock

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ADMIN_TOKEN = "test-admin-token"


@pytest.fixture(scope="session")
def nlu_settings() -> Settings:
    # The real project; CACHE_DIR keeps its default, so the Rasa virtualenv and the models
    # trained on this machine are reused across runs and clones.
    return Settings(
        _env_file=None,
        nlu_dir=ROOT / "nlu",
        rasa_url=None,
        rasa_token=None,
    )


@pytest.fixture(scope="session")
async def rasa(nlu_settings: Settings) -> AsyncIterator[RasaServer]:
    """A real Rasa server on a free port, trained from `nlu/` if that model is new.

    One per session, shared by the NLU tests and the conversation tests.
    """
    # Generous: on a fresh machine this includes creating the virtualenv and training.
    async with rasa_server(nlu_settings, port=0, startup_timeout=600) as server:
        yield server


@pytest.fixture
def prefix() -> str:
    return f"test:{uuid.uuid4().hex[:12]}"


@pytest.fixture
async def redis(prefix: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        yield client
    finally:
        keys = [key async for key in client.scan_iter(match=f"{prefix}:*", count=1000)]
        if keys:
            await client.delete(*keys)
        await client.aclose()


@pytest.fixture
def settings(prefix: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        redis_url=REDIS_URL,
        redis_prefix=prefix,
        data_dir=tmp_path / "data",
        admin_token=SecretStr(ADMIN_TOKEN),
        policies_dir=ROOT / "stage_policies",
        nlu_enabled=False,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def morning(clock: Clock) -> None:
    """10:00 in Ho Chi Minh City: outside the quiet hours, so proactive messages go out."""
    clock.now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC).timestamp()


@pytest.fixture
def services(settings: Settings, redis: Redis, clock: Clock) -> Components:
    return build_components(settings, redis, nlu=None, clock=clock)


@pytest.fixture
async def client(services: Components) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(build_app(services))) as test_client:
        yield test_client


class Chat:
    """One customer talking to the bot through the REST channel."""

    def __init__(self, client: TestClient[Any, Any], sender: str) -> None:
        self.client = client
        self.sender = sender

    async def send(self, message: str, **extra: Any) -> list[dict[str, Any]]:
        response = await self.client.post(
            "/webhooks/rest/webhook", json={"sender": self.sender, "message": message, **extra}
        )
        assert response.status == 200, await response.text()
        replies: list[dict[str, Any]] = await response.json()
        return replies

    async def texts(self, message: str, **extra: Any) -> list[str]:
        return [r["text"] for r in await self.send(message, **extra)]

    async def user(self) -> dict[str, Any]:
        response = await self.client.get(f"/api/users/rest/{self.sender}", headers=admin_headers())
        assert response.status == 200, await response.text()
        data: dict[str, Any] = await response.json()
        return data

    async def outbox(self) -> list[dict[str, Any]]:
        """What waits in the customer's outbox (staff replies, proactive messages); emptied."""
        response = await self.client.get(f"/webhooks/rest/outbox/{self.sender}")
        messages: list[dict[str, Any]] = await response.json()
        return messages

    async def outbox_texts(self) -> list[str]:
        return [m["text"] for m in await self.outbox()]

    async def stage(self) -> str:
        return str((await self.user())["stage"])

    async def state(self) -> dict[str, Any]:
        state: dict[str, Any] = (await self.user())["state"]
        return state


def admin_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def chat(client: TestClient[Any, Any]) -> Chat:
    return Chat(client, f"customer-{uuid.uuid4().hex[:8]}")


@pytest.fixture
def client_chats(client: TestClient[Any, Any]) -> list[Chat]:
    return [Chat(client, f"customer-{uuid.uuid4().hex[:8]}") for _ in range(5)]
