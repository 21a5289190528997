"""The web chat's "Continue on Telegram": a one-time code and a clickable deep link."""

from __future__ import annotations

import re
from typing import Any

from aiohttp.test_utils import TestClient

from bot.inbound import Inbound
from bot.wiring import Components
from tests.browser.conftest import screenshot_path


async def test_continue_on_telegram_gives_a_code_that_links_the_chats(
    client: TestClient[Any, Any], services: Components, browser_page: Any
) -> None:
    page = browser_page
    await page.goto(str(client.make_url("/chat?lang=en")))
    await page.wait_for_selector("text=Hi there!")
    await page.click(".eb-head button:has-text('Continue on Telegram')")
    link = await page.wait_for_selector(".eb-msg a[href*='start=link_']")
    href = await link.get_attribute("href")
    await page.screenshot(path=screenshot_path("webchat-link"))
    match = re.search(r"start=link_([A-Z0-9]{6})$", href)
    assert href.startswith("https://t.me/") and match is not None

    await services.engine.handle(Inbound("telegram", "7301", f"/link {match.group(1)}"))
    sender = await page.evaluate(
        "() => JSON.parse(Object.values(localStorage).find(v => v.includes('sender'))).sender"
    )
    on_telegram = await services.users.find("telegram", "7301")
    assert on_telegram is not None
    assert on_telegram.id == await services.users.find_id("rest", sender)
