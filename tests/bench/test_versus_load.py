"""The load generator of `python -m bench.versus_rasa`, against a local stand-in server."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bench.versus_rasa.load import (
    Cell,
    LoadError,
    Plan,
    System,
    interleaved,
    request_body,
    run_cell,
    text_at,
    warm_up_count,
)

TEXTS = [("Chào shop", "chao shop"), ("giá gói Pro?", "gia goi pro?")]
PAYLOADS = ["/greet", "/ask_price"]


class StandIn:
    """Answers like the bot / Rasa's REST channel and Rasa's parse; remembers every body."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.rest_answer: list[dict[str, str]] = [{"recipient_id": "x", "text": "hi"}]

    async def rest(self, request: web.Request) -> web.Response:
        self.bodies.append(await request.json())
        return web.json_response(self.rest_answer)

    async def parse(self, request: web.Request) -> web.Response:
        assert request.query["token"] == "t"
        self.bodies.append(await request.json())
        return web.json_response({"intent": {"name": "greet", "confidence": 0.9}})


@pytest.fixture
async def stand_in() -> AsyncIterator[tuple[StandIn, dict[System, str]]]:
    server = StandIn()
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", server.rest)
    app.router.add_post("/model/parse", server.parse)
    async with TestServer(app) as test_server:
        base = str(test_server.make_url(""))
        rest = f"{base}/webhooks/rest/webhook"
        yield server, {"bot": rest, "rasa": rest, "parse": f"{base}/model/parse?token=t"}


def plan(urls: dict[System, str], cell: Cell, seconds: float = 0.2) -> Plan:
    return Plan(urls, [cell], PAYLOADS, TEXTS, seconds, senders=10)


async def test_payload_turns_warm_every_customer_up_then_keep_the_concurrency(
    stand_in: tuple[StandIn, dict[System, str]],
) -> None:
    server, urls = stand_in
    cell = Cell("rasa", "payload", 4, 1)
    sample = await run_cell(plan(urls, cell), cell)
    warm, timed = server.bodies[:10], server.bodies[10:]
    assert sorted(b["sender"] for b in warm) == sorted(f"payload-c4-r1-{i}" for i in range(10))
    assert len(timed) == len(sample.latencies) > 10
    assert {b["sender"] for b in timed} <= {b["sender"] for b in warm}
    assert {b["message"] for b in timed} == set(PAYLOADS)
    assert 0.2 <= sample.elapsed < 1.0


async def test_free_text_turns_are_distinct_and_the_parse_gets_the_same_folded_sentences(
    stand_in: tuple[StandIn, dict[System, str]],
) -> None:
    server, urls = stand_in
    bot_cell, parse_cell = Cell("bot", "text", 2, 1), Cell("parse", "text", 2, 1)
    await run_cell(plan(urls, bot_cell), bot_cell)
    to_bot, server.bodies = server.bodies, []
    await run_cell(plan(urls, parse_cell), parse_cell)
    to_parse = server.bodies
    assert len({b["message"] for b in to_bot}) == len(to_bot) > 4
    assert len({b["sender"] for b in to_bot}) == len(to_bot)  # a new customer each time
    assert len({b["text"] for b in to_parse}) == len(to_parse)
    # The same sentences in the same order: as typed to the bot, folded to the parse.
    assert [b["message"] for b in to_bot[:3]] == ["Chào shop", "giá gói Pro?", "Chào shop 1"]
    assert [b["text"] for b in to_parse[:3]] == ["chao shop", "gia goi pro?", "chao shop 1"]


async def test_an_empty_reply_stops_the_run(stand_in: tuple[StandIn, dict[System, str]]) -> None:
    server, urls = stand_in
    server.rest_answer = []  # what Rasa answers when no rule predicts a response
    cell = Cell("rasa", "payload", 2, 1)
    with pytest.raises(LoadError, match="empty answer"):
        await run_cell(plan(urls, cell), cell)


def test_cells_are_interleaved_and_each_round_measures_every_cell_once() -> None:
    cells = interleaved((1, 8), rounds=2)
    assert [(c.system, c.workload) for c in cells[:4]] == [
        ("bot", "payload"),
        ("rasa", "payload"),
        ("bot", "text"),
        ("parse", "text"),
    ]
    assert [c.concurrency for c in cells[:8]] == [1] * 4 + [8] * 4
    assert [c.system for c in cells[8:12]] == ["parse", "bot", "rasa", "bot"]
    per_cell = Counter((c.system, c.workload, c.concurrency) for c in cells)
    assert set(per_cell.values()) == {2} and len(per_cell) == 8


def test_request_bodies() -> None:
    p = Plan({}, [], PAYLOADS, TEXTS, 1.0, senders=3)
    payload = Cell("bot", "payload", 8, 2)
    assert [request_body(p, payload, i)["sender"] for i in range(4)] == [
        "payload-c8-r2-0",
        "payload-c8-r2-1",
        "payload-c8-r2-2",
        "payload-c8-r2-0",
    ]
    assert request_body(p, Cell("parse", "text", 1, 1), 3) == {"text": "gia goi pro? 1"}
    assert text_at(TEXTS, 4) == ("Chào shop 2", "chao shop 2")
    assert warm_up_count(p, payload) == 3
    assert warm_up_count(p, Cell("parse", "text", 8, 1)) == 16
