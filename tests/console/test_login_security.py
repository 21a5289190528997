"""Console logins under attack: parallel guessing, timing, open streams, foreign origins.

Figures are printed (`pytest -s`); times are asserted only against generous bounds.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.config import Settings
from bot.console.accounts import Role
from bot.inbound import Inbound
from bot.web.app import build_app
from bot.wiring import Components, build_components
from tests.fakes.clock import Clock

PASSWORD = "correct horse battery"
WINDOW = 3


@pytest.fixture
async def console(
    settings: Settings, redis: Redis, clock: Clock
) -> AsyncIterator[tuple[Components, TestClient[Any, Any]]]:
    tight = settings.model_copy(
        update={"login_window_seconds": WINDOW, "login_attempts_per_address": 1000}
    )
    services = build_components(tight, redis, nlu=None, clock=clock)
    await services.accounts.add("lan", Role.SUPPORT, PASSWORD, by="test")
    await services.accounts.add("boss", Role.ADMIN, PASSWORD, by="test")
    async with TestClient(TestServer(build_app(services))) as client:
        yield services, client


async def login_token(client: TestClient[Any, Any]) -> str:
    form = await (await client.get("/console/login")).text()
    match = re.search(r'name="csrf" value="([^"]+)"', form)
    assert match
    return match.group(1)


async def attempt(client: TestClient[Any, Any], token: str, name: str, password: str) -> int:
    response = await client.post(
        "/console/login",
        data={"name": name, "password": password, "csrf": token},
        allow_redirects=False,
    )
    await response.read()
    return response.status


async def worst_latency(client: TestClient[Any, Any], done: asyncio.Event) -> float:
    """The slowest /healthz answer while `done` is not set."""
    worst = 0.0
    while not done.is_set():
        started = time.perf_counter()
        assert (await client.get("/healthz")).status == 200
        worst = max(worst, time.perf_counter() - started)
        await asyncio.sleep(0.01)
    return worst


async def test_a_parallel_burst_checks_at_most_the_limit_and_locks_the_name(
    console: tuple[Components, TestClient[Any, Any]],
) -> None:
    services, client = console
    token = await login_token(client)
    done = asyncio.Event()
    watcher = asyncio.create_task(worst_latency(client, done))
    burst = [attempt(client, token, "lan", f"wrong guess {i}") for i in range(60)]
    statuses = Counter(await asyncio.gather(*burst))
    done.set()
    worst = await watcher
    limit = services.settings.login_attempts_per_name
    print(f"\nburst of 60: {dict(statuses)}; worst /healthz {worst * 1000:.0f} ms")
    assert statuses == {401: limit, 429: 60 - limit}  # each 401 is one password checked
    assert await attempt(client, token, "lan", PASSWORD) == 429  # the right one, too
    assert worst < 3  # generous: the loop never waits for scrypt
    await asyncio.sleep(WINDOW + 0.5)
    assert await attempt(client, token, "lan", PASSWORD) == 302


async def test_hashing_many_names_at_once_leaves_the_server_responsive(
    console: tuple[Components, TestClient[Any, Any]],
) -> None:
    _, client = console
    token = await login_token(client)
    done = asyncio.Event()
    watcher = asyncio.create_task(worst_latency(client, done))
    started = time.perf_counter()
    statuses = await asyncio.gather(
        *(attempt(client, token, f"nobody{i}", "a wrong password") for i in range(20))
    )
    took = time.perf_counter() - started
    done.set()
    worst = await watcher
    print(f"\n20 passwords checked in {took:.2f} s; worst /healthz {worst * 1000:.0f} ms")
    assert set(statuses) == {401}
    assert worst < 3


async def test_unknown_and_known_names_take_about_as_long(
    console: tuple[Components, TestClient[Any, Any]],
) -> None:
    _, client = console
    token = await login_token(client)

    async def timed(name: str) -> float:
        started = time.perf_counter()
        assert await attempt(client, token, name, "not the password") == 401
        return time.perf_counter() - started

    known, unknown = [], []
    for i in range(4):  # the per-name limit is 5
        known.append(await timed("boss"))
        unknown.append(await timed(f"ghost{i}"))
    known_ms, unknown_ms = statistics.median(known) * 1000, statistics.median(unknown) * 1000
    print(f"\nwrong password: known name {known_ms:.1f} ms, unknown name {unknown_ms:.1f} ms")
    assert 0.1 < known_ms / unknown_ms < 10


async def test_an_open_event_stream_closes_when_its_account_is_removed(
    console: tuple[Components, TestClient[Any, Any]],
) -> None:
    services, client = console
    await services.engine.handle(Inbound("rest", "an", "/request_human", locale="en"))
    user_id = await services.users.find_id("rest", "an")
    token = await login_token(client)
    assert await attempt(client, token, "lan", PASSWORD) == 302
    stream = await client.get(f"/console/inbox/{user_id}/events")
    assert stream.status == 200
    await services.accounts.add("lan", Role.SUPPORT, PASSWORD, by="test")  # a reset
    started = time.perf_counter()
    await services.engine.handle(Inbound("rest", "an", "still there?"))
    body = await asyncio.wait_for(stream.read(), timeout=5)
    took = time.perf_counter() - started
    print(f"\nthe stream ended {took:.2f} s after the reset")
    assert b"still there?" not in body and b"event: ended" in body
    assert took < 3


async def test_a_stream_ends_when_the_account_is_removed_while_quiet(
    console: tuple[Components, TestClient[Any, Any]],
) -> None:
    services, client = console
    await services.engine.handle(Inbound("rest", "binh", "/request_human", locale="en"))
    user_id = await services.users.find_id("rest", "binh")
    token = await login_token(client)
    assert await attempt(client, token, "lan", PASSWORD) == 302
    stream = await client.get(f"/console/inbox/{user_id}/events")
    await services.accounts.remove("lan", by="boss")
    started = time.perf_counter()
    body = await asyncio.wait_for(stream.read(), timeout=5)
    took = time.perf_counter() - started
    assert b"event: ended" in body
    print(f"\nthe quiet stream ended {took:.2f} s after the removal")
    assert took < 3


async def test_a_form_sent_from_another_site_is_refused(
    console: tuple[Components, TestClient[Any, Any]],
) -> None:
    services, client = console
    token = await login_token(client)
    own = f"http://{client.host}:{client.port}"
    foreign = await client.post(
        "/console/login",
        data={"name": "boss", "password": PASSWORD, "csrf": token},
        headers={"Origin": "https://evil.example"},
        allow_redirects=False,
    )
    assert foreign.status == 403 and "another site" in await foreign.text()
    by_referer = await client.post(
        "/console/login",
        data={"name": "boss", "password": PASSWORD, "csrf": token},
        headers={"Referer": "https://evil.example/page"},
        allow_redirects=False,
    )
    assert by_referer.status == 403
    ours = await client.post(
        "/console/login",
        data={"name": "boss", "password": PASSWORD, "csrf": token},
        headers={"Origin": own},
        allow_redirects=False,
    )
    assert ours.status == 302
    page = await (await client.get("/console/team")).text()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    removal = await client.post(
        "/console/team/lan/remove",
        data={"csrf": csrf.group(1)},
        headers={"Origin": "https://evil.example"},
        allow_redirects=False,
    )
    assert removal.status == 403
    assert await services.accounts.standing("lan") is not None
