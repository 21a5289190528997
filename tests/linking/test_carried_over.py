"""What a merge carries over that lives outside the customer's own keys: queued
follow-ups (and what an unmerge does with them), and a friend credited after the merge."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.inbound import Inbound
from bot.store.referrals import ReferralStore
from bot.wiring import Components
from tests.conftest import admin_headers
from tests.fakes.clock import Clock
from tests.linking.conftest import code_in, customer, say

pytestmark = pytest.mark.usefixtures("morning")
DAY = 86400.0
NUDGE = "Shall we carry on setting up SaleMate? Only a few steps left!"


async def texts_for(services: Components, user_id: str) -> list[str]:
    return [r.text for r in await services.outbox.drain(user_id)]


async def job_due(services: Components, user_id: str, key: str) -> float | None:
    return await services.jobs.due_at(f"follow_up:{user_id}:{key}")


async def onboarding_customer_linked_to_a_newer_chat(services: Components) -> tuple[str, str]:
    """`web-s` greets first; `web-a` buys (its day-1 nudge is queued), then links to
    `web-s` by code: `web-a` is absorbed. Returns (survivor id, absorbed id)."""
    await say(services, "rest", "web-s", "/greet", locale="en")
    for text in ("/request_trial", "/purchase"):
        await say(services, "rest", "web-a", text, locale="en")
    absorbed = await customer(services, "rest", "web-a")
    assert absorbed.stage.value == "onboarding"
    assert await job_due(services, absorbed.id, "onboarding:nudge_day_1") is not None
    code = code_in(await say(services, "rest", "web-s", "/link"))
    await say(services, "rest", "web-a", code)
    survivor = await customer(services, "rest", "web-a")
    return survivor.id, absorbed.id


async def test_the_absorbed_customers_queued_follow_up_reaches_the_merged_customer_once(
    services: Components, clock: Clock
) -> None:
    survivor, absorbed = await onboarding_customer_linked_to_a_newer_chat(services)
    assert survivor != absorbed
    assert await job_due(services, absorbed, "onboarding:nudge_day_1") is None
    assert await job_due(services, survivor, "onboarding:nudge_day_1") is not None
    # Both had the 30-day come-back message planned: the survivor's own goes on, alone.
    assert await job_due(services, absorbed, "common:come_back") is None
    assert await job_due(services, survivor, "common:come_back") is not None

    clock.advance(DAY)
    await services.scheduler.run_once()
    assert (await texts_for(services, survivor)).count(NUDGE) == 1
    await services.scheduler.run_once()
    assert NUDGE not in await texts_for(services, survivor)


async def test_unmerge_gives_back_the_follow_ups_that_have_not_fired(
    client: TestClient[Any, Any], services: Components, clock: Clock
) -> None:
    survivor, absorbed = await onboarding_customer_linked_to_a_newer_chat(services)
    response = await client.post(
        f"/api/customers/{survivor}/unmerge", json={"identity": "rest:web-a", "by": "lan"},
        headers=admin_headers(),
    )  # fmt: skip
    assert response.status == 200, await response.text()
    assert await job_due(services, survivor, "onboarding:nudge_day_1") is None
    assert await job_due(services, absorbed, "onboarding:nudge_day_1") is not None

    clock.advance(DAY)
    await services.scheduler.run_once()
    assert NUDGE in await texts_for(services, absorbed)
    assert NUDGE not in await texts_for(services, survivor)


async def test_a_follow_up_that_fired_for_the_merged_customer_is_not_sent_again_after_unmerge(
    client: TestClient[Any, Any], services: Components, clock: Clock
) -> None:
    survivor, absorbed = await onboarding_customer_linked_to_a_newer_chat(services)
    clock.advance(DAY)
    await services.scheduler.run_once()
    assert NUDGE in await texts_for(services, survivor)
    response = await client.post(
        f"/api/customers/{survivor}/unmerge", json={"identity": "rest:web-a", "by": "lan"},
        headers=admin_headers(),
    )  # fmt: skip
    assert response.status == 200, await response.text()
    assert await job_due(services, absorbed, "onboarding:nudge_day_1") is None
    await services.scheduler.run_once()
    assert NUDGE not in await texts_for(services, absorbed)


async def test_a_friend_of_the_absorbed_customer_credited_later_counts_for_the_survivor(
    services: Components,
) -> None:
    await say(services, "rest", "ref-s", "/greet", locale="en")
    await say(services, "rest", "ref-a", "/ask_referral", locale="en")
    referrer = await customer(services, "rest", "ref-a")
    code = referrer.state["referral_code"]
    friend = Inbound("rest", "friend-1", "/greet", message_id="f1", locale="en", referral=code)
    await services.engine.handle(friend)
    store = ReferralStore(services.redis, services.keys)
    assert (await store.counts(referrer.id)).joined == 1

    link = code_in(await say(services, "rest", "ref-s", "/link"))
    await say(services, "rest", "ref-a", link)
    survivor = await customer(services, "rest", "ref-a")
    assert survivor.id != referrer.id and (await store.counts(survivor.id)).joined == 1

    for text in ("/request_trial", "/purchase"):  # the friend reaches onboarding: credited
        await say(services, "rest", "friend-1", text, locale="en")
    assert (await store.counts(survivor.id)).credited == 1
    assert (await store.counts(referrer.id)).credited == 0
    friend_now = await customer(services, "rest", "friend-1")
    assert friend_now.state["referred_by"] == survivor.id
    events = await services.redis.xrange(services.keys.events(friend_now.id))
    credited = [f for _, f in events if f["kind"] == "referral_credited"]
    assert len(credited) == 1 and survivor.id in credited[0]["data"]


async def test_the_support_deadline_of_the_absorbed_customers_handoff_holds_after_the_merge(
    services: Components, clock: Clock
) -> None:
    await say(services, "rest", "sla-s", "/greet", locale="en")
    await say(services, "rest", "sla-a", "/request_human", locale="en")
    survivor = await customer(services, "rest", "sla-s")
    absorbed = await customer(services, "rest", "sla-a")
    await services.customer_data.linking.merger.merge(survivor.id, absorbed.id, by="lan")
    await texts_for(services, survivor.id)  # what the merge moved over: not under test

    clock.advance(16 * 60)
    await services.scheduler.run_once()
    [notice] = await texts_for(services, survivor.id)
    assert notice.startswith("Sorry, our support team is busier than expected")
