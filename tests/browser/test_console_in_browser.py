"""The console in a real browser: each role's pages, a policy change, a handoff reply."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from bot.console.accounts import Role
from bot.wiring import Components
from tests.browser.conftest import screenshot_path
from tests.conftest import Chat

PASSWORD = "correct horse battery"


async def log_in(page: Any, base: str, name: str) -> None:
    await page.goto(f"{base}/console/login?lang=en")
    await page.fill("input[name=name]", name)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form button")


async def test_marketer_and_support_do_their_jobs_in_the_browser(
    client: TestClient[Any, Any], services: Components, browser_page: Any
) -> None:
    page = browser_page
    base = str(client.make_url("")).rstrip("/")
    await services.follower.seed(services.settings.policies_dir)
    accounts = services.accounts
    await accounts.add("mai", Role.MARKETER, PASSWORD, by="test")
    await accounts.add("lan", Role.SUPPORT, PASSWORD, by="test")

    # A customer on the web chat.
    await page.goto(f"{base}/chat?lang=en")
    await page.fill(".eb-form input", "/greet")
    await page.press(".eb-form input", "Enter")
    await page.wait_for_selector("text=I'm the SaleMate POS assistant")

    # Seeded data: two customers who started a trial, one of whom bought.
    for name, messages in (("t1", ["/request_trial"]), ("t2", ["/request_trial", "/purchase"])):
        for message in messages:
            await Chat(client, name).send(message, metadata={"locale": "en"})

    # The marketer: analytics (editing the policies is tests/browser/test_studio_in_browser.py).
    await page.goto(f"{base}/console/login?lang=en")
    await page.screenshot(path=screenshot_path("console-login"))
    await log_in(page, base, "mai")
    await page.wait_for_selector("text=Customers per stage")
    assert await page.inner_text("#trials") == "2 / 1"
    await page.screenshot(path=screenshot_path("console-analytics"), full_page=True)
    assert (await page.goto(f"{base}/console/inbox")).status == 403
    await page.goto(f"{base}/console/analytics?lang=en")
    await page.click("header form button")  # log out

    # The customer asks for a person.
    await page.goto(f"{base}/chat?lang=en")
    await page.fill(".eb-form input", "/request_human")
    await page.press(".eb-form input", "Enter")
    await page.wait_for_selector("text=I've asked our support team")

    # Support: the inbox, the conversation, a reply that reaches the web chat.
    await log_in(page, base, "lan")
    await page.wait_for_selector(".row a.who:has-text('Web chat #')")
    assert (await page.goto(f"{base}/console/analytics")).status == 403
    await page.goto(f"{base}/console/inbox?lang=en")
    await page.screenshot(path=screenshot_path("console-inbox"), full_page=True)
    await page.click(".row a.who")
    await page.wait_for_selector("#transcript")
    await page.fill("#reply textarea", "Hi, Lan here. How can I help?")
    await page.click("#reply button")
    await page.wait_for_selector(".msg.staff:has-text('Hi, Lan here')")
    await page.screenshot(path=screenshot_path("console-conversation"), full_page=True)

    customer = await page.context.new_page()  # same browser storage: the same customer
    await customer.goto(f"{base}/chat?lang=en")
    await customer.wait_for_selector("text=Hi, Lan here. How can I help?", timeout=10_000)
    await customer.fill(".eb-form input", "my receipt printer prints nothing")
    await customer.press(".eb-form input", "Enter")
    # The staff member's open conversation shows it without a reload (server-sent events).
    await page.wait_for_selector("text=my receipt printer prints nothing", timeout=10_000)


async def test_admin_removes_an_account_on_the_team_page(
    client: TestClient[Any, Any], services: Components, browser_page: Any
) -> None:
    page = browser_page
    base = str(client.make_url("")).rstrip("/")
    await services.accounts.add("boss", Role.ADMIN, PASSWORD, by="test")
    await services.accounts.add("lan", Role.SUPPORT, PASSWORD, by="test")
    await log_in(page, base, "boss")
    await page.wait_for_selector("text=Customers per stage")
    await page.click("header a:text-is('Team & audit log')")
    await page.wait_for_selector("text=Audit log")
    assert await page.locator("tr[data-account] td:first-child").all_inner_texts() == [
        "boss",
        "lan",
    ]
    await page.screenshot(path=screenshot_path("console-team"), full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())  # "Remove lan?"
    await page.click("tr[data-account=lan] button")
    await page.wait_for_selector("text=account lan removed")
    assert await page.locator("tr[data-account] td:first-child").all_inner_texts() == ["boss"]
