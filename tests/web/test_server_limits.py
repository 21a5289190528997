"""The server's limits over raw sockets: slow headers, idle connections, connections per
client, slow and compressed bodies, and the size of a body per route. Bounded in time:
the limits are set to a second or two here.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import time
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import aiohttp
import pytest
from redis.asyncio import Redis

from bot.config import Settings
from bot.wiring import build_components
from tests.web.serving import serving

WEBHOOK = "/webhooks/rest/webhook"


@pytest.fixture
async def base(settings: Settings, redis: Redis) -> AsyncIterator[str]:
    tight = settings.model_copy(
        update={
            "http_header_timeout_seconds": 1,
            "http_keepalive_seconds": 1.5,
            "http_body_timeout_seconds": 1,
            "http_connections_per_client": 4,
        }
    )
    async with serving(build_components(tight, redis, nlu=None)) as served:
        yield served


async def connect(base: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    where = urlsplit(base)
    return await asyncio.open_connection(where.hostname, where.port)


async def closed_after(reader: asyncio.StreamReader, limit: float) -> float:
    """Seconds until the server closes the connection (whatever it answered first)."""
    started = time.perf_counter()
    while await asyncio.wait_for(reader.read(4096), timeout=limit):
        pass
    return time.perf_counter() - started


async def test_a_client_dribbling_headers_is_cut_off(base: str) -> None:
    reader, writer = await connect(base)
    request = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100
    started = time.perf_counter()
    try:
        for byte in request:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(0.05)
            if reader.at_eof():
                break
        await closed_after(reader, 5)
    except (ConnectionResetError, BrokenPipeError):
        pass
    finally:
        writer.close()
    took = time.perf_counter() - started
    print(f"\nslowloris cut off after {took:.2f} s (header timeout 1 s)")
    assert took < 3


async def test_an_idle_connection_is_closed(base: str) -> None:
    reader, writer = await connect(base)
    try:
        took = await closed_after(reader, 5)  # sends nothing at all
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    finally:
        writer.close()
    print(f"\nan idle connection was closed after {took:.2f} s")
    assert took < 3
    reader, writer = await connect(base)
    try:
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert (await reader.readline()).startswith(b"HTTP/1.1 200")
        took = await closed_after(reader, 5)  # kept alive, then idle
    finally:
        writer.close()
    assert took < 3


async def test_connections_per_client_are_capped(settings: Settings, redis: Redis) -> None:
    # Patient timeouts: the held connections must stay open while the test runs.
    patient = settings.model_copy(
        update={"http_header_timeout_seconds": 30, "http_connections_per_client": 4}
    )
    async with serving(build_components(patient, redis, nlu=None)) as base:
        await _capped(base)


async def _capped(base: str) -> None:
    held = [await connect(base) for _ in range(4)]
    try:
        reader, writer = await connect(base)
        answer = await asyncio.wait_for(reader.read(), timeout=5)
        writer.close()
        assert answer.startswith(b"HTTP/1.1 429") and b"too many connections" in answer
    finally:
        for _, w in held:
            w.close()
    await asyncio.sleep(0.2)
    async with aiohttp.ClientSession() as http:
        assert (await http.get(f"{base}/healthz")).status == 200  # freed again


async def test_a_slow_body_is_refused_with_408(base: str) -> None:
    reader, writer = await connect(base)
    try:
        writer.write(
            f"POST {WEBHOOK} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            "Content-Length: 100\r\n\r\n{".encode()
        )
        started = time.perf_counter()
        status = await asyncio.wait_for(reader.readline(), timeout=5)
        took = time.perf_counter() - started
    finally:
        writer.close()
    assert status.startswith(b"HTTP/1.1 408") and took < 3


async def test_compressed_bodies_are_refused_before_decompression(base: str) -> None:
    bomb = gzip.compress(b"[" * 50_000_000)  # 50 MB of brackets in about 50 KB
    async with aiohttp.ClientSession() as http:
        started = time.perf_counter()
        response = await http.post(
            f"{base}{WEBHOOK}",
            data=bomb,
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        )
        took = time.perf_counter() - started
        assert response.status == 415
        assert "compressed" in (await response.json())["error"]["message"]
    print(f"\na {len(bomb)}-byte gzip bomb was refused in {took * 1000:.0f} ms")
    assert took < 1


async def test_body_limits_are_per_route(base: str, settings: Settings) -> None:
    big = b'{"sender": "an", "message": "' + b"a" * (settings.http_body_max_bytes) + b'"}'
    async with aiohttp.ClientSession() as http:
        refused = await http.post(f"{base}{WEBHOOK}", data=big)
        assert refused.status == 413
        assert "over" in (await refused.json())["error"]["message"]
        # The policy form may be far larger (the console answers: log in first).
        form = b"csrf=x&file=common.yml&yaml=" + b"a" * (4 * settings.http_body_max_bytes)
        console = await http.post(
            f"{base}/console/studio/api/save",
            data=form,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            allow_redirects=False,
        )
        assert console.status == 302
        too_big = await http.post(
            f"{base}/console/studio/api/save",
            data=io.BytesIO(b"a" * (settings.console_form_max_bytes + 1)),
            allow_redirects=False,
        )
        assert too_big.status == 413
