"""The bot on a 3-master Redis Cluster: a conversation, a handoff, the scheduler, a publish.

Started with the local `redis-server` binary on free loopback ports for this module and
thrown away after it; skipped (with the reason) where there is no binary.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from redis import Redis as SyncRedis

from bot.config import Settings
from bot.store.connection import connect
from bot.web.app import build_app
from bot.wiring import Components, build_components
from tests.conftest import Chat, admin_headers
from tests.fakes.clock import Clock

SLOTS = 16384


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_ports(count: int) -> list[int]:
    """Ports whose cluster bus port (port + 10000) is free and valid too."""
    ports: list[int] = []
    for port in range(21000 + os.getpid() % 5000, 30000):
        if _free(port) and _free(port + 10000):
            ports.append(port)
        if len(ports) == count:
            return ports
    raise RuntimeError("no free ports for a Redis Cluster")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no redis-server binary on PATH: cannot start a Redis Cluster")
    ports = _free_ports(3)
    processes = []
    for port in ports:
        folder: Path = tmp_path_factory.mktemp(f"node{port}")
        processes.append(
            subprocess.Popen(
                [
                    binary,
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    str(folder / "nodes.conf"),
                    "--dir",
                    str(folder),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=subprocess.DEVNULL,
            )
        )
    try:
        nodes = [SyncRedis(host="127.0.0.1", port=p) for p in ports]
        for node in nodes:
            _wait(lambda node=node: node.ping())
        share = SLOTS // 3
        for i, node in enumerate(nodes):
            last = SLOTS - 1 if i == 2 else (i + 1) * share - 1
            node.execute_command("CLUSTER", "ADDSLOTSRANGE", i * share, last)  # type: ignore[no-untyped-call]
        for port in ports[1:]:
            nodes[0].execute_command("CLUSTER", "MEET", "127.0.0.1", port)  # type: ignore[no-untyped-call]
        for node in nodes:
            _wait(lambda node=node: b"cluster_state:ok" in node.execute_command("CLUSTER", "INFO"))
        yield f"redis+cluster://127.0.0.1:{ports[0]}"
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def _wait(ready: Any, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if ready():
                return
        except Exception:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise TimeoutError("the Redis Cluster did not come up")
        time.sleep(0.05)


@pytest.fixture
async def cluster_services(
    cluster: str, settings: Settings, clock: Clock
) -> AsyncIterator[Components]:
    clock.now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC).timestamp()
    redis = connect(cluster)
    settings.redis_url = cluster
    try:
        yield build_components(settings, redis, nlu=None, clock=clock)
    finally:
        await redis.aclose()


async def test_conversation_handoff_scheduler_and_publish_on_a_cluster(
    cluster_services: Components, clock: Clock, tmp_path: Path
) -> None:
    services = cluster_services
    async with TestClient(TestServer(build_app(services))) as client:
        chat = Chat(client, "cluster-customer")
        await chat.send("/request_trial", metadata={"locale": "en"})
        texts = await chat.texts("/purchase")
        assert texts[-1].startswith("Step 1/5: Create your store")
        assert await chat.stage() == "onboarding"
        await asyncio.gather(*(chat.send("/onboarding_help") for _ in range(5)))

        # The scheduler: the day-1 onboarding nudge.
        clock.advance(86400)
        assert await services.scheduler.run_once() >= 1
        outbox = await (await client.get(f"/webhooks/rest/outbox/{chat.sender}")).json()
        assert outbox[0]["text"].startswith("Shall we carry on setting up SaleMate?")

        # A handoff round trip.
        await chat.send("/request_human")
        user_id = (await chat.user())["user_id"]
        assert await chat.send("still there?") == []
        sent = await client.post(
            f"/api/handoffs/{user_id}/messages",
            json={"text": "Hi, Lan here.", "author": "lan"},
            headers=admin_headers(),
        )
        assert sent.status == 200
        closed = await client.post(
            f"/api/handoffs/{user_id}/close", json={"by": "lan"}, headers=admin_headers()
        )
        assert closed.status == 200
        assert await chat.texts('/csat{"score": 4}') == ["Thanks for rating us 4/5!"]

    # A publish reaches a follower that polls (a cluster client has no pub/sub).
    files = {p.name: p.read_text() for p in services.settings.policies_dir.glob("*.yml")}
    files["common.yml"] = files["common.yml"].replace("I'm the SaleMate POS assistant.", "Hello!")
    revisions = services.revisions
    await revisions.publish(files, author="lan", message="", at=time.time())
    follower = asyncio.create_task(services.follower.run())
    try:
        for _ in range(100):
            if services.policies.number is not None:
                break
            await asyncio.sleep(0.05)
        assert services.policies.number is not None
    finally:
        follower.cancel()
    keys = [
        key async for key in services.redis.scan_iter(match=f"{services.settings.redis_prefix}:*")
    ]
    await services.redis.delete(*keys)
