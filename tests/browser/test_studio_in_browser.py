"""A marketer's job in the studio, in a real Chromium, in forms only (Vietnamese UI).

Change the trial offer in both languages, add a button, make a mistake and see it at the
field, fix it, try it in the simulator and see which rule answered, publish, check that a
customer gets the new text, then roll back (with confirmation and a reason).
"""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from bot.console.accounts import Role
from bot.wiring import Components
from tests.browser.conftest import screenshot_path
from tests.browser.staff import PASSWORD, log_in, no_sideways_scroll, site, unnamed_controls
from tests.conftest import Chat

OFFER = "[data-path='rules/0/do/0/trial_offer/offer']"
BUTTONS = "[data-path='rules/0/do/0/trial_offer/buttons']"
NEW_VI = "Quà dùng thử 14 ngày: mã {{ code }}, dùng miễn phí đến {{ expires }}."
NEW_EN = "Your 14-day trial gift: code {{ code }}, free until {{ expires }}."


async def edit_the_trial_offer(page: Any) -> None:
    """Open the trial rule, change both texts, add a button: forms only."""
    await page.click("nav.files a:text-is('Quyết định')")
    await page.wait_for_selector(".model-Rule .toggle")
    await page.screenshot(path=screenshot_path("studio-1-decision"), full_page=True)
    toggle = page.locator("[data-path='rules/0'] > .item-head .toggle")
    assert "Khi khách xin dùng thử → Tặng mã dùng thử" in await toggle.inner_text()
    await toggle.click()
    await page.fill(f"{OFFER} textarea[data-lang=vi]", NEW_VI)
    await page.fill(f"{OFFER} textarea[data-lang=en]", NEW_EN)
    await page.click(f"{BUTTONS} > button.add")
    new = "rules/0/do/0/trial_offer/buttons/2"
    await page.fill(f"[data-path='{new}/title'] input[data-lang=vi]", "Gọi tư vấn")
    await page.fill(f"[data-path='{new}/title'] input[data-lang=en]", "Call an advisor")
    await page.select_option(f"[data-path='{new}/payload'] select", "/request_human")
    await page.wait_for_selector("#save-state:text('Đã lưu nháp')")
    assert "[Gọi tư vấn]" in await toggle.inner_text()  # the card's sentence follows


async def make_a_mistake_and_fix_it(page: Any) -> None:
    await page.fill(f"{OFFER} textarea[data-lang=vi]", "Mã của bạn: {{ ma_thu }}")
    problem = page.locator(f"{OFFER} .problem.error")
    await problem.wait_for()
    assert "Không dùng được biến {{ ma_thu }} ở đây" in await problem.inner_text()
    assert await page.get_attribute(f"{OFFER} textarea[data-lang=vi]", "aria-invalid") == "true"
    assert await page.is_disabled("#publish")
    assert await page.inner_text("[data-file='decision.yml'] .badge") == "1 lỗi"
    assert "nlu/domain.yml" not in await page.inner_text("main")
    await problem.scroll_into_view_if_needed()
    await page.screenshot(path=screenshot_path("studio-2-inline-error"))
    await page.fill(f"{OFFER} textarea[data-lang=vi]", NEW_VI)
    await page.wait_for_selector("#problem-summary.ok")
    assert await page.locator(".problem").count() == 0
    assert await page.is_enabled("#publish")


async def simulate(page: Any) -> None:
    """The simulator runs the draft; the stage is kept from one message to the next."""
    await page.click("#sim-reset")
    await page.wait_for_selector("#sim-log .note")
    assert await page.input_value("#sim-stage") == "decision"
    await page.fill("#sim-input", "/request_trial")
    await page.press("#sim-input", "Enter")
    reply = page.locator(".bubble.bot").first
    await reply.wait_for()
    assert (await reply.inner_text()).startswith("Quà dùng thử 14 ngày: mã TRIAL-")
    assert "Gọi tư vấn" in await reply.inner_text()
    why = page.locator(".why").last
    assert "Trả lời bởi: quy tắc “trial” · Quyết định" in await why.inner_text()
    assert "xin dùng thử (request_trial, 100%)" in await why.inner_text()
    await page.click(".reply-button:text-is('Mua ngay')")
    await page.wait_for_selector(".why >> nth=1")
    second = await page.locator(".why").last.inner_text()
    assert "chuyển giai đoạn “buys”" in second and "Quyết định → Làm quen" in second
    assert await page.input_value("#sim-stage") == "onboarding"
    await page.screenshot(path=screenshot_path("studio-3-simulator"))
    await page.evaluate("window.scrollTo(0, 0)")
    await page.screenshot(path=screenshot_path("studio-overview"))  # docs/images/


