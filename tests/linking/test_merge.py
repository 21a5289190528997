"""Merging two customers: the documented rules, concurrent turns, the webhook."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient
from redis.asyncio import Redis

from bot.config import Settings
from bot.inbound import Inbound
from bot.store.referrals import ReferralStore
from bot.user import User
from bot.wiring import Components, build_components
from tests.conftest import Chat, admin_headers
from tests.fakes.clock import Clock
from tests.fakes.crm_server import Crm, crm_server
from tests.linking.conftest import customer, move_by_hand, say

pytestmark = pytest.mark.usefixtures("morning")
EN = {"metadata": {"locale": "en"}}


async def test_the_more_advanced_stage_an_opt_out_and_the_one_trial_survive(
    client: TestClient[Any, Any], services: Components
) -> None:
    await say(services, "rest", "ann", "/greet", locale="en")
    await say(services, "rest", "ann", "/stop_messages")
    await say(services, "telegram", "81", "/request_trial", locale="en")
    ann, tg = await customer(services, "rest", "ann"), await customer(services, "telegram", "81")
    trial_code = tg.state["trial"]["code"]
    assert ann.stage.value == "awareness" and tg.stage.value == "decision"

    merged = await services.customer_data.linking.merger.merge(ann.id, tg.id, by="lan")

    assert merged.id == ann.id and merged.stage.value == "decision"
    assert merged.state.get("opted_out") is True and merged.state["trial"]["code"] == trial_code
    assert await services.redis.get(services.keys.code("trial", trial_code)) == ann.id
    stored = await customer(services, "telegram", "81")
    assert stored.id == ann.id and set(stored.identities) == {"rest:ann", "telegram:81"}
    history = await services.users.stage_history(ann.id)
    assert [t.at for t in history] == sorted(t.at for t in history)
    assert history[-1].to_stage.value == "decision" and history[-1].reason == f"merge:{tg.id}"
    # The absorbed record is a tombstone: no identity, and no longer in the audience.
    tomb = await services.redis.hgetall(services.keys.user(tg.id))  # type: ignore[misc]
    assert tomb["merged_into"] == ann.id and User.from_hash(tomb).identities == []
    assert not await services.redis.sismember(services.keys.all_users(), tg.id)  # type: ignore[misc]
    # The product naming the absorbed id reaches the survivor.
    body = {"event_id": "x1", "customer": {"id": tg.id}, "name": "invoice_paid"}
    response = await client.post("/api/events", json=body, headers=admin_headers())
    assert response.status == 202 and (await response.json())["customer_id"] == ann.id


async def test_a_newer_manual_move_beats_the_more_advanced_stage(
    client: TestClient[Any, Any], services: Components, clock: Clock
) -> None:
    await say(services, "rest", "bao", "/request_trial", locale="en")
    await say(services, "rest", "chi", "/greet", locale="en")
    clock.advance(60)
    await move_by_hand(client, "chi", "consideration")
    bao, chi = await customer(services, "rest", "bao"), await customer(services, "rest", "chi")
    merged = await services.customer_data.linking.merger.merge(bao.id, chi.id, by="lan")
    assert merged.stage.value == "consideration"


async def test_transcripts_interleave_and_referral_codes_keep_working(
    client: TestClient[Any, Any], services: Components
) -> None:
    for text in ("/greet", "/ask_price", "/compare_plans"):
        await say(services, "rest", "dan", text, locale="en")
        await say(services, "telegram", "82", text, locale="en")
    dan, tg = await customer(services, "rest", "dan"), await customer(services, "telegram", "82")
    await services.redis.set(services.keys.code("referral", "tgcode"), tg.id)
    tg.state["referral_code"] = "tgcode"
    await services.redis.hset(services.keys.user(tg.id), mapping=tg.to_hash())  # type: ignore[misc]
    before = len(await services.transcript.read(dan.id)) + len(
        await services.transcript.read(tg.id)
    )
    await services.customer_data.linking.merger.merge(dan.id, tg.id, by="lan")
    log = await services.transcript.read(dan.id)
    assert len(log) == before
    inbound = [(e["channel"], e["text"]) for e in log if e["dir"] == "in"]
    assert [text for _, text in inbound] == [t for t in ("/greet", "/ask_price", "/compare_plans")
                                             for _ in (1, 2)]  # fmt: skip
    assert [c for c, _ in inbound] == ["rest", "telegram"] * 3
    assert await ReferralStore(services.redis, services.keys).owner("tgcode") == dan.id


async def test_turns_on_both_identities_during_a_merge_lose_and_duplicate_nothing(
    services: Components,
) -> None:
    await say(services, "rest", "eve", "/greet", locale="en")
    await say(services, "telegram", "83", "/greet", locale="en")
    eve, tg = await customer(services, "rest", "eve"), await customer(services, "telegram", "83")
    turns, done, at_merge, midway = 15, [0], [], asyncio.Event()

    async def talk(channel: str, external_id: str) -> None:
        for i in range(turns):
            inbound = Inbound(channel, external_id, "/ask_price", message_id=f"{channel}-{i}")
            await services.engine.handle(inbound)
            done[0] += 1
            if done[0] == 6:
                midway.set()

    async def merge_midway() -> None:
        await midway.wait()
        at_merge.append(done[0])
        await services.customer_data.linking.merger.merge(eve.id, tg.id, by="lan")
        at_merge.append(done[0])

    await asyncio.gather(talk("rest", "eve"), talk("telegram", "83"), merge_midway())
    assert at_merge[0] < 2 * turns  # the merge began while both customers were still talking
    # Retried messages (a platform resending) are answered from what was stored.
    for channel, external_id in (("rest", "eve"), ("telegram", "83")):
        for i in range(turns):
            await services.engine.handle(
                Inbound(channel, external_id, "/ask_price", message_id=f"{channel}-{i}")
            )
    log = await services.transcript.read(eve.id)
    asked = [e["turn"] for e in log if e["dir"] == "in" and e["text"] == "/ask_price"]
    expected = {f"{c}-{i}" for c in ("rest", "telegram") for i in range(turns)}
    assert sorted(asked) == sorted(expected)  # each once: none lost, none twice
    assert not await services.transcript.read(tg.id)


@pytest.fixture
async def crm() -> AsyncIterator[Crm]:
    async with crm_server() as server:
        yield server


async def test_the_crm_hears_customer_linked(
    client: TestClient[Any, Any], services: Components, chat: Chat, crm: Crm
) -> None:
    response = await client.post(
        "/api/webhooks", json={"url": crm.url, "events": ["customer.linked"]},
        headers=admin_headers(),
    )  # fmt: skip
    assert response.status == 201, await response.text()
    await chat.send("/greet", **EN)
    await say(services, "telegram", "84", "/greet", locale="en")
    tg = await customer(services, "telegram", "84")
    survivor = (await chat.user())["user_id"]
    await services.customer_data.linking.merger.merge(survivor, tg.id, by="lan")
    async with aiohttp.ClientSession() as session:
        assert await services.customer_data.sender.deliver_due(session) == 1
    [got] = crm.received
    body = got.json
    assert body["type"] == "customer.linked" and body["customer"]["id"] == survivor
    assert set(body["customer"]["identities"]) == {f"rest:{chat.sender}", "telegram:84"}
    assert body["data"]["absorbed"] == tg.id and body["data"]["identities"] == ["telegram:84"]


async def test_another_replica_that_remembered_the_absorbed_identity_lands_on_the_survivor(
    services: Components, settings: Settings, redis: Redis, clock: Clock
) -> None:
    replica = build_components(settings, redis, nlu=None, clock=clock)
    await say(services, "rest", "fay", "/greet", locale="en")
    await say(replica, "telegram", "85", "/greet", locale="en")  # the replica remembers it
    fay, tg = await customer(services, "rest", "fay"), await customer(services, "telegram", "85")
    await services.customer_data.linking.merger.merge(fay.id, tg.id, by="lan")

    await say(replica, "telegram", "85", "/ask_price")
    await replica.engine.transcribe_only(
        Inbound("telegram", "85", "[sticker]", message_id="st-85"), lambda _: []
    )
    texts = [e["text"] for e in await services.transcript.read(fay.id) if e["dir"] == "in"]
    assert texts[-2:] == ["/ask_price", "[sticker]"]
    assert not await services.transcript.read(tg.id)
