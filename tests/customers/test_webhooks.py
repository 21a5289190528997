"""Outbound webhooks to a fake CRM over real sockets: signed, retried, in order, replayable."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.webhooks.signing import SIGNATURE_HEADER, verify
from bot.wiring import Components
from tests.conftest import Chat, admin_headers
from tests.fakes.clock import Clock
from tests.fakes.crm_server import Crm, crm_server

pytestmark = pytest.mark.usefixtures("morning")


@pytest.fixture
async def crm() -> AsyncIterator[Crm]:
    async with crm_server() as server:
        yield server


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


async def subscribe(client: TestClient[Any, Any], crm: Crm, events: list[str]) -> dict[str, Any]:
    response = await client.post(
        "/api/webhooks", json={"url": crm.url, "events": events}, headers=admin_headers()
    )
    assert response.status == 201, await response.text()
    endpoint: dict[str, Any] = await response.json()
    return endpoint


async def move(client: TestClient[Any, Any], sender: str, stage: str) -> None:
    response = await client.put(
        f"/api/users/rest/{sender}/stage", json={"stage": stage}, headers=admin_headers()
    )
    assert response.status == 200


async def deliveries(client: TestClient[Any, Any], endpoint_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/webhooks/{endpoint_id}/deliveries", headers=admin_headers())
    found: list[dict[str, Any]] = (await response.json())["deliveries"]
    return found


async def test_a_stage_change_arrives_signed(
    client: TestClient[Any, Any], services: Components, crm: Crm, chat: Chat, clock: Clock,
    session: aiohttp.ClientSession,
) -> None:  # fmt: skip
    endpoint = await subscribe(client, crm, ["stage.changed"])
    await chat.send("/request_trial", metadata={"locale": "en"})
    assert await services.customer_data.sender.deliver_due(session) == 1
    [got] = crm.received
    assert verify(endpoint["secret"], got.headers[SIGNATURE_HEADER], got.body, clock.now)
    assert not verify("another-secret-entirely", got.headers[SIGNATURE_HEADER], got.body, clock.now)
    assert not verify(endpoint["secret"], got.headers[SIGNATURE_HEADER], got.body, clock.now + 600)
    body = got.json
    assert body["type"] == "stage.changed" and body["data"]["to"] == "decision"
    assert body["customer"]["id"] == (await chat.user())["user_id"]
    [logged] = await deliveries(client, endpoint["id"])
    assert (logged["status"], logged["attempts"], logged["last_status"]) == ("delivered", 1, 200)


async def test_a_receiver_outage_is_retried_with_backoff_in_order(
    client: TestClient[Any, Any], services: Components, crm: Crm, chat: Chat, clock: Clock,
    session: aiohttp.ClientSession,
) -> None:  # fmt: skip
    endpoint = await subscribe(client, crm, ["*"])
    await chat.send("/greet")
    crm.failures = [500, 500, 503]
    for stage in ("consideration", "decision", "onboarding"):
        await move(client, chat.sender, stage)
    send = services.customer_data.sender.deliver_due
    assert await send(session) == 1  # the first: 500
    assert await send(session) == 0  # waits out its backoff; the others wait behind it
    log = await deliveries(client, endpoint["id"])
    assert log[-1]["status"] == "retrying" and log[-1]["last_error"] == "HTTP 500"
    for wait in (10, 20, 40):  # exponential: 10 s, 20 s, 40 s
        clock.advance(wait - 1)
        assert await send(session) == 0
        clock.advance(1)
        assert await send(session) == 1
    while await send(session):
        pass
    assert [r.json["data"]["to"] for r in crm.received] == [
        "consideration", "consideration", "consideration", "consideration", "decision",
        "onboarding",
    ]  # fmt: skip
    assert len({r.json["id"] for r in crm.received}) == 3
    statuses = [(d["status"], d["attempts"]) for d in await deliveries(client, endpoint["id"])]
    assert statuses == [("delivered", 1), ("delivered", 1), ("delivered", 4)]


async def test_a_delivery_is_given_up_after_a_day_and_replayed_by_hand(
    client: TestClient[Any, Any], services: Components, crm: Crm, chat: Chat, clock: Clock,
    session: aiohttp.ClientSession,
) -> None:  # fmt: skip
    endpoint = await subscribe(client, crm, ["stage.changed"])
    await chat.send("/greet")
    crm.failures = [500] * 100
    await move(client, chat.sender, "retention")
    send = services.customer_data.sender.deliver_due
    for _ in range(40):
        await send(session)
        clock.advance(3600)
    [failed] = await deliveries(client, endpoint["id"])
    assert failed["status"] == "failed" and 20 <= failed["attempts"] <= 30
    crm.failures = []
    response = await client.post(
        f"/api/webhooks/deliveries/{failed['id']}/replay", headers=admin_headers()
    )
    assert response.status == 202
    assert await send(session) == 1
    assert crm.received[-1].json["id"] == failed["body"]["id"]
    replayed = (await deliveries(client, endpoint["id"]))[0]
    assert (replayed["status"], replayed["replay_of"]) == ("delivered", failed["id"])


async def test_handoffs_and_detractors_reach_the_crm(
    client: TestClient[Any, Any], services: Components, crm: Crm, chat: Chat,
    session: aiohttp.ClientSession,
) -> None:  # fmt: skip
    await subscribe(client, crm, ["handoff.opened", "handoff.closed", "nps.recorded", "churn_risk"])
    await chat.send("/request_human", metadata={"locale": "en"})
    user_id = (await chat.user())["user_id"]
    await services.handoffs.close(user_id, by="staff:lan")
    await move(client, chat.sender, "retention")
    await chat.send('/nps{"score": 2}')
    while await services.customer_data.sender.deliver_due(session):
        pass
    # A detractor is also handed to a person (the shipped retention policy).
    assert crm.types() == [
        "handoff.opened", "handoff.closed", "nps.recorded", "churn_risk", "handoff.opened",
    ]  # fmt: skip
    assert crm.received[3].json["data"] == {"reason": "nps_detractor", "score": 2}


async def test_a_wish_to_cancel_is_churn_risk_and_an_opt_out_is_not(
    client: TestClient[Any, Any], services: Components, crm: Crm, chat: Chat,
    session: aiohttp.ClientSession,
) -> None:  # fmt: skip
    await subscribe(client, crm, ["churn_risk", "customer.opted_out"])
    await chat.send("/greet", metadata={"locale": "en"})
    await move(client, chat.sender, "retention")
    await chat.send("/stop_messages")
    await chat.send("/cancel_service")
    while await services.customer_data.sender.deliver_due(session):
        pass
    assert crm.types() == ["customer.opted_out", "churn_risk"]
    assert crm.received[1].json["data"] == {
        "reason": "wants_to_cancel",
        "rule": "rule:wants_to_cancel",
    }


async def test_a_slow_crm_never_delays_a_turn(
    client: TestClient[Any, Any], services: Components, crm: Crm, chat: Chat,
    session: aiohttp.ClientSession,
) -> None:  # fmt: skip
    await subscribe(client, crm, ["*"])
    crm.delay = 3.0
    await chat.send("/greet")
    await move(client, chat.sender, "consideration")
    sending = asyncio.create_task(services.customer_data.sender.deliver_due(session))
    await asyncio.sleep(0.2)  # the delivery is now waiting on the CRM
    started = time.monotonic()
    await chat.send("/ask_price")
    assert time.monotonic() - started < 1.0
    assert await sending == 1


async def test_a_removed_endpoint_gets_nothing(
    client: TestClient[Any, Any], services: Components, crm: Crm, chat: Chat,
    session: aiohttp.ClientSession,
) -> None:  # fmt: skip
    endpoint = await subscribe(client, crm, ["stage.changed"])
    await chat.send("/request_trial")
    response = await client.delete(f"/api/webhooks/{endpoint['id']}", headers=admin_headers())
    assert response.status == 200
    await services.customer_data.sender.deliver_due(session)
    assert crm.received == []
    response = await client.get("/api/webhooks", headers=admin_headers())
    assert (await response.json())["endpoints"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://crm.example/x", "events": ["*"]}, "url"),
        ({"url": "https://crm.example/x", "events": ["stage.moved"]}, "events.0"),
        ({"url": "https://crm.example/x", "events": []}, "events"),
        ({"url": "https://crm.example/x", "events": ["*"], "secret": "short"}, "secret"),
    ],
)
async def test_bad_endpoints_are_refused(
    client: TestClient[Any, Any], body: dict[str, Any], field: str
) -> None:
    response = await client.post("/api/webhooks", json=body, headers=admin_headers())
    assert response.status == 422
    assert (await response.json())["error"]["field"] == field