async def publish_and_check_a_customer(page: Any, client: TestClient[Any, Any]) -> None:
    await page.fill("#publish-message", "Ưu đãi dùng thử mới")
    await page.click("#publish")
    await page.wait_for_selector("#publish-state:text('Đã xuất bản phiên bản 2.')")
    customer = Chat(client, "khach-moi")
    (reply,) = await customer.send("/request_trial", metadata={"locale": "vi"})
    assert reply["text"].startswith("Quà dùng thử 14 ngày: mã TRIAL-")
    assert {"title": "Gọi tư vấn", "payload": "/request_human"} in reply["buttons"]
    english = Chat(client, "new-customer")
    assert (await english.texts("/request_trial", metadata={"locale": "en"}))[0].startswith(
        "Your 14-day trial gift"
    )


async def roll_back(page: Any, client: TestClient[Any, Any]) -> None:
    await page.click("nav.files a:text-is('Lịch sử xuất bản')")
    await page.wait_for_selector("table.side-by-side")
    assert await page.locator("table.side-by-side tr.changed td.new").count() >= 2
    assert "Quà dùng thử 14 ngày" in await page.inner_text("table.side-by-side")
    assert await no_sideways_scroll(page)  # long lines wrap at 1280 px
    await page.screenshot(path=screenshot_path("studio-4-history"), full_page=True)
    await page.click("tr[data-revision='1'] button.rollback")
    dialog = page.locator("#rollback-dialog")
    await dialog.wait_for()
    assert "Khôi phục phiên bản 1" in await dialog.inner_text()
    await page.click("#rollback-confirm")  # no reason yet: the dialog stays
    assert await dialog.is_visible()
    await page.fill("#rollback-message", "Quay lại lời mời cũ")
    await page.screenshot(path=screenshot_path("studio-5-rollback-dialog"))
    await page.click("#rollback-confirm")
    await page.wait_for_selector("#notice")
    assert "phiên bản 3 đang chạy" in await page.inner_text("#notice")
    assert "rollback to 1: Quay lại lời mời cũ" in await page.inner_text("table.revisions")
    customer = Chat(client, "sau-khoi-phuc")
    text = (await customer.texts("/request_trial", metadata={"locale": "vi"}))[0]
    assert text.startswith("Mã dùng thử của bạn: TRIAL-")


async def test_a_marketer_changes_the_trial_offer_in_forms_and_rolls_it_back(
    client: TestClient[Any, Any], services: Components, browser_page: Any
) -> None:
    page = browser_page
    base = site(client)
    await services.follower.seed(services.settings.policies_dir)
    await services.accounts.add("mai", Role.MARKETER, PASSWORD, by="test")
    await page.set_viewport_size({"width": 1280, "height": 900})
    await log_in(page, base, "mai")
    await page.goto(f"{base}/console/analytics?lang=vi")
    await page.click("header a:text-is('Kịch bản')")
    await page.wait_for_selector("#form-root .sections")
    assert await no_sideways_scroll(page)
    await edit_the_trial_offer(page)
    await make_a_mistake_and_fix_it(page)
    await simulate(page)
    await publish_and_check_a_customer(page, client)
    await roll_back(page, client)


