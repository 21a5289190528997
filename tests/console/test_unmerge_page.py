"""The customer card's linked identities and the "Unmerge" button, over HTTP."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from bot.console.accounts import Accounts
from bot.wiring import Components
from tests.console.test_console import accounts, fresh_client, login
from tests.console.test_inbox import csrf_of
from tests.linking.conftest import code_in, customer, say

__all__ = ["accounts"]


async def linked(services: Components) -> tuple[str, str]:
    """`web-old` and `web-new` linked by code; returns (survivor id, absorbed id)."""
    await say(services, "rest", "web-old", "/greet", locale="en")
    await say(services, "rest", "web-new", "/greet", locale="en")
    absorbed = (await customer(services, "rest", "web-new")).id
    code = code_in(await say(services, "rest", "web-old", "/link"))
    await say(services, "rest", "web-new", code)
    survivor = (await customer(services, "rest", "web-new")).id
    assert survivor != absorbed
    return survivor, absorbed


async def test_staff_see_the_merge_on_the_card_and_undo_it(
    client: TestClient[Any, Any], services: Components, accounts: Accounts
) -> None:
    survivor, absorbed = await linked(services)
    staff = await fresh_client(services)
    try:
        assert await login(staff, "lan") == 302
        page = await (await staff.get(f"/console/inbox/{survivor}?lang=en")).text()
        assert "Web chat: <code>web-old</code>" in page and "Web chat: <code>web-new</code>" in page
        assert "Merged in" in page and "<code>rest:web-new</code>" in page
        assert 'name="identity" value="rest:web-new"' in page and ">Unmerge</button>" in page

        url = f"/console/inbox/{survivor}/unmerge"
        no_token = await staff.post(url, data={"identity": "rest:web-new"})
        assert no_token.status == 403
        csrf = await csrf_of(staff)
        done = await staff.post(
            url, data={"csrf": csrf, "identity": "rest:web-new"}, allow_redirects=False
        )
        assert done.status == 302
        assert done.headers["Location"] == f"/console/inbox/{survivor}?lang=vi#card"
        assert (await customer(services, "rest", "web-new")).id == absorbed
        assert (await customer(services, "rest", "web-old")).identities == ["rest:web-old"]
        audit = [(a["who"], a["what"]) for a in await services.accounts.audit_log()]
        assert ("lan", f"customer {absorbed} (rest:web-new) unmerged from {survivor}") in audit
        page = await (await staff.get(f"/console/inbox/{survivor}?lang=en")).text()
        assert ">Unmerge</button>" not in page and "<code>web-new</code>" not in page

        again = await staff.post(url, data={"csrf": csrf, "identity": "rest:web-new"})
        assert again.status == 404
    finally:
        await staff.close()


async def test_a_marketer_cannot_unmerge(
    client: TestClient[Any, Any], services: Components, accounts: Accounts
) -> None:
    survivor, _ = await linked(services)
    marketer = await fresh_client(services)
    try:
        assert await login(marketer, "mai") == 302
        url = f"/console/inbox/{survivor}/unmerge"
        refused = await marketer.post(url, data={"csrf": "x", "identity": "rest:web-new"})
        assert refused.status == 403
        assert (await customer(services, "rest", "web-new")).id == survivor
    finally:
        await marketer.close()
