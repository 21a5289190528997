"""What the fake platform servers share: serving on 127.0.0.1, posting to the bot."""

from __future__ import annotations

import aiohttp
from aiohttp import web


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    """Start `app` on a free port of 127.0.0.1; its runner and base URL."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


async def post_raw(url: str, raw: bytes, headers: dict[str, str]) -> int:
    """POST a signed webhook request to the bot, as the platform would; the HTTP status."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=raw, headers=headers) as response,
    ):
        await response.read()
        return response.status
