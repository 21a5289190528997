"""The web chat page, its embeddable script, and cross-origin access to the REST channel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from redis.asyncio import Redis

from bot.config import Settings
from bot.web.app import build_app
from bot.wiring import Components, build_components
from tests.fakes.clock import Clock


async def test_page_and_widget_are_served(client: TestClient[Any, Any]) -> None:
    page = await client.get("/chat?lang=en")
    assert page.status == 200 and page.content_type == "text/html"
    html = await page.text()
    assert '<script src="/chat/widget.js" data-full-page data-locale="en">' in html
    widget = await client.get("/chat/widget.js")
    assert widget.content_type == "application/javascript"
    script = await widget.text()
    assert "/webhooks/rest/webhook" in script and "metadata.ref = ref" in script
    assert "/webhooks/rest/session" in script and '"Bearer " + state.token' in script


@pytest.fixture
async def shop_client(
    settings: Settings, redis: Redis, clock: Clock
) -> AsyncIterator[TestClient[Any, Any]]:
    """A bot whose web chat is embedded on https://shop.example."""
    shop = settings.model_copy(update={"web_chat_origins": "https://shop.example"})
    services = build_components(shop, redis, nlu=None, clock=clock)
    async with TestClient(TestServer(build_app(services))) as client:
        yield client


async def start_session(client: TestClient[Any, Any], **headers: str) -> tuple[str, str]:
    response = await client.post("/webhooks/rest/session", headers=headers)
    assert response.status == 200
    body = await response.json()
    return body["sender"], body["token"]


async def test_other_sites_get_no_cors_by_default(client: TestClient[Any, Any]) -> None:
    preflight = await client.options(
        "/webhooks/rest/webhook",
        headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 403
    assert "Access-Control-Allow-Origin" not in preflight.headers


async def test_the_rest_channel_answers_the_sites_listed(
    shop_client: TestClient[Any, Any],
) -> None:
    client = shop_client
    preflight = await client.options(
        "/webhooks/rest/webhook",
        headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "Authorization" in preflight.headers["Access-Control-Allow-Headers"]
    sender, token = await start_session(client, Origin="https://shop.example")
    answer = await client.post(
        "/webhooks/rest/webhook",
        json={"sender": sender, "message": "/greet", "metadata": {"locale": "en"}},
        headers={"Origin": "https://shop.example", "Authorization": f"Bearer {token}"},
    )
    assert answer.status == 200
    assert answer.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    other = await client.options(
        "/webhooks/rest/webhook",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert other.status == 403
    # The admin API is not opened to other sites.
    admin = await client.get("/api/handoffs", headers={"Origin": "https://shop.example"})
    assert "Access-Control-Allow-Origin" not in admin.headers


async def test_errors_of_the_rest_channel_reach_other_sites_too(
    shop_client: TestClient[Any, Any],
) -> None:
    """The widget on a shop's site can read why its message was refused."""
    refused = await shop_client.post(
        "/webhooks/rest/webhook",
        json={"sender": "web-2", "message": ""},
        headers={"Origin": "https://shop.example"},
    )
    assert refused.status == 422
    assert refused.headers["Access-Control-Allow-Origin"] == "https://shop.example"
    assert (await refused.json())["error"]["field"] == "message"


async def test_a_web_chat_sender_needs_its_own_session_token(
    client: TestClient[Any, Any], services: Components
) -> None:
    sender, token = await start_session(client)
    other, other_token = await start_session(client)
    assert sender.startswith("webchat-") and sender != other and token != other_token
    body = {"sender": sender, "message": "/request_human", "metadata": {"locale": "en"}}
    customers = await services.users.count()
    for headers in ({}, {"Authorization": f"Bearer {other_token}"}, {"Authorization": "x"}):
        refused = await client.post("/webhooks/rest/webhook", json=body, headers=headers)
        assert refused.status == 401
    assert await services.users.count() == customers  # nothing written, no id claimed
    mine = {"Authorization": f"Bearer {token}"}
    assert (await client.post("/webhooks/rest/webhook", json=body, headers=mine)).status == 200
    user_id = await services.users.find_id("rest", sender)
    assert user_id is not None
    await services.handoffs.staff_reply(user_id, "Only for you", author="staff:lan")
    outbox = f"/webhooks/rest/outbox/{sender}"
    stranger = await client.get(outbox, headers={"Authorization": f"Bearer {other_token}"})
    assert stranger.status == 401
    assert (await client.get(outbox)).status == 401
    read = await client.get(outbox, headers=mine)
    assert [m["text"] for m in await read.json()] == ["Only for you"]


async def test_rest_token_guards_plain_rest_clients(
    settings: Settings, redis: Redis, clock: Clock
) -> None:
    guarded = settings.model_copy(update={"rest_token": SecretStr("server-to-server")})
    services = build_components(guarded, redis, nlu=None, clock=clock)
    async with TestClient(TestServer(build_app(services))) as client:
        body = {"sender": "crm-42", "message": "/greet"}
        assert (await client.post("/webhooks/rest/webhook", json=body)).status == 401
        wrong = {"Authorization": "Bearer guess"}
        assert (await client.post("/webhooks/rest/webhook", json=body, headers=wrong)).status == 401
        assert (await client.get("/webhooks/rest/outbox/crm-42")).status == 401
        right = {"Authorization": "Bearer server-to-server"}
        assert (await client.post("/webhooks/rest/webhook", json=body, headers=right)).status == 200
        assert (await client.get("/webhooks/rest/outbox/crm-42", headers=right)).status == 200
        # The web chat keeps working with its own session token, not the REST token.
        sender, token = await start_session(client)
        chat = {"sender": sender, "message": "/greet"}
        mine = {"Authorization": f"Bearer {token}"}
        assert (await client.post("/webhooks/rest/webhook", json=chat, headers=mine)).status == 200
        refused = await client.post("/webhooks/rest/webhook", json=chat, headers=right)
        assert refused.status == 401


async def test_the_session_secret_is_generated_once_and_kept(
    settings: Settings, redis: Redis, clock: Clock
) -> None:
    first = build_components(settings, redis, nlu=None, clock=clock)
    async with TestClient(TestServer(build_app(first))) as client:
        sender, token = await start_session(client)
    secret = settings.data_dir / "web_chat_secret"
    assert secret.stat().st_mode & 0o777 == 0o600 and len(secret.read_text()) >= 32
    again = build_components(settings, redis, nlu=None, clock=clock)
    async with TestClient(TestServer(build_app(again))) as client:
        body = {"sender": sender, "message": "/greet"}
        headers = {"Authorization": f"Bearer {token}"}
        assert (
            await client.post("/webhooks/rest/webhook", json=body, headers=headers)
        ).status == 200
