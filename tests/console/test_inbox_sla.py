"""Per-assignee SLA timers and the inbox's notification feed, over HTTP."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp.test_utils import TestClient

from bot.console.accounts import Accounts
from bot.console.inbox_labels import inbox_words
from bot.inbox.sla import waiting_since
from bot.lifecycle import Stage
from bot.wiring import Components
from tests.conftest import Chat
from tests.console.test_console import accounts, fresh_client, login
from tests.console.test_inbox import csrf_of
from tests.fakes.clock import Clock

__all__ = ["accounts"]


async def page_data(staff: TestClient[Any, Any], view: str, lang: str = "en") -> dict[str, Any]:
    """What the inbox page hands its script: rows, arrivals, the SLA, the words."""
    page = await (await staff.get(f"/console/inbox?lang={lang}&view={view}")).text()
    found = re.search(r'<script id="inbox-data" type="application/json">(.*?)</script>', page)
    assert found
    data: dict[str, Any] = json.loads(found.group(1))
    return data


async def test_a_claimed_conversation_waits_on_its_owner_and_shows_the_breach(
    client: TestClient[Any, Any], services: Components, accounts: Accounts, clock: Clock
) -> None:
    customer = Chat(client, "hoa")
    await customer.send(
        "/request_human", metadata={"locale": "en", "profile": {"first_name": "Hoa"}}
    )
    user_id = (await customer.user())["user_id"]
    staff = await fresh_client(services)
    try:
        assert await login(staff, "lan") == 302
        csrf = await csrf_of(staff)
        before = clock()
        await staff.post(f"/console/inbox/{user_id}/claim", data={"csrf": csrf})
        data = await page_data(staff, "mine")
        [row] = data["rows"]
        assert row["owner"] == "lan" and row["assigned_at"] >= before
        assert row["wait_since"] == row["assigned_at"]  # the owner's clock starts at the claim
        assert row["overdue"] is False

        # Claimed longer ago than the SLA and still unanswered: overdue in lan's list.
        clock.advance(data["sla_seconds"] + 60)
        [row] = (await page_data(staff, "mine"))["rows"]
        assert (row["wait_since"], row["overdue"]) == (data["rows"][0]["assigned_at"], True)

        # The owner answers: the clock stops; the customer writes again: it restarts then.
        await staff.post(f"/console/inbox/{user_id}/reply", data={"csrf": csrf, "text": "On it."})
        [row] = (await page_data(staff, "mine"))["rows"]
        assert (row["wait_since"], row["overdue"]) == (None, False)
        asked = clock()
        await customer.send("Is there any news?")
        [row] = (await page_data(staff, "all"))["rows"]
        assert row["wait_since"] >= asked and row["overdue"] is False

        # Another agent's "mine" does not have it; unassigned, the owner's clock goes.
        await staff.post(f"/console/inbox/{user_id}/assign", data={"csrf": csrf, "staff": ""})
        [row] = (await page_data(staff, "all"))["rows"]
        assert row["assigned_at"] is None and "wait_since" not in row
    finally:
        await staff.close()


async def test_the_inbox_feeds_new_handoffs_and_tickets_to_notifications(
    client: TestClient[Any, Any], services: Components, accounts: Accounts
) -> None:
    staff = await fresh_client(services)
    try:
        assert await login(staff, "lan") == 302
        assert (await page_data(staff, "mine"))["arrivals"] == []
        await Chat(client, "khoa").send(
            "/request_human", metadata={"locale": "en", "profile": {"first_name": "Khoa"}}
        )
        await Chat(client, "chi").send('/nps{"score": 3}', metadata={"locale": "en"})
        arrivals = (await page_data(staff, "mine"))["arrivals"]  # whatever view is open
        kinds = {(a["kind"], a["reason"]) for a in arrivals}
        assert {("handoff", "customer"), ("ticket", "detractor")} <= kinds
        assert "Khoa" in [a["name"] for a in arrivals if a["reason"] == "customer"]
    finally:
        await staff.close()


def test_the_owner_clock_counts_from_the_first_unanswered_message_after_the_claim() -> None:
    said = [
        {"dir": "in", "at": 100.0},
        {"dir": "out", "at": 101.0, "author": "bot"},
        {"dir": "out", "at": 200.0, "author": "staff:lan"},
        {"dir": "in", "at": 300.0},
        {"dir": "in", "at": 310.0},
    ]
    assert waiting_since(said, assigned_at=150.0) == 300.0
    assert waiting_since(said[:3], assigned_at=150.0) is None  # answered since the claim
    assert waiting_since(said[:3], assigned_at=250.0) == 250.0  # answered before it: not yet
    assert waiting_since(said[:2], assigned_at=150.0) == 150.0  # the customer wrote before


async def test_the_notifications_switch_speaks_both_languages(
    client: TestClient[Any, Any], services: Components, accounts: Accounts
) -> None:
    assert inbox_words("vi").keys() == inbox_words("en").keys()
    staff = await fresh_client(services)
    try:
        assert await login(staff, "lan") == 302
        page = await (await staff.get("/console/inbox?lang=vi&view=mine")).text()
        assert '<input type="checkbox" id="notify"> Thông báo' in page
        assert '<p id="mine-summary"' in page
        words = (await page_data(staff, "mine", lang="vi"))["words"]
        assert (words["overdue"], words["new_handoff"]) == ("quá hạn", "Khách cần nhân viên")
    finally:
        await staff.close()


def owner_wait(page: str) -> dict[str, str] | None:
    """The conversation page's owner timer: its class, start and whether it is overdue."""
    found = re.search(
        r'<span id="owner-wait" class="([^"]*)" data-since="([^"]*)" data-owner="([^"]*)"'
        r' data-overdue="([^"]*)">([^<]*)</span>',
        page,
    )
    if found is None:
        return None
    keys = ("class", "since", "owner", "overdue", "text")
    return dict(zip(keys, found.groups(), strict=True))