async def test_the_studio_works_by_keyboard_and_on_a_phone(
    client: TestClient[Any, Any], services: Components, browser_page: Any
) -> None:
    page = browser_page
    base = site(client)
    await services.follower.seed(services.settings.policies_dir)
    await services.accounts.add("mai", Role.MARKETER, PASSWORD, by="test")
    await page.set_viewport_size({"width": 390, "height": 844})
    await log_in(page, base, "mai")
    await page.goto(f"{base}/console/studio/onboarding?lang=en")
    await page.wait_for_selector("#form-root .sections")
    assert await no_sideways_scroll(page)
    # Every control has a name a screen reader can say.
    assert await unnamed_controls(page) == []
    # A rule card opens from the keyboard.
    toggle = page.locator("[data-path='rules/0'] > .item-head .toggle")
    await toggle.focus()
    await page.keyboard.press("Enter")
    assert await toggle.get_attribute("aria-expanded") == "true"
    assert await page.locator("[data-path='rules/0'] .item-body").is_visible()
    await toggle.scroll_into_view_if_needed()
    await page.screenshot(path=screenshot_path("studio-6-phone"))
    # The YAML view, with the editor served by the bot itself.
    await page.click("#tab-yaml")
    await page.wait_for_selector("#yaml-editor .cm-content")
    assert "stage: onboarding" in await page.inner_text("#yaml-editor .cm-content")
    # A broken line is marked where it is, and the form waits until it parses again.
    await page.click("#yaml-editor .cm-content")
    await page.keyboard.press("Control+Home")
    await page.keyboard.insert_text("\t")  # YAML has no tabs
    await page.wait_for_selector("#yaml-editor .cm-lintRange-error")
    await page.wait_for_selector("#problem-summary.has-errors")
    await page.locator("#problem-summary").scroll_into_view_if_needed()
    await page.screenshot(path=screenshot_path("studio-7-yaml-phone"))
    await page.click("#tab-form")
    assert "syntax error" in await page.inner_text("#save-state")
    assert await page.get_attribute("#tab-yaml", "aria-selected") == "true"
    await page.click("#yaml-editor .cm-content")
    await page.keyboard.press("Control+z")
    await page.wait_for_selector("#problem-summary.ok")
    await page.click("#tab-form")
    await page.wait_for_selector("#form-root .sections")
    await page.goto(f"{base}/console/studio/history?lang=en")
    assert await no_sideways_scroll(page)


async def test_a_marketer_says_what_yes_and_no_mean_after_a_question(
    client: TestClient[Any, Any], services: Components, browser_page: Any
) -> None:
    page = browser_page
    await services.follower.seed(services.settings.policies_dir)
    await services.accounts.add("mai", Role.MARKETER, PASSWORD, by="test")
    await page.set_viewport_size({"width": 1280, "height": 900})
    await log_in(page, site(client), "mai")
    await page.goto(f"{site(client)}/console/studio/decision?lang=en")
    await page.wait_for_selector("#form-root .sections")
    await page.locator("[data-path='rules/4'] > .item-head .toggle").click()
    reply = page.locator("[data-path='rules/4/do/0/reply']").first
    for answer in ("yes", "no"):
        await reply.locator(".adder select").select_option(answer)
        await reply.locator(".adder button").click()
    yes, no = "[data-path='rules/4/do/0/reply/yes']", "[data-path='rules/4/do/0/reply/no']"
    assert "If the answer is “yes”" in await page.inner_text(yes)
    await page.select_option(f"{yes} select", "/request_trial")
    await page.select_option(f"{no} select", "")  # typed by hand, and wrong
    await page.fill(f"{no} input", "greet")
    problem = page.locator(f"{no} .problem.error")
    await problem.wait_for()
    assert "leads to an intent starting with “/”" in await problem.inner_text()
    await problem.scroll_into_view_if_needed()
    await page.screenshot(path=screenshot_path("studio-8-yes-no-error"))
    await page.select_option(f"{no} select", "/greet")
    await page.wait_for_selector("#problem-summary.ok")
    await page.wait_for_selector("#save-state:text('Draft saved')")
    toggle = page.locator("[data-path='rules/4'] > .item-head .toggle")
    assert "(“yes”: asks for a trial; “no”: says hello)" in await toggle.inner_text()
    await page.screenshot(path=screenshot_path("studio-9-yes-no"))
    # The saved draft (what the YAML view shows): the two answers, as a developer writes them.
    html = await page.evaluate("fetch('/console/studio/decision?lang=en').then(r => r.text())")
    assert "yes: /request_trial\\n" in html and "no: /greet\\n" in html
