"""Degraded mode and recovery, and the cache, against real Rasa servers."""

from __future__ import annotations

import asyncio
import os
import signal
import time

import httpx
import pytest

from bot.config import Settings
from bot.errors import NluUnavailable
from bot.nlu.client import RasaClient
from bot.nlu.server import RasaServer, free_port, rasa_server

pytestmark = pytest.mark.rasa


async def test_cache_hits_skip_the_server(rasa: RasaServer) -> None:
    sent: list[str] = []

    async def count(request: httpx.Request) -> None:
        sent.append(request.url.path)

    async with httpx.AsyncClient(event_hooks={"request": [count]}) as http:
        client = RasaClient([rasa.url], rasa.token, http, timeout_seconds=10.0)
        first = await client.parse("Gói Pro giá bao nhiêu một tháng?")
        assert sent == ["/status", "/model/parse"]
        # The same text once folded: served from the cache, nothing reaches the server.
        assert await client.parse("GÓI PRO GIÁ BAO NHIÊU MỘT THÁNG?") == first
        assert await client.parse("goi pro gia bao nhieu mot thang?") == first
        assert sent.count("/model/parse") == 1


async def test_killed_server_degrades_then_recovers_by_itself(
    rasa: RasaServer, nlu_settings: Settings
) -> None:
    # Its own server (the session one serves the other tests): killed outright, then a
    # new one started on the same port, as a crashed and restarted Rasa would be.
    port = free_port()
    token = "-resilience-test-token"  # a leading dash must not read as an option
    async with httpx.AsyncClient() as http:
        client = RasaClient(
            [f"http://127.0.0.1:{port}"],
            token,
            http,
            timeout_seconds=10.0,
            failure_threshold=2,
            cooldown_seconds=1.0,
        )
        async with rasa_server(nlu_settings, port=port, token=token) as server:
            assert (await client.parse("hello there")).intent == "greet"
            assert client.health()["state"] == "up"
            os.killpg(server.pid, signal.SIGKILL)
            await server.process.wait()

            for text in ("xin chao shop", "are you there?"):
                with pytest.raises(NluUnavailable):
                    await client.parse(text)
            assert client.health()["state"] == "down"

            # The circuit is open: each message fails at once, without a request.
            started = time.monotonic()
            for n in range(50):
                with pytest.raises(NluUnavailable):
                    await client.parse(f"message number {n}")
            assert time.monotonic() - started < 0.5

        async with rasa_server(nlu_settings, port=port, token=token):
            deadline = time.monotonic() + 30
            while True:
                try:
                    parse = await client.parse("thanks a lot")
                    break
                except NluUnavailable:
                    assert time.monotonic() < deadline, client.health()
                    await asyncio.sleep(0.2)
            assert parse.intent == "thank"
            assert client.health()["state"] == "up"
