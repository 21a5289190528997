"""The console over HTTP: accounts, login throttling, roles, CSRF, the inbox and analytics."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.console.accounts import Accounts, Role
from bot.lifecycle import Stage
from bot.store.keys import Keys
from bot.web.app import build_app
from bot.wiring import Components
from tests.conftest import REDIS_URL, ROOT, Chat

PASSWORD = "correct horse battery"


async def login(client: TestClient[Any, Any], name: str, password: str = PASSWORD) -> int:
    form = await (await client.get("/console/login")).text()
    match = re.search(r'name="csrf" value="([^"]+)"', form)
    assert match
    response = await client.post(
        "/console/login",
        data={"name": name, "password": password, "csrf": match.group(1)},
        allow_redirects=False,
    )
    return response.status


@pytest.fixture
async def accounts(services: Components) -> Accounts:
    accounts = services.accounts
    for name, role in (("mai", Role.MARKETER), ("lan", Role.SUPPORT), ("boss", Role.ADMIN)):
        await accounts.add(name, role, PASSWORD, by="test")
    return accounts


async def fresh_client(services: Components) -> TestClient[Any, Any]:
    client: TestClient[Any, Any] = TestClient(TestServer(build_app(services)))
    await client.start_server()
    return client


async def users_command(
    prefix: str, *argv: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """`python -m bot users ...` against the test's key prefix."""
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "users", *argv],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": REDIS_URL, "REDIS_PREFIX": prefix},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_users_add_reads_the_password_from_stdin(services: Components, prefix: str) -> None:
    result = await users_command(prefix, "add", "hoa", "--role", "support", stdin=f"{PASSWORD}\n")
    assert result.returncode == 0, result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    accounts = Accounts(services.redis, Keys(prefix))
    assert await accounts.verify("hoa", PASSWORD) is Role.SUPPORT
    assert await accounts.verify("hoa", "wrong password!") is None
    short = await users_command(prefix, "add", "hoa", "--role", "support", stdin="short\n")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr


async def test_users_list_and_remove(services: Components, prefix: str) -> None:
    empty = await users_command(prefix, "list")
    assert (empty.returncode, empty.stdout) == (
        0,
        "no accounts yet: python -m bot users add NAME --role admin\n",
    )
    accounts = Accounts(services.redis, Keys(prefix))
    await accounts.add("mai", Role.MARKETER, PASSWORD, by="test")
    await accounts.add("boss", Role.ADMIN, PASSWORD, by="test")
    listed = await users_command(prefix, "list")
    assert listed.stdout == "boss\tadmin\nmai\tmarketer\n"
    removed = await users_command(prefix, "remove", "mai")
    assert (removed.returncode, removed.stdout) == (0, "account mai removed\n")
    assert await accounts.verify("mai", PASSWORD) is None
    assert await accounts.roster() == [("boss", Role.ADMIN)]
    again = await users_command(prefix, "remove", "mai")
    assert (again.returncode, again.stderr) == (1, "no account named 'mai'\n")
    assert (await accounts.audit_log())[0]["what"] == "account mai removed"


async def test_team_page_lists_accounts_and_the_audit_log_and_removes_an_account(
    services: Components, accounts: Accounts
) -> None:
    admin, support = await fresh_client(services), await fresh_client(services)
    try:
        assert await login(support, "lan") == 302
        assert (await support.get("/console/team")).status == 403
        assert await login(admin, "boss") == 302
        page = await (await admin.get("/console/team?lang=en")).text()
        rows = re.findall(r'data-account="(\w+)"><td>\w+</td><td>(\w+)</td>', page)
        assert rows == [("boss", "admin"), ("lan", "support"), ("mai", "marketer")]
        assert re.search(r"<td>lan</td><td>logged in</td>", page)
        assert "Team &amp; audit log" in page
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token
        forged = await admin.post("/console/team/lan/remove", data={})
        assert forged.status == 403
        itself = await admin.post("/console/team/boss/remove", data={"csrf": token.group(1)})
        assert itself.status == 409
        ghost = await admin.post("/console/team/ghost/remove", data={"csrf": token.group(1)})
        assert ghost.status == 404
        removed = await admin.post(
            "/console/team/lan/remove?lang=en",
            data={"csrf": token.group(1)},
            allow_redirects=False,
        )
        assert removed.status == 302
        # Lan's open session ends at once, not when the cookie expires.
        after = await support.get("/console/inbox", allow_redirects=False)
        assert after.status == 302 and after.headers["Location"].startswith("/console/login")
        page = await (await admin.get("/console/team?lang=en")).text()
        assert 'data-account="lan"' not in page
        assert re.search(r"<td>boss</td><td>account lan removed</td>", page)
    finally:
        await admin.close()
        await support.close()


