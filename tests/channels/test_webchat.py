"""The web chat page, its embeddable script, and cross-origin access to the REST channel."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient


async def test_page_and_widget_are_served(client: TestClient[Any, Any]) -> None:
    page = await client.get("/chat?lang=en")
    assert page.status == 200 and page.content_type == "text/html"
    html = await page.text()
    assert '<script src="/chat/widget.js" data-full-page data-locale="en">' in html
    widget = await client.get("/chat/widget.js")
    assert widget.content_type == "application/javascript"
    script = await widget.text()
    assert "/webhooks/rest/webhook" in script and "metadata.ref = ref" in script


async def test_the_rest_channel_answers_other_sites(client: TestClient[Any, Any]) -> None:
    preflight = await client.options(
        "/webhooks/rest/webhook",
        headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    answer = await client.post(
        "/webhooks/rest/webhook",
        json={"sender": "web-1", "message": "/greet", "metadata": {"locale": "en"}},
        headers={"Origin": "https://shop.example"},
    )
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    # The admin API is not opened to other sites.
    admin = await client.get("/api/handoffs", headers={"Origin": "https://shop.example"})
    assert "Access-Control-Allow-Origin" not in admin.headers


async def test_errors_of_the_rest_channel_reach_other_sites_too(
    client: TestClient[Any, Any],
) -> None:
    """The widget on a shop's site can read why its message was refused."""
    refused = await client.post(
        "/webhooks/rest/webhook",
        json={"sender": "web-2", "message": ""},
        headers={"Origin": "https://shop.example"},
    )
    assert refused.status == 422
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    assert (await refused.json())["error"]["field"] == "message"
