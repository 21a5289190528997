"""The REST channel: Rasa-compatible replies, payloads, the outbox and bad input."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from bot.effects import Reply
from bot.wiring import Components
from tests.conftest import Chat

WEBHOOK = "/webhooks/rest/webhook"


async def test_payload_reply_has_rasa_shape(chat: Chat) -> None:
    replies = await chat.send("/greet", metadata={"locale": "en"})
    assert replies[0]["recipient_id"] == chat.sender
    assert replies[0]["text"].startswith("Hi there!")
    assert {"title": "Pricing", "payload": "/ask_price"} in replies[0]["buttons"]


async def test_new_customer_starts_in_awareness_with_history(chat: Chat) -> None:
    await chat.send("/greet")
    user = await chat.user()
    assert user["stage"] == "awareness"
    assert [(h["from"], h["to"], h["reason"]) for h in user["stage_history"]] == [
        (None, "awareness", "start")
    ]


async def test_locale_guessed_from_first_message(client: TestClient[Any, Any]) -> None:
    vi, en = Chat(client, "vi-customer"), Chat(client, "en-customer")
    await vi.send("chào shop, cho mình hỏi giá")
    await en.send("hello, what does it cost?")
    assert (await vi.user())["locale"] == "vi"
    assert (await en.user())["locale"] == "en"


async def test_payload_moves_stage_and_runs_on_enter(chat: Chat) -> None:
    texts = await chat.texts("/ask_price", metadata={"locale": "en"})
    assert texts[0].startswith("SaleMate pricing:\n• Basic: 149,000 VND/month")
    user = await chat.user()
    assert user["stage"] == "consideration"
    assert user["stage_history"][-1]["reason"] == "transition:wants_details"


async def test_unknown_or_malformed_payload_gets_fallback(chat: Chat) -> None:
    first = await chat.texts("/no_such_intent", metadata={"locale": "en"})
    assert first == ["Sorry, I didn't get that. Pick one of these:"]
    # Not understood again and again: each later one offers a person.
    for message in ('/ask_price{"plan": ', "/ask_price[1]", '/greet{"a": [1]}'):
        texts = await chat.texts(message)
        assert texts == ["Sorry, I still don't get it. Would you like to talk to a person?"]
    assert await chat.stage() == "awareness"


async def test_free_text_without_nlu_gets_degraded_reply_with_menu(chat: Chat) -> None:
    replies = await chat.send("what does the pro plan cost?")
    assert replies[0]["text"].startswith("I can't understand messages right now")
    assert "/request_human" in [b["payload"] for b in replies[0]["buttons"]]


async def test_customer_text_is_data_not_template(chat: Chat) -> None:
    profile = {"first_name": "{{ 7*7 }}{% for x in ().__class__.__mro__ %}x{% endfor %}"}
    texts = await chat.texts("/greet", metadata={"locale": "en", "profile": profile})
    assert texts[0].startswith("Hi {{ 7*7 }}{% for x in ().__class__.__mro__ %}x{% endfor %}!")
    assert (await chat.user())["profile"] == profile


async def test_outbox_delivers_each_message_once_in_order(chat: Chat, services: Components) -> None:
    await chat.send("/greet")
    user = await services.users.find("rest", chat.sender)
    assert user is not None
    await services.outbox.push(user.id, [Reply("first"), Reply("second")], [])
    response = await chat.client.get(f"/webhooks/rest/outbox/{chat.sender}")
    assert [m["text"] for m in await response.json()] == ["first", "second"]
    again = await chat.client.get(f"/webhooks/rest/outbox/{chat.sender}")
    assert await again.json() == []


async def test_outbox_of_unknown_sender_is_empty(client: TestClient[Any, Any]) -> None:
    response = await client.get("/webhooks/rest/outbox/nobody")
    assert response.status == 200
    assert await response.json() == []


async def _error(client: TestClient[Any, Any], **kwargs: Any) -> tuple[int, dict[str, Any]]:
    response = await client.post(WEBHOOK, **kwargs)
    return response.status, (await response.json())["error"]


async def test_bad_input_is_a_clear_4xx_naming_the_field(client: TestClient[Any, Any]) -> None:
    cases: list[tuple[dict[str, Any], int, str | None]] = [
        ({"data": b"{not json"}, 400, None),
        ({"json": ["a list"]}, 400, None),
        ({"json": {"message": "hi"}}, 422, "sender"),
        ({"json": {"sender": 42, "message": "hi"}}, 422, "sender"),
        ({"json": {"sender": "a", "message": ""}}, 422, "message"),
        ({"json": {"sender": "a", "message": "   "}}, 422, "message"),
        ({"json": {"sender": "a", "message": 5}}, 422, "message"),
        ({"json": {"sender": "a", "message": "x" * 4097}}, 422, "message"),
        ({"json": {"sender": "a", "message": "hi", "metadata": "x"}}, 422, "metadata"),
        (
            {"json": {"sender": "a", "message": "hi", "metadata": {"locale": "fr"}}},
            422,
            "metadata.locale",
        ),
        ({"json": {"sender": "a", "message": "hi", "message_id": {"x": 1}}}, 422, "message_id"),
        (
            {"json": {"sender": "a", "message": "hi", "metadata": {"profile": [1]}}},
            422,
            "metadata.profile",
        ),
    ]
    for kwargs, status, field in cases:
        got_status, error = await _error(client, **kwargs)
        assert got_status == status, kwargs
        assert error.get("field") == field, kwargs
        assert error["message"]


async def test_rejected_input_writes_nothing(
    client: TestClient[Any, Any], services: Components
) -> None:
    await client.post(WEBHOOK, json={"sender": "ghost", "message": "x" * 5000})
    assert await services.users.find_id("rest", "ghost") is None


async def test_4096_characters_is_accepted(chat: Chat) -> None:
    assert await chat.send("/" + "a" * 4095)
