"""The events API over a real socket: idempotent intake, new customers by email, bad input."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.config import Settings
from bot.scheduler.segment import Segment
from bot.web.app import build_app
from bot.wiring import Components, build_components
from tests.conftest import Chat, admin_headers
from tests.fakes.clock import Clock

DAY = 86400.0


def paid(event_id: str, customer: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"event_id": event_id, "customer": customer, "name": "invoice_paid", **extra}


async def post(client: TestClient[Any, Any], body: Any) -> tuple[int, Any]:
    response = await client.post("/api/events", json=body, headers=admin_headers())
    return response.status, await response.json()


async def events_of(client: TestClient[Any, Any], path: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/users/{path}/events", headers=admin_headers())
    assert response.status == 200, await response.text()
    events: list[dict[str, Any]] = (await response.json())["events"]
    return events


async def test_an_unknown_email_becomes_a_customer_without_a_channel(
    client: TestClient[Any, Any],
) -> None:
    body = paid("inv-1", {"email": " An@Example.COM "}, properties={"plan": "pro", "amount": 49})
    status, answer = await post(client, body)
    assert status == 202 and answer["status"] == "accepted"
    response = await client.get("/api/users/email/an%40example.com", headers=admin_headers())
    customer = await response.json()
    assert customer["user_id"] == answer["customer_id"]
    assert customer["identities"] == [] and customer["profile"] == {"email": "an@example.com"}
    assert customer["stage"] == "awareness"
    assert customer["stage_history"][0]["reason"] == "event:invoice_paid"
    [event] = await events_of(client, "email/an%40example.com")
    assert event["data"]["properties"] == {"plan": "pro", "amount": 49}
    # The same address written differently is the same customer.
    status, again = await post(client, paid("inv-2", {"email": "an@example.com"}))
    assert (status, again["customer_id"]) == (202, answer["customer_id"])


async def test_concurrent_duplicates_are_stored_once(client: TestClient[Any, Any]) -> None:
    body = paid("dup-1", {"phone": "+84 90 123 4567"})
    answers = await asyncio.gather(*(post(client, body) for _ in range(20)))
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] * 19 + [202]
    assert {a["customer_id"] for _, a in answers} == {answers[0][1]["customer_id"]}
    assert len(await events_of(client, "phone/%2B84901234567")) == 1


async def test_a_batch_of_a_thousand_and_its_repeat(client: TestClient[Any, Any]) -> None:
    batch = {"events": [paid(f"b-{n}", {"email": f"c{n % 10}@shop.vn"}) for n in range(1000)]}
    status, answer = await post(client, batch)
    assert status == 200, answer
    assert (answer["accepted"], answer["duplicate"], len(answer["results"])) == (1000, 0, 1000)
    status, again = await post(client, batch)
    assert (status, again["accepted"], again["duplicate"]) == (200, 0, 1000)
    assert len(await events_of(client, "email/c3%40shop.vn")) == 100


async def test_chat_customers_are_found_by_channel_and_id(
    client: TestClient[Any, Any], chat: Chat
) -> None:
    await chat.send("/greet")
    user_id = (await chat.user())["user_id"]
    status, by_channel = await post(
        client, paid("c-1", {"channel": "rest", "external_id": chat.sender})
    )
    assert (status, by_channel["customer_id"]) == (202, user_id)
    status, by_id = await post(client, paid("c-2", {"id": user_id}, at="2026-01-02T03:04:05Z"))
    assert (status, by_id["customer_id"]) == (202, user_id)
    response = await client.get(f"/api/users/rest/{chat.sender}/timeline", headers=admin_headers())
    timeline = (await response.json())["timeline"]
    assert timeline[0]["type"] == "event" and timeline[0]["data"]["event_id"] == "c-2"
    assert {item["type"] for item in timeline} == {"event", "message"}
    batch = {"events": [paid("c-3", {"channel": "rest", "external_id": "nobody"})]}
    status, answer = await post(client, batch)
    assert (status, answer["results"][0]["status"]) == (200, "unknown_customer")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"event_id": "x", "name": "invoice_paid"}, 422, "customer"),
        (paid("x", {"email": "a@b.co", "phone": "+84901234567"}), 422, "customer"),
        (paid("x", {"channel": "rest"}), 422, "customer"),
        (paid("x", {"email": "not-an-address"}), 422, "customer.email"),
        (paid("x", {"phone": "0901"}), 422, "customer.phone"),
        ({**paid("x", {"email": "a@b.co"}), "name": "Invoice Paid!"}, 422, "name"),
        (paid("x", {"email": "a@b.co"}, properties={"nested": {"a": 1}}), 422, "properties"),
        (paid("x", {"email": "a@b.co"}, at="2999-01-01T00:00:00Z"), 422, "at"),
        (paid("x", {"email": "a@b.co"}, colour="red"), 422, "colour"),
        (paid("x", {"id": "0" * 32}), 404, None),
        ({"events": []}, 422, "events"),
        (
            {"events": [paid("ok", {"email": "a@b.co"}), {"event_id": "y"}]},
            422,
            "events.1.customer",
        ),
        ([1, 2], 400, None),
    ],
)
async def test_bad_input_is_a_clear_4xx_and_stores_nothing(
    client: TestClient[Any, Any], services: Components, body: Any, status: int, field: str | None
) -> None:
    got, answer = await post(client, body)
    assert (got, answer["error"].get("field")) == (status, field), answer
    assert await services.users.count() == 0


async def test_a_batch_over_a_thousand_is_refused(client: TestClient[Any, Any]) -> None:
    batch = {"events": [paid(f"b-{n}", {"email": "a@b.co"}) for n in range(1001)]}
    status, answer = await post(client, batch)
    assert (status, answer["error"]["field"]) == (422, "events")


async def test_invalid_json_is_400(client: TestClient[Any, Any]) -> None:
    response = await client.post("/api/events", data=b"{nope", headers=admin_headers())
    assert response.status == 400


@pytest.fixture
async def keyed(
    settings: Settings, redis: Any, clock: Clock
) -> AsyncIterator[TestClient[Any, Any]]:
    keyed = settings.model_copy(update={"events_key": SecretStr("write-only")})
    services = build_components(keyed, redis, nlu=None, clock=clock)
    async with TestClient(TestServer(build_app(services))) as test_client:
        yield test_client


async def test_the_events_key_only_sends_events(keyed: TestClient[Any, Any]) -> None:
    key = {"Authorization": "Bearer write-only"}
    response = await keyed.post("/api/events", json=paid("k", {"email": "k@b.co"}), headers=key)
    assert response.status == 202
    response = await keyed.get("/api/users/email/k%40b.co", headers=key)
    assert response.status == 401
    response = await keyed.post("/api/events", json=paid("k", {"email": "k@b.co"}))
    assert response.status == 401


async def test_segments_count_events_within_days(
    client: TestClient[Any, Any], services: Components, clock: Clock
) -> None:
    now = clock.now
    batch = [
        paid("s1", {"email": "twice@b.co"}, at=now - 2 * DAY),
        paid("s2", {"email": "twice@b.co"}, at=now - 1 * DAY),
        paid("s3", {"email": "once@b.co"}, at=now - 1 * DAY),
        paid("s4", {"email": "long-ago@b.co"}, at=now - 40 * DAY),
        paid("s5", {"email": "long-ago@b.co"}, at=now - 41 * DAY),
    ]
    await post(client, {"events": batch})
    audience = services.broadcasts.audience

    async def emails(segment: dict[str, Any]) -> set[str]:
        users = await services.users.load_many(await audience(Segment.model_validate(segment)))
        return {u.profile["email"] for u in users}

    twice = {"did": [{"event": "invoice_paid", "at_least": 2, "within": "30d"}]}
    assert await emails(twice) == {"twice@b.co"}
    once = {"did": [{"event": "invoice_paid", "within": "7d"}]}
    assert await emails(once) == {"twice@b.co", "once@b.co"}
    assert await emails({"did": [{"event": "trial_started", "within": "90d"}]}) == set()


async def test_analytics_count_product_events(client: TestClient[Any, Any], clock: Clock) -> None:
    await post(client, {"events": [paid(f"a{n}", {"email": f"{n % 2}@b.co"}) for n in range(5)]})
    response = await client.get("/api/analytics", headers=admin_headers())
    figures = await response.json()
    assert figures["product_events"] == {"invoice_paid": {"count": 5, "customers": 2}}


async def test_a_failed_payment_opens_a_ticket_once(
    client: TestClient[Any, Any], services: Components
) -> None:
    await Chat(client, "hoa").send("/greet")
    failed = {
        "event_id": "pay-7",
        "customer": {"channel": "rest", "external_id": "hoa"},
        "name": "payment_failed",
        "properties": {"plan": "pro", "reason": "card expired"},
    }
    assert (await post(client, failed))[0] == 202
    assert (await post(client, failed))[0] == 200  # a repeat opens nothing more
    await post(client, paid("inv-9", {"channel": "rest", "external_id": "hoa"}))
    tickets = await services.inbox.tickets.listed()
    user_id = await services.users.find_id("rest", "hoa")
    assert [(t["user_id"], t["kind"], t["text"]) for t in tickets] == [
        (user_id, "payment_failed", "plan: pro, reason: card expired")
    ]
