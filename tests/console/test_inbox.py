"""The inbox over HTTP: live rows, assignment, closed conversations, tickets from surveys."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp.test_utils import TestClient

from bot.console.accounts import Accounts
from bot.lifecycle import Stage
from bot.wiring import Components
from tests.conftest import Chat
from tests.console.test_console import accounts, fresh_client, login

__all__ = ["accounts"]


async def csrf_of(staff: TestClient[Any, Any]) -> str:
    page = await (await staff.get("/console/inbox?lang=en")).text()
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token
    return token.group(1)


async def test_a_new_handoff_reaches_an_open_inbox_stream(
    client: TestClient[Any, Any], services: Components, accounts: Accounts
) -> None:
    staff = await fresh_client(services)
    try:
        assert await login(staff, "lan") == 302
        stream = await staff.get("/console/inbox/stream?view=unassigned")
        first = json.loads((await stream.content.readuntil(b"\n\n")).decode()[len("data: ") :])
        assert first["rows"] == []
        await Chat(client, "ann").send(
            "/request_human", metadata={"locale": "en", "profile": {"first_name": "Ann"}}
        )
        update = json.loads((await stream.content.readuntil(b"\n\n")).decode()[len("data: ") :])
        [row] = update["rows"]
        assert (row["name"], row["channel"], row["reason"], row["owner"]) == (
            "Ann", "rest", "customer", None,
        )  # fmt: skip
        assert row["preview"]["text"].startswith("I've asked our support team")
        stream.close()
    finally:
        await staff.close()


async def test_claim_assign_close_and_find_it_under_closed(
    client: TestClient[Any, Any], services: Components, accounts: Accounts
) -> None:
    customer = Chat(client, "bao")
    await customer.send("/request_human", metadata={"locale": "en"})
    user_id = (await customer.user())["user_id"]
    staff = await fresh_client(services)
    try:
        assert await login(staff, "lan") == 302
        csrf = await csrf_of(staff)
        base = f"/console/inbox/{user_id}"
        await staff.post(f"{base}/claim", data={"csrf": csrf})
        assert await services.inbox.assignments.owner(user_id) == "lan"
        wrong = await staff.post(f"{base}/assign", data={"csrf": csrf, "staff": "mai"})
        assert wrong.status == 422  # a marketer is not a support account
        await staff.post(f"{base}/assign", data={"csrf": csrf, "staff": "boss"})
        page = await (await staff.get(f"{base}?lang=en")).text()
        assert "Owner: <strong>boss</strong>" in page
        await staff.post(f"{base}/reply", data={"csrf": csrf, "text": "On it."})
        await staff.post(f"{base}/close", data={"csrf": csrf, "note": "refund sent"})
        [closed] = await services.inbox.rows("closed", "lan", "refund")
        assert (closed["owner"], closed["resolution"], closed["closed_by"]) == (
            "boss", "refund sent", "staff:lan",
        )  # fmt: skip
        assert await services.inbox.assignments.owner(user_id) is None
        assert await services.inbox.rows("all", "lan") == []
    finally:
        await staff.close()


async def test_a_detractor_opens_a_ticket_that_collects_their_comment(
    client: TestClient[Any, Any], services: Components
) -> None:
    customer = Chat(client, "chi")
    await customer.send('/nps{"score": 3}', metadata={"locale": "en"})
    [ticket] = await services.inbox.tickets.listed()
    assert (ticket["kind"], ticket["text"], ticket["status"]) == ("detractor", "NPS 3/10", "open")
    await customer.send('/nps{"score": 9}')  # a promoter's score opens nothing
    assert len(await services.inbox.tickets.listed()) == 1


async def test_a_customer_who_wants_to_cancel_shows_churn_risk_on_the_card(
    client: TestClient[Any, Any], services: Components, accounts: Accounts
) -> None:
    customer = Chat(client, "dung")
    await customer.send("/greet", metadata={"locale": "en"})
    user_id = await services.users.find_id("rest", "dung")
    assert user_id is not None
    await services.engine.move_stage(user_id, Stage.RETENTION, reason="test")
    await customer.send("/cancel_service")
    await customer.send("/request_human")
    staff = await fresh_client(services)
    try:
        assert await login(staff, "lan") == 302
        page = await (await staff.get(f"/console/inbox/{user_id}?lang=en")).text()
        assert '<span class="badge flag" id="flag-churn_risk">Churn risk</span>' in page
        assert "(Retention)" in page  # the stage by its name, as elsewhere in the console
    finally:
        await staff.close()