async def test_a_session_ends_when_its_account_is_reset(
    services: Components, accounts: Accounts
) -> None:
    marketer = await fresh_client(services)
    try:
        assert await login(marketer, "mai") == 302
        assert (await marketer.get("/console/analytics")).status == 200
        await accounts.add("mai", Role.SUPPORT, PASSWORD, by="boss")
        moved = await marketer.get("/console/analytics", allow_redirects=False)
        assert moved.status == 302  # log in again, as support now
        assert await login(marketer, "mai") == 302
        assert (await marketer.get("/console/inbox")).status == 200
        # A new password with the same role (a leaked one, say) ends the session too.
        await accounts.add("mai", Role.SUPPORT, "a brand new password", by="boss")
        reset = await marketer.get("/console/inbox", allow_redirects=False)
        assert reset.status == 302
    finally:
        await marketer.close()


async def test_login_cookie_roles_and_throttling(services: Components, accounts: Accounts) -> None:
    marketer = await fresh_client(services)
    try:
        anonymous = await marketer.get("/console/analytics", allow_redirects=False)
        assert anonymous.status == 302 and anonymous.headers["Location"].startswith(
            "/console/login"
        )
        assert await login(marketer, "mai") == 302
        cookie = next(c for c in marketer.session.cookie_jar if c.key == "engagebot_console")
        assert cookie["httponly"] and cookie["samesite"] == "Strict"
        assert (await marketer.get("/console/analytics")).status == 200
        assert (await marketer.get("/console/policies")).status == 200
        assert (await marketer.get("/console/inbox")).status == 403
    finally:
        await marketer.close()
    support = await fresh_client(services)
    try:
        assert await login(support, "lan") == 302
        assert (await support.get("/console/analytics")).status == 403
        assert (await support.get("/console/inbox")).status == 200
        for _ in range(5):
            assert await login(support, "boss", "not the password") == 401
        assert await login(support, "boss") == 429  # locked, even with the right password
    finally:
        await support.close()
    log = await accounts.audit_log()
    assert {"who": "mai", "what": "logged in"} in [
        {"who": e["who"], "what": e["what"]} for e in log
    ]


async def test_inbox_reply_needs_the_csrf_token_and_reaches_the_customer(
    client: TestClient[Any, Any], services: Components, accounts: Accounts
) -> None:
    customer = Chat(client, "web-customer")
    await customer.send("/request_human", metadata={"locale": "en"})
    user_id = (await customer.user())["user_id"]
    staff = await fresh_client(services)
    try:
        assert await login(staff, "lan") == 302
        page = await (await staff.get("/console/inbox?lang=en")).text()
        assert "rest:web-customer" in page and "Web chat #" in page
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token
        forged = await staff.post(f"/console/inbox/{user_id}/reply", data={"text": "hi"})
        assert forged.status == 403
        sent = await staff.post(
            f"/console/inbox/{user_id}/reply",
            data={"text": "Hello from Lan", "csrf": token.group(1)},
            allow_redirects=False,
        )
        assert sent.status == 302
        outbox = await (await client.get("/webhooks/rest/outbox/web-customer")).json()
        assert [m["text"] for m in outbox] == ["Hello from Lan"]
        closed = await staff.post(
            f"/console/inbox/{user_id}/close", data={"csrf": token.group(1)}, allow_redirects=False
        )
        assert closed.status == 302
        assert "handoff" not in await customer.state()
    finally:
        await staff.close()


async def test_analytics_page_shows_the_figures(
    client: TestClient[Any, Any], services: Components, accounts: Accounts
) -> None:
    for name in ("a", "b"):
        await Chat(client, name).send("/request_trial", metadata={"locale": "en"})
    marketer = await fresh_client(services)
    try:
        assert await login(marketer, "mai") == 302
        page = await (await marketer.get("/console/analytics?lang=en")).text()
        assert '<td id="trials">2 / 0</td>' in page
        assert '<td id="churn-risk">0 / 0</td>' in page
        assert "<svg" in page and "Customers per stage" in page
        assert '<table id="per-channel">\n<tr><td>rest</td><td>2</td></tr>' in page
        other = await (await marketer.get("/console/analytics?lang=en&channel=zalo")).text()
        assert '<td id="trials">0 / 0</td>' in other and "<option selected>" not in other
        bad = await marketer.get("/console/analytics?channel=%3Cb%3E")
        assert bad.status == 400
        await Chat(client, "b").send("/cancel_service")  # a prospect: nothing to flag
        await Chat(client, "c").send("/greet", metadata={"locale": "en"})
        user_id = await services.users.find_id("rest", "c")
        assert user_id is not None
        await services.engine.move_stage(user_id, Stage.RETENTION, reason="test")
        await Chat(client, "c").send("/cancel_service")
        page = await (await marketer.get("/console/analytics?lang=en")).text()
        assert '<td id="churn-risk">1 / 1</td>' in page and "Churn risk (now / new)" in page
        csv = await marketer.get("/console/export/customers.csv")
        assert csv.status == 200 and (await csv.text()).count("\n") == 4
    finally:
        await marketer.close()
