"""Policies react to product events: a stage move with its messages, through the scheduler."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.nlu.parse import Parse
from bot.policies.conditions import TurnFacts, When
from bot.wiring import Components
from tests.conftest import Chat, admin_headers

pytestmark = pytest.mark.usefixtures("morning")
EN = {"metadata": {"locale": "en"}}


async def send_event(client: TestClient[Any, Any], chat: Chat, event_id: str, name: str) -> None:
    body = {
        "event_id": event_id,
        "customer": {"channel": "rest", "external_id": chat.sender},
        "name": name,
        "properties": {"plan": "pro"},
    }
    response = await client.post("/api/events", json=body, headers=admin_headers())
    assert response.status == 202, await response.text()


async def test_invoice_paid_moves_decision_to_onboarding_with_the_checklist(
    client: TestClient[Any, Any], services: Components, chat: Chat
) -> None:
    await chat.send("/request_trial", **EN)
    assert await chat.stage() == "decision"
    await send_event(client, chat, "inv-1", "invoice_paid")
    await send_event(client, chat, "inv-1-again", "page_viewed")  # no rule names it: no job
    assert await services.scheduler.run_once() == 1
    assert await chat.stage() == "onboarding"
    texts = await chat.outbox_texts()
    assert texts[0].startswith("Thank you for your payment!")
    assert texts[1].startswith("Step 1/5: Create your store"), texts  # onboarding's on_enter
    history = (await chat.user())["stage_history"]
    assert history[-1]["to"] == "onboarding"
    # The scheduler running the job again (a lost lease) reacts no second time.
    await services.scheduler.run_once()
    assert await chat.outbox_texts() == []


async def test_an_event_no_rule_of_the_stage_names_changes_nothing(
    client: TestClient[Any, Any], services: Components, chat: Chat
) -> None:
    await chat.send("/greet", **EN)
    await send_event(client, chat, "inv-2", "invoice_paid")  # awareness has no such rule
    await services.scheduler.run_once()
    assert await chat.stage() == "awareness"
    assert await chat.outbox_texts() == []


async def test_inactivity_in_retention_sends_the_win_back_message(
    client: TestClient[Any, Any], services: Components, chat: Chat
) -> None:
    await chat.send("/greet", **EN)
    response = await client.put(
        f"/api/users/rest/{chat.sender}/stage", json={"stage": "retention"}, headers=admin_headers()
    )
    assert response.status == 200
    await send_event(client, chat, "idle-1", "inactive_14_days")
    await services.scheduler.run_once()
    [text] = await chat.outbox_texts()
    assert text.startswith("We haven't seen you on SaleMate")
    assert await chat.stage() == "retention"


def facts(event: str | None, **properties: Any) -> TurnFacts:
    parse = Parse("greet", 1.0)
    return TurnFacts(parse, {}, None, None, False, event=event, properties=properties)


def test_event_conditions_match_events_only_with_their_properties() -> None:
    paid_pro = When.model_validate({"event": "invoice_paid", "properties": {"plan": "pro"}})
    assert paid_pro.matches(facts("invoice_paid", plan="pro"))
    assert not paid_pro.matches(facts("invoice_paid", plan="basic"))
    assert not paid_pro.matches(facts("trial_started", plan="pro"))
    assert not paid_pro.matches(facts(None))
    greeting = When.model_validate({"intent": "greet"})
    assert greeting.matches(facts(None)) and not greeting.matches(facts("invoice_paid"))
