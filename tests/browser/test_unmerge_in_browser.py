"""An agent undoes a merge from the customer card. Screenshots: test-artifacts/unmerge-*.png."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from bot.console.accounts import Role
from bot.wiring import Components
from tests.browser.conftest import screenshot_path
from tests.browser.staff import PASSWORD, log_in, site, unnamed_controls
from tests.fakes.clock import Clock
from tests.linking.conftest import code_in, customer, say


async def test_an_agent_confirms_and_unmerges_a_linked_telegram_chat(
    client: TestClient[Any, Any], services: Components, browser_page: Any, clock: Clock
) -> None:
    await say(services, "rest", "web-81", "/greet", locale="en",
              profile={"first_name": "Hoa"})  # fmt: skip
    clock.advance(90)
    await say(services, "telegram", "8101", "/greet", locale="en")
    absorbed = (await customer(services, "telegram", "8101")).id
    code = code_in(await say(services, "rest", "web-81", "/link"))
    await say(services, "telegram", "8101", f"/link {code}")
    survivor = (await customer(services, "rest", "web-81")).id
    await services.accounts.add("lan", Role.SUPPORT, PASSWORD, by="test")

    agent, base = browser_page, site(client)
    await agent.set_viewport_size({"width": 1280, "height": 900})
    await log_in(agent, base, "lan")
    await agent.goto(f"{base}/console/inbox/{survivor}?lang=en")
    merges = agent.locator("#merges")
    assert "telegram:8101" in await merges.inner_text()
    assert "Telegram" in await agent.locator("#card dd").first.inner_text()
    assert await unnamed_controls(agent) == []
    await agent.locator("#card").screenshot(path=screenshot_path("unmerge-card"))

    asked: list[str] = []

    async def decline(dialog: Any) -> None:
        asked.append(dialog.message)
        await dialog.dismiss()

    agent.once("dialog", decline)
    await merges.locator("button:text-is('Unmerge')").click()
    assert asked == ["Give telegram:8101 its own customer record back, as before the merge?"]
    assert (await customer(services, "telegram", "8101")).id == survivor  # declined: unchanged

    agent.once("dialog", lambda dialog: dialog.accept())
    await merges.locator("button:text-is('Unmerge')").click()
    await agent.wait_for_selector("#merges", state="detached")
    assert (await customer(services, "telegram", "8101")).id == absorbed
    assert "8101" not in await agent.locator("#card").inner_text()
    await agent.locator("#card").screenshot(path=screenshot_path("unmerge-done"))
