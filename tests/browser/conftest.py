"""A real headless Chromium (Debian's `chromium`) driven by Playwright."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"


@pytest.fixture
async def browser_page() -> AsyncIterator[object]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("no chromium binary (Debian package chromium): browser tests skipped")
    playwright_api = pytest.importorskip("playwright.async_api")
    async with playwright_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = await browser.new_context()
            yield await context.new_page()
        finally:
            await browser.close()


def screenshot_path(name: str) -> str:
    """Where a test saves a screenshot of a page (kept as a CI artifact)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / f"{name}.png")
