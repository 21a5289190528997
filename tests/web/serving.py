"""The bot served as `bot run` serves it (limits, listener), on a free port of this loop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.web.app import build_app
from bot.web.server import Listener, ServerLimits
from bot.wiring import Components


@asynccontextmanager
async def serving(components: Components) -> AsyncIterator[str]:
    """Serve `components` on 127.0.0.1; yields the base URL."""
    limits = ServerLimits.of(components.settings)
    runner = web.AppRunner(build_app(components), access_log=None, **limits.runner_options())
    await runner.setup()
    listener = Listener(runner, limits)
    port = await listener.start("127.0.0.1", 0)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await listener.stop()
        await runner.cleanup()
