"""The analytics page as a Vietnamese marketer reads it, in a real Chromium.

Stage names in Vietnamese, every figure labelled, durations in words, NPS comments with
their score, customer and local time, a funnel chart, and each chart as a CSV download.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.console.accounts import Role
from bot.wiring import Components
from tests.admin.test_analytics import seed
from tests.browser.conftest import screenshot_path
from tests.browser.staff import PASSWORD, log_in, no_sideways_scroll, site
from tests.fakes.clock import Clock

pytestmark = pytest.mark.usefixtures("morning")

DAY = "from=2026-11-23&to=2026-11-23"


async def test_a_marketer_reads_the_analytics_in_vietnamese(
    client: TestClient[Any, Any], services: Components, browser_page: Any, clock: Clock
) -> None:
    page = browser_page
    base = site(client)
    await seed(client, services, clock)
    await services.accounts.add("mai", Role.MARKETER, PASSWORD, by="test")
    await page.set_viewport_size({"width": 1280, "height": 900})
    await log_in(page, base, "mai")
    await page.goto(f"{base}/console/analytics?lang=vi&{DAY}")
    main = await page.inner_text("main")
    for english in ("awareness", "consideration", "onboarding", "advocacy", "CSAT 4"):
        assert english not in main
    assert "Nhận biết" in await page.text_content("svg[aria-labelledby=per-stage-title]")
    funnel = await page.text_content("#funnel-chart") or ""
    assert "Quyết định" in funnel and "2 → 100%" in funnel
    assert await page.inner_text("#handoffs-closed") == "1"
    assert await page.inner_text("#first-response") == "2 phút"
    assert await page.inner_text("#csat") == "4/5 (1 câu trả lời)"
    assert await page.inner_text("#churn-risk") == "0 (0 mới trong khoảng này)"
    comment = await page.inner_text(".comments li")
    assert comment.startswith("10/10 · rest:fan · 2026-11-23 1")
    assert comment.endswith("“the stock reports”")
    assert await no_sideways_scroll(page)
    await page.screenshot(path=screenshot_path("analytics-vi"), full_page=True)

    async with page.expect_download() as download_info:
        await page.click("a[href^='/console/analytics/funnel.csv']")
    download = await download_info.value
    rows = list(csv.reader(io.StringIO((await download.path()).read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["stage", "Giai đoạn", "Đã vào"]
    assert ["decision", "Quyết định", "2", "2", "2"] in rows

    # Day by day: nobody before the seeded day, then today's stages.
    await page.goto(f"{base}/console/analytics?lang=vi&from=2026-11-21&to=2026-11-23")
    assert await page.locator("#over-time-chart polyline").count() == 6
    async with page.expect_download() as download_info:
        await page.click("a[href^='/console/analytics/over_time.csv']")
    download = await download_info.value
    days = list(csv.reader(io.StringIO((await download.path()).read_text(encoding="utf-8"))))
    assert days[0] == [
        "day",
        "Nhận biết",
        "Cân nhắc",
        "Quyết định",
        "Làm quen",
        "Giữ chân",
        "Lan tỏa",
    ]
    assert days[1:] == [
        ["2026-11-21", "0", "0", "0", "0", "0", "0"],
        ["2026-11-22", "0", "0", "0", "0", "0", "0"],
        ["2026-11-23", "1", "1", "0", "1", "0", "1"],
    ]
    await page.screenshot(path=screenshot_path("analytics-over-time"), full_page=True)
    await page.set_viewport_size({"width": 390, "height": 844})
    assert await no_sideways_scroll(page)
