"""The turn pipeline: ordering, idempotency, atomicity and the lifecycle journey."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from redis.asyncio import Redis

from bot.config import Settings
from bot.effects import Reply
from bot.inbound import Inbound
from bot.store.transcript import Transcript
from bot.wiring import Components, build_components
from tests.conftest import Chat, admin_headers


def assert_turns_not_interleaved(messages: list[dict[str, Any]], expected_turns: int) -> None:
    """Each inbound is followed only by replies of its own turn; no turn appears twice."""
    seen: list[str] = []
    current = None
    for entry in messages:
        if entry["dir"] == "in":
            current = entry["turn"]
            seen.append(current)
        else:
            assert entry["turn"] == current, "a reply of another turn was interleaved"
    assert len(seen) == expected_turns
    assert len(set(seen)) == expected_turns, "a message was processed twice"


async def test_50_concurrent_messages_of_one_user_are_serialised(chat: Chat) -> None:
    await asyncio.gather(
        *(chat.send("/greet", message_id=f"m{i}") for i in range(50)),
    )
    response = await chat.client.get(
        f"/api/users/rest/{chat.sender}/transcript", headers=admin_headers()
    )
    messages = (await response.json())["messages"]
    assert_turns_not_interleaved(messages, 50)
    assert {m["turn"] for m in messages} == {f"m{i}" for i in range(50)}
    assert sum(m["dir"] == "out" for m in messages) == 50


async def test_ordering_holds_across_two_replicas(settings: Settings, redis: Redis) -> None:
    second = Redis.from_url(str(settings.redis_url), decode_responses=True)
    try:
        replicas = [
            build_components(settings, redis, None),
            build_components(settings, second, None),
        ]
        await asyncio.gather(
            *(
                replicas[i % 2].engine.handle(
                    Inbound("rest", "shared", "/ask_price", message_id=f"r{i}")
                )
                for i in range(30)
            )
        )
        user = await replicas[0].users.find("rest", "shared")
        assert user is not None
        messages = await replicas[1].transcript.read(user.id)
        assert_turns_not_interleaved(messages, 30)
        history = await replicas[0].users.stage_history(user.id)
        assert [t.to_stage.value for t in history] == ["awareness", "consideration"]
    finally:
        await second.aclose()


async def test_different_users_run_in_parallel(services: Components) -> None:
    gate = asyncio.Event()
    inside: list[str] = []
    original = services.engine._understand  # the NLU step of the pipeline

    async def slow_understand(text: str) -> Any:
        inside.append(text)
        await gate.wait()
        return await original(text)

    services.engine._understand = slow_understand  # type: ignore[method-assign]
    first = asyncio.create_task(services.engine.handle(Inbound("rest", "u1", "/greet")))
    second = asyncio.create_task(services.engine.handle(Inbound("rest", "u2", "/greet")))
    await asyncio.sleep(0.1)
    # Both turns are inside the pipeline at once: one user's turn does not block another's.
    assert len(inside) == 2
    gate.set()
    assert (await first)[0].text and (await second)[0].text


async def test_same_message_id_is_processed_once(chat: Chat) -> None:
    first = await chat.send("/ask_price", message_id="42")
    second = await chat.send("/ask_price", message_id="42")
    assert first == second
    user = await chat.user()
    assert len(user["stage_history"]) == 2
    response = await chat.client.get(
        f"/api/users/rest/{chat.sender}/transcript", headers=admin_headers()
    )
    messages = (await response.json())["messages"]
    assert sum(m["dir"] == "in" for m in messages) == 1


async def test_concurrent_duplicates_are_processed_once(chat: Chat) -> None:
    results = await asyncio.gather(*(chat.send("/ask_price", message_id="dup") for _ in range(10)))
    assert all(r == results[0] for r in results)
    response = await chat.client.get(
        f"/api/users/rest/{chat.sender}/transcript", headers=admin_headers()
    )
    assert sum(m["dir"] == "in" for m in (await response.json())["messages"]) == 1


async def test_interrupted_turn_leaves_nothing(
    services: Components, redis: Redis, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0
    original = Transcript.command

    def crash_on_second_write(self: Transcript, user_id: str, entry: Any) -> tuple[str, ...]:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("process killed mid-turn")
        return original(self, user_id, entry)

    monkeypatch.setattr(Transcript, "command", crash_on_second_write)
    with pytest.raises(RuntimeError):
        await services.engine.handle(Inbound("rest", "victim", "/ask_price", message_id="m1"))
    user_id = await services.users.resolve("rest", "victim")
    assert [k async for k in redis.scan_iter(match=f"{prefix}:{{u:{user_id}}}:*")] == []

    monkeypatch.setattr(Transcript, "command", original)
    replies = await services.engine.handle(Inbound("rest", "victim", "/ask_price", message_id="m1"))
    assert replies, "the retried message is processed, not answered from a half-written turn"
    user = await services.users.load(user_id)
    assert user is not None and user.stage.value == "consideration"


async def test_whole_journey_and_a_backward_move(chat: Chat) -> None:
    en = {"metadata": {"locale": "en"}}
    await chat.send("/greet", **en)
    assert await chat.stage() == "awareness"
    await chat.send("/compare_plans", **en)
    assert await chat.stage() == "consideration"
    texts = await chat.texts("/request_trial", **en)
    assert texts[0].startswith("Your trial code: TRIAL-")
    assert await chat.stage() == "decision"
    await chat.send("/purchase", **en)
    assert await chat.stage() == "onboarding"
    for _ in range(5):
        await chat.send("/step_done", **en)
    assert await chat.stage() == "retention"
    await chat.send("/give_feedback", **en)
    await chat.send('/nps{"score": 10}', **en)
    assert await chat.stage() == "advocacy"
    await chat.send("/ask_price", **en)
    user = await chat.user()
    assert user["stage"] == "consideration"
    assert [h["to"] for h in user["stage_history"]] == [
        "awareness",
        "consideration",
        "decision",
        "onboarding",
        "retention",
        "advocacy",
        "consideration",
    ]
    assert user["stage_entered_at"] == user["stage_history"][-1]["at"]


async def test_vietnamese_customer_gets_vietnamese(client: TestClient[Any, Any]) -> None:
    chat = Chat(client, "vi-1")
    texts = await chat.texts("/ask_price", metadata={"locale": "vi"})
    assert texts[0].startswith("Bảng giá SaleMate:\n• Gói Cơ bản: 149.000đ/tháng")


async def test_set_locale_changes_a_known_customer_only(services: Components) -> None:
    engine = services.engine
    assert not await engine.set_locale("rest", "polyglot", "en")
    assert await services.users.find("rest", "polyglot") is None
    await engine.handle(Inbound("rest", "polyglot", "/greet", locale="vi"))
    assert await engine.set_locale("rest", "polyglot", "en")
    replies = await engine.handle(Inbound("rest", "polyglot", "/greet", locale="vi"))
    assert replies[0].text.startswith("Hi there!")


async def test_note_transcribes_without_a_turn_and_once(services: Components) -> None:
    engine = services.engine
    await engine.handle(Inbound("rest", "noted", "/ask_price", locale="en"))
    seen: list[str] = []

    def replies_for(locale: str) -> list[Reply]:
        seen.append(locale)
        return [Reply(f"no stickers ({locale})")]

    sticker = Inbound("rest", "noted", "[sticker]", message_id="s1")
    assert await engine.transcribe_only(sticker, replies_for) == [Reply("no stickers (en)")]
    assert await engine.transcribe_only(sticker, replies_for) == [Reply("no stickers (en)")]
    assert seen == ["en"]
    user = await services.users.find("rest", "noted")
    assert user is not None and user.stage.value == "consideration"
    entries = await services.transcript.read(user.id)
    assert [(e["dir"], e["text"]) for e in entries[-2:]] == [
        ("in", "[sticker]"),
        ("out", "no stickers (en)"),
    ]
    assert sum(e["text"] == "[sticker]" for e in entries) == 1


async def test_note_creates_a_new_customer(services: Components) -> None:
    sticker = Inbound("rest", "sticker-first", "[sticker]", locale="en")
    assert await services.engine.transcribe_only(sticker, lambda _: []) == []
    user = await services.users.find("rest", "sticker-first")
    assert user is not None and user.stage.value == "awareness" and user.locale == "en"
