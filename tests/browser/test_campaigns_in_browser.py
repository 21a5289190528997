"""A marketer's campaign in a real Chromium, in forms only (Vietnamese UI).

Build a segment and watch the audience count follow, write the message in both languages
with a button and see the preview, make a mistake and see it at the field, schedule it at
a local time, then watch the progress as the scheduler sends it: each customer of the
segment gets exactly one copy, the opted-out one is skipped with the reason shown.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.console.accounts import Role
from bot.wiring import Components
from tests.browser.conftest import screenshot_path
from tests.browser.staff import PASSWORD, log_in, no_sideways_scroll, site, unnamed_controls
from tests.conftest import Chat
from tests.fakes.clock import Clock

pytestmark = pytest.mark.usefixtures("morning")  # 10:00 in Ho Chi Minh City

VI = "Tuần này gói Pro giảm 20% cho bạn!"
EN = "This week Pro is 20% off for you!"


async def customers(client: TestClient[Any, Any]) -> dict[str, Chat]:
    """Three Vietnamese customers considering (one opted out), and two outside the segment."""
    chats = {name: Chat(client, name) for name in ("lan", "minh", "hoa", "john", "tuan")}
    for name in ("lan", "minh", "hoa"):
        await chats[name].send("/ask_price", metadata={"locale": "vi"})
    await chats["hoa"].send("/stop_messages")
    await chats["john"].send("/ask_price", metadata={"locale": "en"})
    await chats["tuan"].send("/greet", metadata={"locale": "vi"})
    for chat in chats.values():
        await chat.outbox_texts()  # start from an empty outbox
    return chats


async def build_the_campaign(page: Any) -> None:
    await page.click("header a:text-is('Chiến dịch')")
    audience = page.locator("#audience")
    await page.wait_for_selector("#audience:text('5 khách sẽ nhận')")
    await page.check("#segment label:has-text('Cân nhắc') input")
    await page.wait_for_selector("#audience:text('4 khách sẽ nhận')")
    await page.select_option("select[name=locale]", "vi")
    await page.wait_for_selector("#audience:text('3 khách sẽ nhận')")
    assert await audience.inner_text() == "3 khách sẽ nhận"
    await page.check("input[name=churn_risk]")  # nobody here is at risk of churning
    await page.wait_for_selector("#audience:text('0 khách sẽ nhận')")
    await page.uncheck("input[name=churn_risk]")
    await page.wait_for_selector("#audience:text('3 khách sẽ nhận')")
    await page.fill("textarea[name=text_vi]", VI)
    first = ".button-row[data-index='0']"
    await page.fill(f"{first} input[name=button_vi]", "Xem bảng giá")
    await page.fill(f"{first} input[name=button_en]", "See prices")
    await page.select_option(f"{first} select", label="hỏi giá")
    vi_phone = page.locator("#preview .phone[data-lang=vi]")
    assert await vi_phone.locator(".bubble").inner_text() == VI
    assert await vi_phone.locator(".chip").all_inner_texts() == ["Xem bảng giá"]
    await page.check("input[name=when][value=later]")
    await page.fill("input[name=at]", "2026-11-23T10:30")


async def fix_the_missing_english(page: Any) -> None:
    await page.click("#campaign button[type=submit]")
    problem = page.locator("#problem-text")
    await page.wait_for_selector("#problem-text:text('Cần nội dung cả tiếng Việt và tiếng Anh.')")
    assert await page.get_attribute("textarea[name=text_en]", "aria-invalid") == "true"
    assert await page.inner_text("#send-state") == "Hãy sửa các lỗi được đánh dấu."
    assert await page.locator("#campaigns tr[data-id]").count() == 0  # nothing was queued
    await page.screenshot(path=screenshot_path("campaign-1-problem"), full_page=True)
    await page.fill("textarea[name=text_en]", EN)
    en_phone = page.locator("#preview .phone[data-lang=en]")
    assert await en_phone.locator(".bubble").inner_text() == EN
    assert await en_phone.locator(".chip").all_inner_texts() == ["See prices"]
    await page.click("#campaign button[type=submit]")
    await page.wait_for_selector("#send-state:text('Đã tạo chiến dịch cho 3 khách.')")
    assert await problem.inner_text() == ""


async def test_a_marketer_schedules_a_campaign_and_each_customer_gets_one_copy(
    client: TestClient[Any, Any], services: Components, browser_page: Any, clock: Clock
) -> None:
    page = browser_page
    base = site(client)
    await services.follower.seed(services.settings.policies_dir)
    chats = await customers(client)
    await services.accounts.add("mai", Role.MARKETER, PASSWORD, by="test")
    await page.set_viewport_size({"width": 1280, "height": 900})
    await log_in(page, base, "mai")
    await page.goto(f"{base}/console/analytics?lang=vi")
    await build_the_campaign(page)
    await fix_the_missing_english(page)
    row = page.locator("#campaigns tr[data-id]").first
    assert "2026-11-23 10:30" in await row.inner_text()
    assert await row.locator(".pending").inner_text() == "3"
    await page.screenshot(path=screenshot_path("campaign-2-scheduled"), full_page=True)

    assert await services.scheduler.run_once() == 0  # 10:00: not due yet
    clock.advance(31 * 60)
    await services.scheduler.run_once()
    await services.scheduler.run_once()  # a second pass sends nothing more
    await page.wait_for_selector("#campaigns tr[data-id] .pending:text-is('0')")
    assert await row.locator(".sent").inner_text() == "2"
    assert "đã tắt tin nhắn chủ động: 1" in await row.locator(".dropped").inner_text()
    await page.screenshot(path=screenshot_path("campaign-3-sent"), full_page=True)

    for name in ("lan", "minh"):
        assert await chats[name].outbox() == [
            {
                "recipient_id": name,
                "text": VI,
                "buttons": [{"title": "Xem bảng giá", "payload": "/ask_price"}],
            }
        ]
    for name in ("hoa", "john", "tuan"):
        assert await chats[name].outbox_texts() == []
    audit = await services.accounts.audit_log(5)
    assert any("to 3 customers, 2026-11-23 10:30" in entry["what"] for entry in audit)


async def test_the_campaign_page_on_a_phone_and_for_support_staff(
    client: TestClient[Any, Any], services: Components, browser_page: Any
) -> None:
    page = browser_page
    base = site(client)
    await services.accounts.add("mai", Role.MARKETER, PASSWORD, by="test")
    await services.accounts.add("son", Role.SUPPORT, PASSWORD, by="test")
    await page.set_viewport_size({"width": 390, "height": 844})
    await log_in(page, base, "mai")
    await page.goto(f"{base}/console/campaigns?lang=vi")
    await page.wait_for_selector("#audience:text('0 khách sẽ nhận')")
    assert await no_sideways_scroll(page)
    assert await unnamed_controls(page) == []
    await page.screenshot(path=screenshot_path("campaign-4-phone"), full_page=True)
    await page.click("header form button")  # log out; support staff do not send campaigns
    await log_in(page, base, "son", lang="vi")
    assert "/console/inbox" in page.url
    assert "Chiến dịch" not in await page.inner_text("header")
    assert (await page.goto(f"{base}/console/campaigns")).status == 403
