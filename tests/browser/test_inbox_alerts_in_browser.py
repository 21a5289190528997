"""The inbox's opt-in notifications and the owner's SLA timer, in a real Chromium.

Notifications are observed by wrapping `window.Notification` before the page's scripts run,
and the beep by counting WebAudio oscillators started. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp.test_utils import TestClient

from bot.console.accounts import Role
from bot.wiring import Components
from tests.browser.conftest import screenshot_path
from tests.browser.staff import PASSWORD, log_in, site
from tests.conftest import Chat
from tests.fakes.clock import Clock

RECORDER = """
window.__notified = [];
window.__beeps = 0;
const Real = window.Notification;
function Recorded(title, options) {
  window.__notified.push(title);
  try { return new Real(title, options); } catch (e) { return {}; }
}
Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
Recorded.requestPermission = (...args) => Real.requestPermission(...args);
window.Notification = Recorded;
const start = OscillatorNode.prototype.start;
OscillatorNode.prototype.start = function (...args) {
  window.__beeps += 1;
  return start.apply(this, args);
};
"""
QUIET_SECONDS = 2.5  # a few of the stream's one-second refreshes


async def ask_for_a_person(client: TestClient[Any, Any], shop: str, first_name: str) -> None:
    await Chat(client, shop).send(
        "/request_human", metadata={"locale": "en", "profile": {"first_name": first_name}}
    )


async def test_a_new_handoff_notifies_once_when_on_and_never_when_off(
    client: TestClient[Any, Any], services: Components, browser_page: Any
) -> None:
    agent = browser_page
    base = site(client)
    await services.accounts.add("lan", Role.SUPPORT, PASSWORD, by="test")
    await agent.context.grant_permissions(["notifications"], origin=base)
    await agent.context.add_init_script(RECORDER)
    await log_in(agent, base, "lan")
    await agent.goto(f"{base}/console/inbox?lang=en&view=mine")
    await agent.wait_for_selector("text=Nothing here.")

    await agent.check("#notify")
    await agent.wait_for_function("localStorage.getItem('engagebot.inbox.notifications') === 'on'")
    beeps_before = await agent.evaluate("window.__beeps")
    await ask_for_a_person(client, "ann-shop", "Ann")
    await agent.wait_for_function("window.__notified.length > 0", timeout=10_000)
    await asyncio.sleep(QUIET_SECONDS)
    assert await agent.evaluate("window.__notified") == ["New handoff: Ann"]
    assert await agent.evaluate("window.__beeps") == beeps_before + 1
    await agent.screenshot(path=screenshot_path("inbox-notifications-on"), full_page=True)

    # Remembered across pages; switched off, a new handoff shows in the list and nothing else.
    await agent.goto(f"{base}/console/inbox?lang=en&view=all")
    assert await agent.is_checked("#notify")
    await agent.uncheck("#notify")
    await ask_for_a_person(client, "binh-shop", "Binh")
    await agent.wait_for_selector(".row:has-text('Binh')", timeout=10_000)
    await asyncio.sleep(QUIET_SECONDS)
    assert await agent.evaluate("window.__notified") == []
    assert await agent.evaluate("localStorage.getItem('engagebot.inbox.notifications')") == "off"


async def test_a_claimed_conversation_shows_its_owner_clock_and_the_breach(
    client: TestClient[Any, Any], services: Components, browser_page: Any, clock: Clock
) -> None:
    agent = browser_page
    base = site(client)
    await services.accounts.add("lan", Role.SUPPORT, PASSWORD, by="test")
    await ask_for_a_person(client, "chi-shop", "Chi")
    await log_in(agent, base, "lan")
    await agent.goto(f"{base}/console/inbox?lang=en&view=all")
    await agent.locator(".row:has-text('Chi') button.claim").click()
    await agent.click("a.view[data-view=mine]")
    row = agent.locator(".row:has-text('Chi')")
    await row.locator(".wait.ok:has-text('lan · waiting for')").wait_for()
    assert "Yours: 1 waiting" in await agent.inner_text("#mine-summary")

    # Past the SLA after the claim: red, "overdue", counted in the agent's own summary.
    clock.advance(services.handoffs.sla_minutes * 60 + 60)
    await row.locator(".wait.late:has-text('overdue')").wait_for(timeout=10_000)
    assert "overdue" in (await row.get_attribute("class") or "")
    assert "1 overdue" in await agent.inner_text("#mine-summary")
    await agent.screenshot(path=screenshot_path("inbox-sla-overdue"), full_page=True)

    # The conversation page shows the same clock beside the owner, and the stage by its name.
    await row.locator("a.who").click()
    timer = agent.locator("#owner-wait.wait.late")
    await timer.wait_for()
    assert (await timer.inner_text()).startswith("lan · waiting for ")
    assert (await timer.inner_text()).endswith(" · overdue")
    assert "overdue" in (await agent.get_attribute("#head", "class") or "")
    assert "Stage: Awareness" in await agent.inner_text("#head")
    await agent.screenshot(path=screenshot_path("conversation-sla-overdue"), full_page=True)
