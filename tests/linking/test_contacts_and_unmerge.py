"""Matching by verified email or phone (never by an unverified one), and unmerge by staff."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.wiring import Components
from tests.conftest import Chat, admin_headers
from tests.fakes.clock import Clock
from tests.linking.conftest import code_in, customer, say

pytestmark = pytest.mark.usefixtures("morning")
EN = {"metadata": {"locale": "en"}}
DAY = 86400.0


async def event(client: TestClient[Any, Any], event_id: str, who: dict[str, Any]) -> int:
    body = {"event_id": event_id, "customer": who, "name": "trial_started"}
    response = await client.post("/api/events", json=body, headers=admin_headers())
    return response.status


async def test_a_verified_email_links_the_product_record_the_chat_and_telegram(
    client: TestClient[Any, Any], services: Components, chat: Chat, clock: Clock
) -> None:
    assert await event(client, "p1", {"email": "An@Shop.vn"}) == 202  # the product's record
    clock.advance(60)
    product = await services.users.find("email", "an@shop.vn")
    assert product is not None
    # Saying an email in chat (an unverified claim) links nothing.
    await chat.send("/greet", metadata={"locale": "en", "profile": {"email": "an@shop.vn"}})
    assert (await chat.user())["user_id"] != product.id
    unverified = {"channel": "rest", "external_id": chat.sender, "email": "an@shop.vn"}
    assert await event(client, "p2", unverified) == 422

    assert await event(client, "p3", {**unverified, "verified": True}) == 202
    assert (await chat.user())["user_id"] == product.id  # the product's record was first
    linked = await customer(services, "rest", chat.sender)
    assert {"email:an@shop.vn", f"rest:{chat.sender}"} <= set(linked.identities)
    assert linked.profile["email_verified"] is True
    times = services.keys.event_times(product.id, "trial_started")
    assert await services.redis.zcard(times) == 2

    await say(services, "telegram", "91", "/greet", locale="en")
    tg = await customer(services, "telegram", "91")
    response = await client.post(
        f"/api/customers/{tg.id}/verified-contact", json={"email": "an@shop.vn", "by": "lan"},
        headers=admin_headers(),
    )  # fmt: skip
    assert response.status == 200, await response.text()
    assert await response.json() == {"customer": product.id, "merged": tg.id}
    assert (await customer(services, "telegram", "91")).id == product.id
    audit = [(a["who"], a["what"]) for a in await services.accounts.audit_log()]
    assert ("lan", f"customer {tg.id}: email verified, customer {tg.id} merged into "
            f"{product.id}") in audit  # fmt: skip


async def test_staff_unmerge_gives_the_telegram_customer_their_own_record_back(
    client: TestClient[Any, Any], services: Components, chat: Chat, clock: Clock
) -> None:
    await chat.send("/greet", **EN)
    await say(services, "telegram", "92", "/request_trial", locale="en")
    tg_before = await customer(services, "telegram", "92")
    tg_log = await services.transcript.read(tg_before.id)
    code = code_in(await chat.texts("/link"))
    await say(services, "telegram", "92", f"/link {code}")
    survivor = (await chat.user())["user_id"]
    assert (await customer(services, "telegram", "92")).id == survivor
    merges = await (await client.get(f"/api/customers/{survivor}/merges",
                                     headers=admin_headers())).json()  # fmt: skip
    assert [m["identities"] for m in merges["merges"]] == [["telegram:92"]]

    response = await client.post(
        f"/api/customers/{survivor}/unmerge", json={"identity": "telegram:92", "by": "lan"},
        headers=admin_headers(),
    )  # fmt: skip
    assert response.status == 200, await response.text()
    assert (await response.json())["restored"] == tg_before.id
    back = await customer(services, "telegram", "92")
    assert back.id == tg_before.id and back.stage.value == "decision" and "trial" in back.state
    assert await services.transcript.read(tg_before.id) == tg_log
    kept = await customer(services, "rest", chat.sender)
    assert kept.identities == [f"rest:{chat.sender}"] and kept.stage.value == "awareness"
    assert all(e["channel"] == "rest" for e in await services.transcript.read(survivor))
    # The next Telegram turn lands on the restored customer (this process remembered
    # the identity as the survivor's).
    await say(services, "telegram", "92", "/greet")
    assert (await services.transcript.read(tg_before.id))[-2]["text"] == "/greet"
    audit = [(a["who"], a["what"]) for a in await services.accounts.audit_log()]
    assert ("lan", f"customer {tg_before.id} (telegram:92) unmerged from {survivor}") in audit


async def test_no_unmerge_after_the_retention_period(
    client: TestClient[Any, Any], services: Components, chat: Chat, clock: Clock
) -> None:
    await chat.send("/greet", **EN)
    await say(services, "telegram", "93", "/greet", locale="en")
    tg = await customer(services, "telegram", "93")
    survivor = (await chat.user())["user_id"]
    await services.customer_data.linking.merger.merge(survivor, tg.id, by="lan")
    clock.advance(31 * DAY)
    response = await client.post(
        f"/api/customers/{survivor}/unmerge", json={"identity": "telegram:93", "by": "lan"},
        headers=admin_headers(),
    )  # fmt: skip
    assert response.status == 404
    assert (await customer(services, "telegram", "93")).id == survivor


async def test_erasing_a_linked_customer_erases_both_identities_and_the_merge_snapshot(
    client: TestClient[Any, Any], services: Components, chat: Chat
) -> None:
    await chat.send("/greet", metadata={"locale": "en", "profile": {"first_name": "Binh"}})
    await say(services, "telegram", "94", "/greet", locale="en", profile={"last_name": "Tran"})
    code = code_in(await chat.texts("/link"))
    await say(services, "telegram", "94", f"/link {code}")
    survivor = (await chat.user())["user_id"]
    exported = await (await client.get(f"/api/customers/{survivor}/export",
                                       headers=admin_headers())).json()  # fmt: skip
    assert [m["identities"] for m in exported["merged"]] == [["telegram:94"]]
    assert "Tran" in str(exported["merged"])  # the absorbed customer as they were
    response = await client.delete(
        f"/api/customers/{survivor}", json={"by": "lan"}, headers=admin_headers()
    )
    assert response.status == 200
    assert await services.users.find("telegram", "94") is None
    assert await services.users.find("rest", chat.sender) is None
    assert not await services.redis.exists(services.keys.merges(survivor))
    left = await (await client.get(f"/api/customers/{survivor}/export",
                                   headers=admin_headers())).json()  # fmt: skip
    assert "Tran" not in str(left) and "Binh" not in str(left)
