"""A customer's Redis footprint: a compact hash, answers kept once, older data still loads."""

from __future__ import annotations

import json

from redis.asyncio import Redis

from bot.inbound import Inbound
from bot.wiring import Components

OLD_STATE = {"last_seen": 1790000000.5, "last_intent": "ask_price", "fallbacks_in_row": 0}


async def greet(
    services: Components, sender: str, message_id: str, text: str = "/greet"
) -> list[str]:
    replies = await services.engine.handle(Inbound("rest", sender, text, message_id=message_id))
    return [r.text for r in replies]


async def keys_of(redis: Redis, services: Components, user_id: str) -> set[str]:
    pattern = services.keys.user(user_id).rsplit(":", 1)[0] + ":*"
    return {key.rsplit(":", 1)[-1] async for key in redis.scan_iter(match=pattern)}


async def test_a_customer_after_one_greeting_is_one_small_hash_and_their_transcript(
    services: Components, redis: Redis
) -> None:
    await greet(services, "one", "m1")
    user_id = await services.users.resolve("rest", "one")
    assert await keys_of(redis, services, user_id) == {"user", "log"}
    # Every value short: Redis keeps the hash in its compact encoding.
    assert await redis.object("encoding", services.keys.user(user_id)) == "listpack"
    history = await services.users.stage_history(user_id)
    assert [(t.from_stage, t.to_stage.value, t.reason) for t in history] == [
        (None, "awareness", "start")
    ]


async def test_every_message_id_is_answered_once_however_many_came_after(
    services: Components, redis: Redis
) -> None:
    first = await greet(services, "many", "m1")
    later = [await greet(services, "many", f"m{i}", "/ask_price") for i in range(2, 5)]
    long_id = "mid." + "x" * 80  # Messenger's ids are long: kept on a key of their own
    long = await greet(services, "many", long_id, "/compare_plans")
    assert await greet(services, "many", "m1") == first
    assert [await greet(services, "many", f"m{i}", "/ask_price") for i in range(2, 5)] == later
    assert await greet(services, "many", long_id, "/compare_plans") == long
    user_id = await services.users.resolve("rest", "many")
    entries = await services.transcript.read(user_id)
    inbound = [e["turn"] for e in entries if e["dir"] == "in"]
    assert inbound == ["m1", "m2", "m3", "m4", long_id]  # no retry ran again
    assert await services.turns.answered(user_id, "m1") is not None
    assert await services.turns.answered(user_id, "m9") is None


async def test_a_customer_stored_by_an_earlier_version_loads_and_is_rewritten_compact(
    services: Components, redis: Redis
) -> None:
    user_id = await services.users.resolve("rest", "old")
    keys = services.keys
    start = {"from_stage": None, "to_stage": "awareness", "at": 1780000000.0, "reason": "start"}
    old_answer = [
        {"text": "Our plans start at 199k", "buttons": [{"title": "Try", "payload": "/t"}]}
    ]
    await redis.hset(  # type: ignore[misc]
        keys.user(user_id),
        mapping={
            "id": user_id,
            "created": "1780000000.0",
            "locale": "en",
            "stage": "consideration",
            "stage_entered_at": "1790000000.5",
            "identities": json.dumps(["rest:old"]),
            "profile": json.dumps({"first_name": "Lan"}),
            "state": json.dumps(OLD_STATE),
        },
    )
    moved = {**start, "from_stage": "awareness", "to_stage": "consideration", "reason": "intent:x"}
    await redis.rpush(keys.stage_history(user_id), json.dumps(start), json.dumps(moved))  # type: ignore[misc]
    await redis.set(keys.inbound(user_id, "old-1"), json.dumps(old_answer))
    assert await greet(services, "old", "old-1") == ["Our plans start at 199k"]  # stored answer
    await greet(services, "old", "new-1", "/thank")
    user = await services.users.load(user_id)
    assert user is not None
    assert (user.stage.value, user.stage_entered_at, user.profile) == (
        "consideration",
        1790000000.5,
        {"first_name": "Lan"},
    )
    assert user.state["last_intent"] == "thank" and user.state["fallbacks_in_row"] == 0
    stored = await redis.hgetall(keys.user(user_id))  # type: ignore[misc]
    assert not {"created", "state", "profile", "stage"} & set(stored)  # the old fields went
    history = await services.users.stage_history(user_id)
    assert [t.reason for t in history] == ["start", "intent:x"]
