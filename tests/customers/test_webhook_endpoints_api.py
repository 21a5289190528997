"""The admin API's endpoint changes: a new secret, on/off, a test event, the URL rule."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.webhooks.signing import SIGNATURE_HEADER, verify
from bot.wiring import Components
from tests.conftest import Chat, admin_headers
from tests.fakes.clock import Clock
from tests.fakes.crm_server import crm_server

pytestmark = pytest.mark.usefixtures("morning")


async def test_rotate_switch_and_test_event(
    client: TestClient[Any, Any], services: Components, chat: Chat, clock: Clock
) -> None:
    async with crm_server() as crm, aiohttp.ClientSession() as session:
        made = await client.post(
            "/api/webhooks", json={"url": crm.url, "events": ["*"]}, headers=admin_headers()
        )
        endpoint = await made.json()
        rotated = await client.post(
            f"/api/webhooks/{endpoint['id']}/rotate", headers=admin_headers()
        )
        secret = (await rotated.json())["secret"]
        assert rotated.status == 200 and secret != endpoint["secret"]
        off = await client.patch(
            f"/api/webhooks/{endpoint['id']}", json={"enabled": False}, headers=admin_headers()
        )
        assert (await off.json())["enabled"] is False
        await chat.send("/request_trial")  # off: no delivery queued
        tested = await client.post(f"/api/webhooks/{endpoint['id']}/test", headers=admin_headers())
        assert tested.status == 202  # a test goes even to an endpoint turned off
        assert await services.customer_data.sender.deliver_due(session) == 1
        [got] = crm.received
        assert got.json["type"] == "webhook.test"
        assert verify(secret, got.headers[SIGNATURE_HEADER], got.body, clock.now)
        unknown = await client.post(
            "/api/webhooks/we_0123456789abcdef/rotate", headers=admin_headers()
        )
        assert unknown.status == 404


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("http://crm.example.com/x", 422),
        ("http://localhost:9000/x", 201),
        ("http://[::1]:9000/x", 201),
        ("https://crm.example.com/x", 201),
    ],
)
async def test_plain_http_only_for_localhost(
    client: TestClient[Any, Any], url: str, status: int
) -> None:
    response = await client.post(
        "/api/webhooks", json={"url": url, "events": ["*"]}, headers=admin_headers()
    )
    assert response.status == status