async def test_the_conversation_shows_the_owners_sla_timer_like_the_list(
    client: TestClient[Any, Any], services: Components, accounts: Accounts, clock: Clock
) -> None:
    customer = Chat(client, "vy")
    await customer.send("/request_human", metadata={"locale": "en"})
    user_id = (await customer.user())["user_id"]
    staff = await fresh_client(services)
    try:
        assert await login(staff, "lan") == 302
        path = f"/console/inbox/{user_id}?lang=en"
        assert owner_wait(await (await staff.get(path)).text()) is None  # nobody owns it yet
        csrf = await csrf_of(staff)
        await staff.post(f"/console/inbox/{user_id}/claim", data={"csrf": csrf})
        [row] = (await page_data(staff, "mine"))["rows"]
        shown = owner_wait(await (await staff.get(path)).text())
        assert shown is not None and shown["owner"] == "lan" and shown["overdue"] == ""
        assert float(shown["since"]) == row["wait_since"] and "late" not in shown["class"]

        clock.advance((await page_data(staff, "mine"))["sla_seconds"] + 60)
        late = owner_wait(await (await staff.get(path)).text())
        assert late is not None and late["overdue"] == "1"
        assert late["class"] == "wait late" and late["text"] == "overdue"
        assert (await page_data(staff, "mine"))["rows"][0]["overdue"] is True  # as the list says

        await staff.post(f"/console/inbox/{user_id}/reply", data={"csrf": csrf, "text": "Hi!"})
        answered = owner_wait(await (await staff.get(path)).text())
        assert answered is not None and (answered["since"], answered["overdue"]) == ("", "")
    finally:
        await staff.close()


async def test_stages_are_shown_by_their_names_in_both_languages(
    client: TestClient[Any, Any], services: Components, accounts: Accounts
) -> None:
    customer = Chat(client, "khoa")
    await customer.send("/greet", metadata={"locale": "en"})
    user_id = (await customer.user())["user_id"]
    await services.engine.move_stage(user_id, Stage.CONSIDERATION, reason="test")
    await customer.send("/request_human")
    staff = await fresh_client(services)
    try:
        assert await login(staff, "lan") == 302
        for lang, name, start in (
            ("en", "Consideration", "Awareness"),
            ("vi", "Cân nhắc", "Nhận biết"),
        ):
            data = await page_data(staff, "all", lang)
            [row] = data["rows"]
            assert data["stages"][row["stage"]] == name  # the list's script names the stage
            page = await (await staff.get(f"/console/inbox/{user_id}?lang={lang}")).text()
            assert f"<strong>{name}</strong>" in page and f"{start} → {name}" in page
            assert '<option value="consideration" selected>' + name in page
            assert ">consideration<" not in page
    finally:
        await staff.close()
