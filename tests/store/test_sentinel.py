"""The bot through Redis Sentinel: `REDIS_URL=redis+sentinel://host:port/<master>`.

A master and one Sentinel are started with the local `redis-server` binary on free
loopback ports; skipped (with the reason) where there is no binary.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from redis import Redis as SyncRedis

from bot.config import Settings
from bot.store.connection import RedisUrlError, connect
from bot.web.app import build_app
from bot.wiring import build_components
from tests.conftest import Chat


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(check: SyncRedis, ready: str, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready == "ping" and check.ping():
                return
            if ready == "master" and check.execute_command(  # type: ignore[no-untyped-call]
                "SENTINEL", "get-master-addr-by-name", "mymaster"
            ):
                return
        except Exception:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"redis {ready} did not come up")


@pytest.fixture(scope="module")
def sentinel_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no redis-server binary on PATH: cannot start Redis Sentinel")
    folder: Path = tmp_path_factory.mktemp("sentinel")
    master_port, sentinel_port = _port(), _port()
    config = folder / "sentinel.conf"
    config.write_text(
        f"port {sentinel_port}\nbind 127.0.0.1\n"
        f"sentinel monitor mymaster 127.0.0.1 {master_port} 1\n"
    )
    master = subprocess.Popen(
        [
            binary,
            "--port",
            str(master_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    sentinel = subprocess.Popen([binary, str(config), "--sentinel"], stdout=subprocess.DEVNULL)
    try:
        _wait_for(SyncRedis(host="127.0.0.1", port=master_port), "ping")
        _wait_for(SyncRedis(host="127.0.0.1", port=sentinel_port), "master")
        yield f"redis+sentinel://127.0.0.1:{sentinel_port}/mymaster/0"
    finally:
        for process in (sentinel, master):
            process.terminate()
            process.wait(timeout=10)


async def test_turns_through_the_master_sentinel_names(
    sentinel_url: str, settings: Settings
) -> None:
    redis = connect(sentinel_url)
    try:
        services = build_components(settings, redis, nlu=None)
        async with TestClient(TestServer(build_app(services))) as client:
            chat = Chat(client, "sentinel-customer")
            texts = await chat.texts('/ask_price{"plan": "pro"}', metadata={"locale": "en"})
            assert texts == ["Pro: 349,000 VND/month. Updates and support included, no set-up fee."]
            assert await chat.stage() == "consideration"
    finally:
        await redis.aclose()


def test_unknown_url_forms_are_refused_clearly() -> None:
    with pytest.raises(RedisUrlError, match="expected redis://"):
        connect("memcached://127.0.0.1:11211")
    with pytest.raises(RedisUrlError, match="redis\\+sentinel://host:port"):
        connect("redis+sentinel://127.0.0.1:26379")
