"""The fake Zalo OA API answers like Zalo: error codes in HTTP 200 bodies, single-use refresh."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.fakes.clock import Clock
from tests.fakes.zalo_events import APP_ID, APP_SECRET
from tests.fakes.zalo_server import FakeZalo


@pytest.fixture
async def zalo(clock: Clock) -> AsyncIterator[FakeZalo]:
    async with FakeZalo(clock=clock) as server:
        yield server


async def send(zalo: FakeZalo, token: str, user: str, message: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{zalo.base}/v3.0/oa/message/cs",
            json={"recipient": {"user_id": user}, "message": message},
            headers={"access_token": token},
        )
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def refresh(zalo: FakeZalo, token: str, secret: str = APP_SECRET) -> dict[str, Any]:
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{zalo.base}/v4/oa/access_token",
            data={"refresh_token": token, "app_id": APP_ID, "grant_type": "refresh_token"},
            headers={"secret_key": secret},
        )
    body: dict[str, Any] = response.json()
    return body


async def test_messages_need_a_live_token_a_follower_and_the_window(
    zalo: FakeZalo, clock: Clock
) -> None:
    access, _ = zalo.issue()
    assert (await send(zalo, "nope", "1", {"text": "hi"}))["error"] == -216
    assert (await send(zalo, access, "1", {"text": "hi"}))["error"] == -213
    zalo.follow("1", at=clock.now - 8 * 86400)
    assert (await send(zalo, access, "1", {"text": "hi"}))["error"] == -230
    zalo.follow("1")
    ok = await send(zalo, access, "1", {"text": "hi"})
    assert ok["error"] == 0 and ok["data"]["message_id"]
    clock.advance(90000)
    assert (await send(zalo, access, "1", {"text": "hi"}))["error"] == -216
    assert zalo.texts("1") == ["hi"]


@pytest.mark.parametrize(
    "message",
    [
        {"text": "x" * 2001},
        {"text": ""},
        {"text": "a", "attachment": {"type": "template", "payload": {"buttons": [{}] * 6}}},
        {"text": "a", "attachment": {"payload": {"buttons": [{"title": "t" * 101}]}}},
        {"text": "a", "attachment": {"payload": {"buttons": [{"payload": "p" * 1001}]}}},
    ],
)
async def test_limits_are_enforced(zalo: FakeZalo, message: dict[str, Any]) -> None:
    access, _ = zalo.issue()
    zalo.follow("1")
    assert (await send(zalo, access, "1", message))["error"] == -201
    assert zalo.sent == []


async def test_a_refresh_token_works_once(zalo: FakeZalo) -> None:
    _, refresh_token = zalo.issue()
    assert (await refresh(zalo, refresh_token, secret="wrong"))["error"] == -14002
    pair = await refresh(zalo, refresh_token)
    assert pair["access_token"] and pair["expires_in"] == "90000"
    assert (await refresh(zalo, refresh_token))["error"] == -14014
    assert (await refresh(zalo, pair["refresh_token"]))["access_token"]
    assert zalo.refreshes == 2
