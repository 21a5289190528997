"""A support agent's day in the inbox, and what the customer sees in the web chat.

Screenshots land in test-artifacts/ (inbox-*.png, webchat-*.png).
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.console.accounts import Role
from bot.lifecycle import Stage
from bot.wiring import Components
from tests.browser.conftest import screenshot_path
from tests.browser.test_console_in_browser import PASSWORD, log_in
from tests.conftest import Chat

GUIDE = "Here is the guide: https://salemate.vn/guide."


async def test_an_agent_takes_a_handoff_from_arrival_to_closed(
    client: TestClient[Any, Any],
    services: Components,
    browser_page: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    agent = browser_page
    base = str(client.make_url("")).rstrip("/")
    await services.accounts.add("lan", Role.SUPPORT, PASSWORD, by="test")
    await services.accounts.add("minh", Role.SUPPORT, PASSWORD, by="test")
    await log_in(agent, base, "lan")
    await agent.goto(f"{base}/console/inbox?lang=en&view=all")
    await agent.wait_for_selector("text=Nothing here.")

    # The customer opens the web chat: the policies' greeting and menu, unasked.
    customer = await agent.context.new_page()
    await customer.set_viewport_size({"width": 1280, "height": 800})
    await customer.goto(f"{base}/chat?lang=en")
    await customer.wait_for_selector("text=I'm the SaleMate POS assistant")
    await customer.click(".eb-buttons button:text-is('Pricing')")
    await customer.wait_for_function(
        "document.querySelectorAll('.eb-me ~ .eb-row:not(.eb-me)').length > 0"
    )
    await customer.screenshot(path=screenshot_path("webchat-greeting"))
    await customer.fill(".eb-form input", "/request_human")
    await customer.press(".eb-form input", "Enter")
    await customer.wait_for_selector(".eb-banner.eb-on:has-text('has been asked')", timeout=10_000)
    await customer.screenshot(path=screenshot_path("webchat-waiting"))

    # The handoff arrives in the open inbox without a reload, named, with its preview.
    row = agent.locator(".row").first
    await row.wait_for(timeout=10_000)
    assert (await row.locator(".who").inner_text()).startswith("Web chat #")
    assert "Asked for a person" in await row.inner_text()
    assert "Unassigned" in await row.inner_text()
    await agent.screenshot(path=screenshot_path("inbox-new-handoff"), full_page=True)

    # Claimed: the owner shows, "mine" has it, "unassigned" does not.
    await row.locator("button.claim").click()
    await agent.wait_for_selector(".row :text('Owner: lan')")
    await agent.click("a.view[data-view=unassigned]")
    await agent.wait_for_selector("text=Nothing here.")
    await agent.click("a.view[data-view=mine]")
    await agent.click(".row a.who")

    # The conversation: the card, the buttons offered and pressed, local times.
    await agent.wait_for_selector("#card :text('Web chat')")
    await agent.wait_for_selector(".chip.pressed:has-text('Pricing')")
    assert "Owner: lan" in await agent.inner_text("#owner")
    # An internal note: kept on the page for staff, never sent to the customer.
    await agent.fill("#notes textarea", "Shop uses an Xprinter XP-58; driver issue last month too.")
    await agent.click("#notes button")
    await agent.wait_for_selector("#notes .note:has-text('Xprinter XP-58')")
    # A canned reply, saved for the team, inserted with "/" and its variables filled in.
    await agent.click("details.canned summary")
    await agent.fill("details.canned input[name=name]", "hello")
    await agent.fill("details.canned textarea", "Hi {{first_name}}, {{agent}} here. " + GUIDE)
    await agent.click("details.canned button")
    await agent.wait_for_selector("#transcript .msg")
    await agent.type("#reply textarea", "/hel")
    await agent.wait_for_selector("#canned-menu button[data-name=hello]")
    await agent.press("#reply textarea", "Enter")
    # Typing survives a customer message arriving meanwhile.
    assert await agent.input_value("#reply textarea") == "Hi, lan here. " + GUIDE
    await agent.fill("#reply textarea", "Hi, Lan here. " + GUIDE)
    await customer.fill(".eb-form input", "my receipt printer prints nothing")
    await customer.press(".eb-form input", "Enter")
    await agent.wait_for_selector(".msg.in:has-text('my receipt printer prints nothing')")
    assert await agent.input_value("#reply textarea") == "Hi, Lan here. " + GUIDE
    await agent.click("#reply button")
    await agent.wait_for_selector(".msg.staff:has-text('Lan here')")
    assert await agent.input_value("#reply textarea") == ""
    await agent.screenshot(path=screenshot_path("inbox-conversation"), full_page=True)

    # The customer: the staff member's name, a different bubble, a safe clickable link.
    staff = customer.locator(".eb-staff:has-text('Lan here')")
    await staff.wait_for(timeout=10_000)
    assert "lan" in await customer.inner_text(".eb-who")
    link = staff.locator("a")
    assert await link.get_attribute("href") == "https://salemate.vn/guide"
    assert await link.get_attribute("rel") == "noopener noreferrer"
    await customer.wait_for_selector(".eb-banner.eb-person:has-text('chatting with lan')")
    assert "Xprinter" not in await customer.inner_text(".eb-log")
    width = await customer.eval_on_selector(".eb-staff", "e => e.getBoundingClientRect().width")
    assert width <= 520
    await customer.screenshot(path=screenshot_path("webchat-staff-reply"))

    # Close, confirmed, with a resolution note; later found under "closed" and by search.
    dialogs: list[str] = []

    async def accept(dialog: Any) -> None:
        dialogs.append(dialog.message)
        await dialog.accept()

    agent.once("dialog", accept)
    await agent.fill("#close input[name=note]", "printer driver reinstalled")
    await agent.click("#close button")
    await agent.wait_for_url("**/console/inbox?lang=en")
    assert dialogs and "hand the customer back" in dialogs[0]
    await customer.wait_for_selector("text=How would you rate the help", timeout=10_000)
    await agent.goto(f"{base}/console/inbox?lang=en&view=closed&q=printer")
    closed = agent.locator(".row").first
    await closed.wait_for()
    assert "Owner: lan" in await closed.inner_text()
    assert "printer driver reinstalled" in await closed.inner_text()
    await agent.screenshot(path=screenshot_path("inbox-closed-search"), full_page=True)
    await agent.goto(f"{base}/console/inbox?lang=en&view=closed&q=web+chat")
    await agent.locator(".row").first.wait_for()
    await agent.goto(f"{base}/console/inbox?lang=en&view=closed&q=nobody-like-this")
    await agent.wait_for_selector("text=Nothing here.")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


async def test_an_agent_solves_a_ticket_from_a_problem_report(
    client: TestClient[Any, Any], services: Components, browser_page: Any
) -> None:
    agent = browser_page
    base = str(client.make_url("")).rstrip("/")
    await services.accounts.add("lan", Role.SUPPORT, PASSWORD, by="test")
    customer = Chat(client, "shop-owner")
    await customer.send("/greet", metadata={"locale": "vi", "profile": {"first_name": "Hoa"}})
    user_id = await services.users.find_id("rest", "shop-owner")
    assert user_id is not None
    await services.engine.move_stage(user_id, Stage.RETENTION, "test")
    await customer.send("/report_problem")
    await customer.send("app bị lỗi khi in hoá đơn")
    await customer.outbox()

    await log_in(agent, base, "lan")
    await agent.goto(f"{base}/console/inbox?lang=en&view=tickets")
    row = agent.locator(".row:has-text('Hoa')")
    await row.wait_for()
    assert "app bị lỗi khi in hoá đơn" in await row.inner_text()
    assert "Open" in await row.inner_text()
    await agent.screenshot(path=screenshot_path("inbox-tickets"), full_page=True)
    await row.locator("input[name=text]").fill("Fixed in version 2.3, please update the app.")
    await row.locator("button.solve").click()
    await agent.wait_for_selector(".row:has-text('Hoa') .badge:text-is('Solved')")
    assert await customer.outbox_texts() == ["Fixed in version 2.3, please update the app."]
