"""Analytics and CSV exports: the figures the seeded journeys imply."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.wiring import Components
from tests.conftest import Chat, admin_headers
from tests.fakes.clock import Clock

pytestmark = pytest.mark.usefixtures("morning")

HOUR = 3600.0
EN = {"metadata": {"locale": "en"}}


async def seed(client: TestClient[Any, Any], services: Components, clock: Clock) -> None:
    """Four customers: one looks, one compares, one becomes an advocate, one needs help."""
    await Chat(client, "looker").send("/greet", **EN)
    await Chat(client, "comparer").send("/ask_price", **EN)

    fan = Chat(client, "fan")
    await fan.send("/request_trial", **EN)
    clock.advance(2 * HOUR)
    await fan.send("/purchase")
    for _ in range(5):
        await fan.send("/step_done")
    await fan.send("/give_feedback")
    await fan.send('/nps{"score": 10}')
    await fan.send("the stock reports")
    await fan.send("/ask_referral")

    helped = Chat(client, "helped")
    await helped.send("/request_trial", **EN)
    clock.advance(1 * HOUR)
    await helped.send("/purchase")
    await helped.send("/request_human")
    user_id = (await helped.user())["user_id"]
    clock.advance(120)
    await services.handoffs.staff_reply(user_id, "Hello!", author="staff:lan")
    await services.handoffs.close(user_id, by="staff:lan")
    await helped.send('/csat{"score": 4}')


async def test_dashboard_figures_follow_the_seeded_journeys(
    client: TestClient[Any, Any], services: Components, clock: Clock
) -> None:
    await seed(client, services, clock)
    response = await client.get(
        "/api/analytics?from=2026-11-23&to=2026-11-23", headers=admin_headers()
    )
    figures = await response.json()
    assert figures["customers_per_stage"] == {
        "awareness": 1,
        "consideration": 1,
        "decision": 0,
        "onboarding": 1,
        "retention": 0,
        "advocacy": 1,
    }
    funnel = {row["stage"]: row for row in figures["funnel"]}
    assert (funnel["awareness"]["entered"], funnel["awareness"]["to_next"]) == (4, 1)
    assert funnel["awareness"]["conversion_any_later"] == 0.75
    assert (funnel["decision"]["entered"], funnel["decision"]["to_next"]) == (2, 2)
    assert funnel["onboarding"]["conversion"] == 0.5
    assert funnel["retention"]["conversion"] == 1.0
    assert figures["median_seconds_in_stage"]["decision"] == 5400.0
    assert figures["trials"] == {"started": 2, "converted": 2}
    assert figures["onboarding"] == {"entered": 2, "finished": 1, "completion": 0.5}
    assert figures["nps"]["score"] == 100.0 and figures["nps"]["distribution"]["10"] == 1
    assert figures["nps"]["latest_comments"][0]["text"] == "the stock reports"
    assert figures["referrals"]["links_shared"] == 1
    assert figures["handoffs"] == {
        "closed": 1,
        "median_first_response_seconds": 120.0,
        "csat_answers": 1,
        "csat_mean": 4.0,
    }
    empty = await client.get(
        "/api/analytics?from=2026-01-01&to=2026-01-31", headers=admin_headers()
    )
    assert (await empty.json())["trials"] == {"started": 0, "converted": 0}
    bad = await client.get("/api/analytics?from=yesterday", headers=admin_headers())
    assert bad.status == 422


async def test_csv_exports(
    client: TestClient[Any, Any], services: Components, clock: Clock
) -> None:
    await seed(client, services, clock)
    customers = await client.get("/api/export/customers.csv", headers=admin_headers())
    assert customers.content_type == "text/csv"
    rows = list(csv.DictReader(io.StringIO(await customers.text())))
    assert sorted(r["stage"] for r in rows) == [
        "advocacy",
        "awareness",
        "consideration",
        "onboarding",
    ]
    fan = next(r for r in rows if r["identities"] == "rest:fan")
    assert fan["trial_code"].startswith("TRIAL-") and fan["nps"] == "10"
    events = await client.get("/api/export/events.csv", headers=admin_headers())
    kinds = [r["kind"] for r in csv.DictReader(io.StringIO(await events.text()))]
    assert {"stage", "trial_started", "nps", "feedback", "handoff_closed", "csat"} <= set(kinds)
    assert (await client.get("/api/export/events.csv")).status == 401
