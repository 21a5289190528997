"""The fake Graph API answers like Meta's Send API: error objects with codes and subcodes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.fakes.clock import Clock
from tests.fakes.graph_server import PAGE_TOKEN, FakeGraph


@pytest.fixture
async def graph(clock: Clock) -> AsyncIterator[FakeGraph]:
    async with FakeGraph(clock=clock) as server:
        yield server


async def post(graph: FakeGraph, body: dict[str, Any], token: str = PAGE_TOKEN) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.post(
            f"{graph.api_base}/me/messages", json=body, params={"access_token": token}
        )


def text(content: str, **extra: Any) -> dict[str, Any]:
    return {
        "recipient": {"id": "7"},
        "messaging_type": "RESPONSE",
        "message": {"text": content},
        **extra,
    }


def error(response: httpx.Response) -> tuple[int, int, int | None]:
    body = response.json()["error"]
    return response.status_code, body["code"], body.get("error_subcode")


async def test_tokens_windows_and_blocks(graph: FakeGraph, clock: Clock) -> None:
    assert error(await post(graph, text("hi"), token="x")) == (400, 190, None)
    assert error(await post(graph, text("hi"))) == (400, 10, 2018278)  # never wrote
    graph.wrote("7")
    ok = await post(graph, text("hi"))
    assert ok.status_code == 200 and ok.json()["recipient_id"] == "7"
    clock.advance(86401)
    assert error(await post(graph, text("hi"))) == (400, 10, 2018278)
    tagged = text("hi", messaging_type="MESSAGE_TAG", tag="HUMAN_AGENT")
    assert (await post(graph, tagged)).status_code == 200
    graph.blocked.add("7")
    assert error(await post(graph, text("hi"))) == (400, 551, 1545041)
    assert graph.texts("7") == ["hi", "hi"]


@pytest.mark.parametrize(
    "message",
    [
        {"text": "x" * 2001},
        {
            "text": "a",
            "quick_replies": [{"content_type": "text", "title": "t", "payload": "p"}] * 14,
        },
        {
            "text": "a",
            "quick_replies": [{"content_type": "text", "title": "t" * 21, "payload": "p"}],
        },
        {
            "text": "a",
            "quick_replies": [{"content_type": "text", "title": "t", "payload": "p" * 1001}],
        },
        {
            "attachment": {
                "type": "template",
                "payload": {"text": "a", "buttons": [{"title": "t"}] * 4},
            }
        },
        {
            "attachment": {
                "type": "template",
                "payload": {"text": "a" * 641, "buttons": [{"title": "t"}]},
            }
        },
        {},
    ],
)
async def test_limits_are_enforced(graph: FakeGraph, message: dict[str, Any]) -> None:
    graph.wrote("7")
    body = {"recipient": {"id": "7"}, "messaging_type": "RESPONSE", "message": message}
    assert error(await post(graph, body))[:2] == (400, 100)
    assert graph.sent == []


async def test_injected_rate_limit(graph: FakeGraph) -> None:
    graph.wrote("7")
    graph.fail(613, retry_after=5)
    limited = await post(graph, text("hi"))
    assert error(limited) == (400, 613, None) and limited.headers["Retry-After"] == "5"
    assert (await post(graph, text("hi"))).status_code == 200
