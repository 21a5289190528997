"""Follow-ups counted from a product event's time (`from: {event: trial_started}`).

The shipped decision policy checks in two days after `trial_started`'s `at`. The due time
is the event's time plus the delay on the scheduler's clock, whenever the event arrives;
one whose time passed more than a day before the event arrived is skipped.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.policies.loader import PolicyError, parse_policies
from bot.policies.source import read_directory
from bot.wiring import Components
from tests.conftest import ROOT, Chat, admin_headers
from tests.fakes.clock import Clock

pytestmark = pytest.mark.usefixtures("morning")

DAY, HOUR = 86400.0, 3600.0
EN = {"metadata": {"locale": "en"}}
CHECK_IN = "You've been trying SaleMate for 2 days"


async def trial_started(
    client: TestClient[Any, Any], chat: Chat, at: float, event_id: str = "trial-1"
) -> None:
    body = {
        "event_id": event_id,
        "customer": {"channel": "rest", "external_id": chat.sender},
        "name": "trial_started",
        "properties": {"plan": "pro"},
        "at": datetime.fromtimestamp(at, UTC).isoformat(),
    }
    response = await client.post("/api/events", json=body, headers=admin_headers())
    assert response.status == 202, await response.text()


async def deciding(chat: Chat) -> None:
    """A customer in the decision stage (asked for a trial in the chat)."""
    await chat.send("/request_trial", **EN)
    assert await chat.stage() == "decision"
    await chat.outbox_texts()


async def later(services: Components, clock: Clock, seconds: float) -> None:
    """Let time pass and run whatever became due."""
    clock.advance(seconds)
    while await services.scheduler.run_once():
        pass


async def test_the_check_in_comes_two_days_after_the_event(
    client: TestClient[Any, Any], chat: Chat, services: Components, clock: Clock
) -> None:
    await deciding(chat)
    await trial_started(client, chat, clock.now)
    await later(services, clock, 0)
    assert await chat.outbox_texts() == []  # the event's time is recorded, nothing said
    await later(services, clock, 2 * DAY - 60)
    assert await chat.outbox_texts() == []
    await later(services, clock, 60)
    [text] = await chat.outbox_texts()
    assert text.startswith(CHECK_IN)
    await later(services, clock, 5 * DAY)
    assert not any(t.startswith(CHECK_IN) for t in await chat.outbox_texts())  # once


async def test_a_late_event_counts_from_when_it_happened(
    client: TestClient[Any, Any], chat: Chat, services: Components, clock: Clock
) -> None:
    await deciding(chat)
    # The product sends it 40 hours after it happened: 8 hours are left (18:00 local).
    await trial_started(client, chat, clock.now - 40 * HOUR)
    await later(services, clock, 8 * HOUR - 60)
    assert await chat.outbox_texts() == []
    await later(services, clock, 60)
    assert (await chat.outbox_texts())[0].startswith(CHECK_IN)


async def test_an_event_past_its_follow_up_sends_at_once_within_a_day_else_never(
    client: TestClient[Any, Any], services: Components, clock: Clock
) -> None:
    soon, stale = Chat(client, "soon-customer"), Chat(client, "stale-customer")
    for chat in (soon, stale):
        await deciding(chat)
    await trial_started(client, soon, clock.now - 2 * DAY - 20 * HOUR)  # 20 h late: goes
    await trial_started(client, stale, clock.now - 5 * DAY)  # 3 days late: skipped
    await later(services, clock, 0)
    assert (await soon.outbox_texts())[0].startswith(CHECK_IN)
    await later(services, clock, 10 * DAY)
    assert not any(t.startswith(CHECK_IN) for t in await stale.outbox_texts())


async def test_a_newer_event_starts_the_count_again_an_older_one_does_not(
    client: TestClient[Any, Any], chat: Chat, services: Components, clock: Clock
) -> None:
    await deciding(chat)
    started = clock.now
    await trial_started(client, chat, started)
    await later(services, clock, 2 * DAY)
    assert (await chat.outbox_texts())[0].startswith(CHECK_IN)
    await trial_started(client, chat, started - DAY, "trial-0")  # an older one, sent late
    await later(services, clock, 2 * DAY)
    assert not any(t.startswith(CHECK_IN) for t in await chat.outbox_texts())
    await trial_started(client, chat, clock.now, "trial-2")  # a new trial: a new check-in
    await later(services, clock, 2 * DAY)
    assert any(t.startswith(CHECK_IN) for t in await chat.outbox_texts())


async def test_the_follow_up_belongs_to_its_stage(
    client: TestClient[Any, Any], chat: Chat, services: Components, clock: Clock
) -> None:
    await chat.send("/greet", **EN)  # awareness: the decision follow-up does not apply
    await trial_started(client, chat, clock.now)
    await later(services, clock, 3 * DAY)
    assert not any(t.startswith(CHECK_IN) for t in await chat.outbox_texts())


def shipped() -> dict[str, str]:
    files, problems = read_directory(Path(ROOT) / "stage_policies")
    assert problems == []
    return files


def test_the_validator_names_an_undeclared_event_at_its_line() -> None:
    files = shipped()
    files["decision.yml"] = files["decision.yml"].replace(
        "event: trial_started", "event: trial_startd"
    )
    with pytest.raises(PolicyError) as caught:
        parse_policies(files)
    [problem] = caught.value.problems
    assert problem.file == "decision.yml" and problem.line > 1
    assert "counts from event 'trial_startd', which is not in events.yml" in problem.message
    assert "declared: invoice_paid, trial_started" in problem.message


@pytest.mark.parametrize(
    ("anchor", "says"),
    [
        ("from: event", "needs the event's name"),
        ("from: {event: trial_started, plan: pro}", "{event: name}"),
        ("from: last_seen\n    event: trial_started", "goes with `from: event`"),
    ],
)
def test_a_malformed_event_anchor_is_explained(anchor: str, says: str) -> None:
    files = shipped()
    files["decision.yml"] = files["decision.yml"].replace(
        "from: event\n    event: trial_started", anchor
    )
    with pytest.raises(PolicyError) as caught:
        parse_policies(files)
    assert any(says in p.message for p in caught.value.problems), caught.value.problems


@pytest.mark.parametrize("short", ["from: {event: trial_started}", "event: trial_started"])
def test_the_short_forms_are_the_same_follow_up(short: str) -> None:
    files = shipped()
    files["decision.yml"] = files["decision.yml"].replace(
        "from: event\n    event: trial_started", short
    )
    policies = parse_policies(files)
    found = [f for s in policies.stages.values() for f in s.follow_ups if f.event]
    assert [(f.name, f.event, f.after) for f in found] == [
        ("trial_check_in", "trial_started", 2 * DAY)
    ]
