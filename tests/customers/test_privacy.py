"""Export and erase over the admin API: everything held, then nothing that identifies."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.wiring import Components
from tests.conftest import Chat, admin_headers

pytestmark = pytest.mark.usefixtures("morning")
EN = {"metadata": {"locale": "en", "profile": {"first_name": "An"}}}


async def test_export_then_erase_keeps_only_anonymous_counts(
    client: TestClient[Any, Any], services: Components, chat: Chat
) -> None:
    await chat.send("/request_trial", **EN)
    user_id = (await chat.user())["user_id"]
    event = {"event_id": "e1", "customer": {"id": user_id}, "name": "invoice_paid",
             "properties": {"card_holder": "Nguyen Van An"}}  # fmt: skip
    assert (await client.post("/api/events", json=event, headers=admin_headers())).status == 202

    response = await client.get(f"/api/customers/{user_id}/export", headers=admin_headers())
    exported = await response.json()
    assert exported["customer"]["profile"] == {"first_name": "An"}
    assert exported["customer"]["identities"] == [f"rest:{chat.sender}"]
    assert [m["dir"] for m in exported["messages"]][:1] == ["in"]
    assert "Nguyen Van An" in str(exported["events"])
    assert [t["to"] for t in exported["stage_history"]] == ["awareness", "decision"]

    response = await client.delete(
        f"/api/customers/{user_id}", json={"by": "lan"}, headers=admin_headers()
    )
    assert response.status == 200
    response = await client.get(f"/api/users/rest/{chat.sender}", headers=admin_headers())
    assert response.status == 404  # the chat identity no longer leads to anyone
    response = await client.get(f"/api/customers/{user_id}/export", headers=admin_headers())
    left = await response.json()
    assert left["customer"]["profile"] == {} and left["customer"]["identities"] == []
    assert left["messages"] == [] and left["handoffs"] == []
    assert "Nguyen Van An" not in str(left) and "An" not in str(left["customer"]["profile"])
    assert {e["kind"] for e in left["events"]} >= {"trial_started", "product_event"}
    assert left["stage_history"][-1]["to"] == "decision"  # the funnel still counts them
    analytics = await (await client.get("/api/analytics", headers=admin_headers())).json()
    assert analytics["customers_per_stage"]["decision"] == 1
    assert analytics["trials"]["started"] == 1
    audit = await services.accounts.audit_log()
    assert ("lan", f"customer {user_id} erased") in [(a["who"], a["what"]) for a in audit]
    # Writing again makes a new customer.
    await chat.send("/greet")
    assert (await chat.user())["user_id"] != user_id


async def test_an_erasure_needs_who_and_a_known_customer(client: TestClient[Any, Any]) -> None:
    response = await client.delete(f"/api/customers/{'0' * 32}", json={"by": "lan"},
                                   headers=admin_headers())  # fmt: skip
    assert response.status == 404
    response = await client.delete(f"/api/customers/{'0' * 32}", json={}, headers=admin_headers())
    assert response.status == 422
    response = await client.get(f"/api/customers/{'0' * 32}/export", headers=admin_headers())
    assert response.status == 404
