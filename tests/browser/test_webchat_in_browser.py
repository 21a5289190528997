"""The web chat in a real browser: buttons, history across reloads, staff replies, referrals."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from bot.wiring import Components
from tests.browser.conftest import screenshot_path
from tests.conftest import Chat, admin_headers


async def test_a_customer_chats_reloads_and_gets_a_staff_reply(
    client: TestClient[Any, Any], services: Components, browser_page: Any
) -> None:
    page = browser_page
    referrer = Chat(client, "referrer")
    await referrer.send("/ask_referral", metadata={"locale": "en"})
    code = (await referrer.state())["referral_code"]

    await page.goto(str(client.make_url(f"/chat?lang=en&ref={code}")))
    await page.fill(".eb-form input", "hello there")
    await page.press(".eb-form input", "Enter")
    await page.wait_for_selector("text=Welcome, friend of")
    # NLU is off in the tests: free text gets the degraded menu, whose buttons work.
    await page.click(".eb-buttons button:has-text('Pricing')")
    await page.wait_for_selector("text=SaleMate pricing:")
    await page.screenshot(path=screenshot_path("webchat"))

    await page.reload()
    await page.wait_for_selector("text=SaleMate pricing:")  # kept across the reload
    sender = await page.evaluate(
        "() => JSON.parse(Object.values(localStorage).find(v => v.includes('sender'))).sender"
    )
    assert sender.startswith("webchat-")
    user_id = await services.users.find_id("rest", sender)
    assert user_id is not None
    # The outbox is private: without the session's token the page's own origin gets 401.
    stranger = await page.evaluate(
        f"() => fetch('/webhooks/rest/outbox/{sender}').then(r => r.status)"
    )
    assert stranger == 401
    user = await services.users.load(user_id)
    assert user is not None and user.state["referred_by"] is not None

    started = await client.post(
        f"/api/users/rest/{sender}/handoff", json={"by": "lan"}, headers=admin_headers()
    )
    assert started.status == 200
    await client.post(
        f"/api/handoffs/{user_id}/messages",
        json={"text": "Hi, this is Lan from support.", "author": "lan"},
        headers=admin_headers(),
    )
    await page.wait_for_selector("text=Hi, this is Lan from support.", timeout=10_000)


async def test_a_new_server_secret_starts_a_new_session(
    client: TestClient[Any, Any], browser_page: Any
) -> None:
    page = browser_page
    await page.goto(str(client.make_url("/chat?lang=en")))
    await page.fill(".eb-form input", "/greet")
    await page.press(".eb-form input", "Enter")
    await page.wait_for_selector("text=Hi there!")
    # A token the server no longer accepts (e.g. WEB_CHAT_SECRET was rotated).
    await page.evaluate(
        "() => { const k = Object.keys(localStorage).find(k => k.startsWith('engagebot:'));"
        " const s = JSON.parse(localStorage[k]); s.token = 'stale';"
        " localStorage[k] = JSON.stringify(s); }"
    )
    await page.reload()
    await page.fill(".eb-form input", "/ask_price")
    await page.press(".eb-form input", "Enter")
    await page.wait_for_selector("text=SaleMate pricing:")
