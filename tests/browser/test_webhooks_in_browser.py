"""An admin connects the CRM in a real Chromium: endpoint, secret, test event, failure, replay.

The receiver is a local test server (`tests/fakes/crm_server.py`); the webhook sender's
passes are run by the test, as the bot's loop would run them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.console.accounts import Role
from bot.webhooks.signing import SIGNATURE_HEADER, verify
from bot.wiring import Components
from tests.browser.conftest import screenshot_path
from tests.browser.staff import PASSWORD, log_in, no_sideways_scroll, site, unnamed_controls
from tests.fakes.clock import Clock
from tests.fakes.crm_server import Crm, crm_server

pytestmark = pytest.mark.usefixtures("morning")


@pytest.fixture
async def crm() -> AsyncIterator[Crm]:
    async with crm_server() as server:
        yield server


async def deliver(services: Components) -> None:
    """Every pass of the webhook sender that finds something due."""
    async with aiohttp.ClientSession() as session:
        while await services.customer_data.sender.deliver_due(session):
            pass


async def add_the_endpoint(page: Any, crm: Crm) -> str:
    """A mistake first (plain http to another host), then the local receiver; the secret."""
    await page.click("header a:text-is('Webhooks')")
    await page.fill("input[name=url]", "http://crm.example.com/hooks")
    await page.fill("input[name=description]", "Test receiver")
    await page.check("input[name=events][value='stage.changed']")
    await page.click("#add-endpoint button[type=submit]")
    await page.wait_for_selector("#problem-url")
    assert "Use https://" in await page.inner_text("#problem-url")
    assert await page.input_value("input[name=description]") == "Test receiver"  # kept
    assert await page.is_checked("input[name=events][value='stage.changed']")
    await page.screenshot(path=screenshot_path("webhooks-1-mistake"), full_page=True)
    await page.fill("input[name=url]", crm.url)
    await page.check("input[name=events][value='churn_risk']")
    await page.click("#add-endpoint button[type=submit]")
    await page.wait_for_selector("#new-secret")
    secret: str = await page.inner_text("#secret-value")
    await page.click("#new-secret button")
    await page.wait_for_selector("#new-secret button:text-is('Copied')")
    await page.screenshot(path=screenshot_path("webhooks-2-secret"), full_page=True)
    return secret


async def edit_the_endpoint(page: Any, crm: Crm) -> None:
    """Change the note and drop an event from the prefilled form; the secret stays."""
    await page.click("#endpoints a:text-is('Edit')")
    await page.wait_for_selector("#edit-endpoint")
    assert await page.input_value("input[name=url]") == crm.url
    assert await page.is_checked("input[name=events][value='churn_risk']")
    await page.fill("input[name=url]", "")
    await page.click("#edit-endpoint button[type=submit]")
    await page.wait_for_selector("#problem-url")
    await page.fill("input[name=url]", crm.url)
    await page.fill("input[name=description]", "CRM receiver")
    await page.uncheck("input[name=events][value='churn_risk']")
    await page.screenshot(path=screenshot_path("webhooks-2b-edit"), full_page=True)
    await page.click("#edit-endpoint button[type=submit]")
    await page.wait_for_selector(".flash:text('Endpoint changes saved.')")
    row = page.locator("#endpoints tr[data-endpoint]")
    assert "CRM receiver" in await row.locator(".url").inner_text()
    assert await row.locator(".events .chip").all_inner_texts() == ["stage.changed"]


async def test_an_admin_connects_a_receiver_sees_a_failure_and_replays(
    client: TestClient[Any, Any], services: Components, browser_page: Any, crm: Crm,
    clock: Clock,
) -> None:  # fmt: skip
    page, base = browser_page, site(client)
    await services.accounts.add("boss", Role.ADMIN, PASSWORD, by="test")
    await page.set_viewport_size({"width": 1280, "height": 900})
    await log_in(page, base, "boss")
    secret = await add_the_endpoint(page, crm)
    await edit_the_endpoint(page, crm)
    row = page.locator("#endpoints tr[data-endpoint]")
    assert await row.count() == 1
    assert "Nothing sent yet" in await row.locator(".last").inner_text()

    await row.locator("button:text-is('Send a test event')").click()
    await page.wait_for_selector("#deliveries tr[data-status=pending]")
    await deliver(services)
    [got] = crm.received
    assert verify(secret, got.headers[SIGNATURE_HEADER], got.body, clock.now)
    # The log follows the waiting delivery by itself: no reload.
    await page.wait_for_selector("#deliveries tr[data-status=delivered]")
    first = page.locator("#deliveries tr[data-delivery]").first
    assert await first.locator(".status").inner_text() == "Delivered"
    await page.screenshot(path=screenshot_path("webhooks-3-delivered"), full_page=True)

    crm.failures = [500] * 5  # the receiver breaks
    await page.click(".toolbar button:text-is('Send a test event')")
    await deliver(services)
    await page.reload()
    failing = page.locator("#deliveries tr[data-status=retrying]")
    assert await failing.locator(".error").inner_text() == "HTTP 500"
    assert "Next attempt" in await failing.locator(".status").inner_text()
    await page.screenshot(path=screenshot_path("webhooks-4-failure"), full_page=True)

    crm.failures = []  # fixed; replay the failed event by hand
    await failing.locator("button:text-is('Replay')").click()
    await page.wait_for_selector(".flash:text('Event queued again.')")
    clock.advance(11)
    await deliver(services)
    await page.reload()
    statuses = await page.locator("#deliveries .status .badge").all_inner_texts()
    assert statuses == ["Delivered", "Delivered", "Delivered"]
    # The first test event; the second failed, was retried, and replayed: one event id.
    assert [r.json["id"] for r in crm.received[1:]] == [crm.received[1].json["id"]] * 3
    await page.screenshot(path=screenshot_path("webhooks-5-replayed"), full_page=True)

    await page.click("a:text('Back to webhooks')")
    assert "Delivered" in await row.locator(".last").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    await row.locator("button:text-is('Delete')").click()
    await page.wait_for_selector(".flash:text('Endpoint deleted.')")
    assert await services.customer_data.endpoints.all() == []


async def test_the_webhooks_page_on_a_phone_in_vietnamese(
    client: TestClient[Any, Any], services: Components, browser_page: Any, crm: Crm
) -> None:
    page, base = browser_page, site(client)
    await services.accounts.add("boss", Role.ADMIN, PASSWORD, by="test")
    await services.customer_data.endpoints.add(
        crm.url, ["*"], 0.0, secret=None, description="HubSpot"
    )
    await page.set_viewport_size({"width": 390, "height": 844})
    await log_in(page, base, "boss", lang="vi")
    await page.goto(f"{base}/console/webhooks?lang=vi")
    assert "mọi sự kiện" in await page.inner_text("#endpoints")
    assert await no_sideways_scroll(page)
    assert await unnamed_controls(page) == []
    await page.screenshot(path=screenshot_path("webhooks-6-phone"), full_page=True)
    # The edit form, prefilled, fits the phone too.
    await page.click("#endpoints a:text-is('Sửa')")
    await page.wait_for_selector("#edit-endpoint")
    assert await page.input_value("input[name=description]") == "HubSpot"
    assert await page.is_checked("input[name=events][value='*']")
    assert await no_sideways_scroll(page)
    assert await unnamed_controls(page) == []
    await page.screenshot(path=screenshot_path("webhooks-7-edit-phone"), full_page=True)
