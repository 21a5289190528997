"""What the browser tests do as a staff member: the console's address, logging in, page checks."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

PASSWORD = "correct horse battery"


def site(client: TestClient[Any, Any]) -> str:
    """The test server's address, without the trailing slash, for `f"{base}/console/..."`."""
    return str(client.make_url("")).rstrip("/")


async def log_in(page: Any, base: str, name: str, *, lang: str = "en") -> None:
    """Log in through the form; returns once the console's start page for the role is open."""
    await page.goto(f"{base}/console/login?lang={lang}")
    await page.fill("input[name=name]", name)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form button")
    await page.wait_for_url(lambda url: "/console/login" not in url)


async def no_sideways_scroll(page: Any) -> bool:
    width: bool = await page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    return width


async def unnamed_controls(page: Any) -> list[str]:
    """The page's visible controls a screen reader could not name (their HTML, shortened)."""
    unnamed: list[str] = await page.evaluate(
        """[...document.querySelectorAll(
                'main input:not([type=hidden]), main select, main textarea, main button')]
             .filter(e => !e.hidden && !(e.labels?.length) && !e.getAttribute('aria-label')
                          && !e.textContent.trim() && !e.getAttribute('aria-labelledby'))
             .map(e => e.outerHTML.slice(0, 80))"""
    )
    return unnamed
