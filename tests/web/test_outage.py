"""While Redis is unreachable every route answers a JSON 503 with Retry-After, then recovers.

The test starts its own `redis-server` on a free port, kills it, and starts it again.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from redis.asyncio import Redis

from bot.config import Settings
from bot.console.accounts import Role
from bot.inbound import Inbound
from bot.wiring import build_components
from tests.conftest import admin_headers
from tests.web.serving import serving

PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RedisProcess:
    """A `redis-server` of the test's own, started and killed at will."""

    def __init__(self, binary: str, port: int, folder: Path) -> None:
        self.binary, self.port, self.folder = binary, port, folder
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    async def ready(self) -> None:
        client = Redis(port=self.port)
        try:
            for _ in range(100):
                try:
                    await client.ping()
                    return
                except OSError:
                    await asyncio.sleep(0.05)
                except Exception:
                    await asyncio.sleep(0.05)
        finally:
            await client.aclose()


@pytest.fixture
def redis_process(tmp_path: Path) -> Iterator[RedisProcess]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no redis-server binary on PATH: the outage test needs its own Redis")
    own = RedisProcess(binary, free_port(), tmp_path)
    own.start()
    try:
        yield own
    finally:
        own.kill()


@pytest.fixture
async def base(redis_process: RedisProcess, settings: Settings) -> AsyncIterator[str]:
    await redis_process.ready()
    url = f"redis://127.0.0.1:{redis_process.port}/0"
    own = settings.model_copy(update={"redis_url": url})
    redis = Redis.from_url(url, decode_responses=True)
    components = build_components(own, redis, nlu=None)
    await components.accounts.add("lan", Role.SUPPORT, PASSWORD, by="test")
    await components.engine.handle(Inbound("rest", "an", "/request_human", locale="en"))
    async with serving(components) as served:
        yield served
    await redis.aclose()


async def console_session(http: aiohttp.ClientSession, base: str) -> None:
    form = await (await http.get(f"{base}/console/login")).text()
    token = re.search(r'name="csrf" value="([^"]+)"', form)
    assert token
    data = {"name": "lan", "password": PASSWORD, "csrf": token.group(1)}
    logged = await http.post(f"{base}/console/login", data=data, allow_redirects=False)
    assert logged.status == 302


CALLS: list[tuple[str, str, dict[str, Any] | None, bool]] = [
    ("POST", "/webhooks/rest/webhook", {"sender": "an", "message": "/greet"}, False),
    ("POST", "/webhooks/rest/webhook", {"sender": "new one", "message": "hello"}, False),
    ("GET", "/webhooks/rest/outbox/an", None, False),
    ("GET", "/api/users/rest/an", None, True),
    ("PUT", "/api/users/rest/an/stage", {"stage": "retention"}, True),
    ("GET", "/api/users/rest/an/transcript?limit=5", None, True),
    ("GET", "/api/handoffs", None, True),
    ("GET", "/api/analytics", None, True),
    ("GET", "/api/export/customers.csv", None, True),
    ("GET", "/console/inbox", None, False),
    ("GET", "/console/analytics", None, False),
    ("GET", "/metrics", None, False),
]


async def test_every_route_answers_503_with_retry_after_while_redis_is_down(
    base: str, redis_process: RedisProcess
) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        await console_session(http, base)
        redis_process.kill()
        slowest = 0.0
        for method, path, body, admin in CALLS:
            started = time.perf_counter()
            headers = admin_headers() if admin else {}
            async with http.request(
                method, base + path, json=body, headers=headers, allow_redirects=False
            ) as response:
                text = await response.text()
                assert response.status == 503, f"{method} {path}: {response.status} {text[:200]}"
                assert int(response.headers["Retry-After"]) > 0, path
                if path.startswith("/console"):
                    assert "briefly unavailable" in text or "tạm thời" in text
                    assert 'href="/console?lang=' in text  # a way on
                else:
                    assert (await response.json())["error"]["message"], path
            slowest = max(slowest, time.perf_counter() - started)
        print(f"\n{len(CALLS)} routes answered 503 during the outage; slowest {slowest:.2f} s")
        health = await http.get(f"{base}/healthz")
        assert health.status == 503
        redis_process.start()
        await redis_process.ready()
        answer = await http.post(
            f"{base}/webhooks/rest/webhook", json={"sender": "an", "message": "/greet"}
        )
        assert answer.status == 200  # the client reconnects by itself
        assert (await http.get(f"{base}/healthz")).status == 200
