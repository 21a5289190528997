"""The bot's web app on a real port, served from its own thread and event loop.

For tests that speak raw HTTP from synchronous code (the Hypothesis fuzzer, socket-level
clients): the server runs as `bot run` serves it, with `ServerLimits` and `Listener`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from aiohttp import web
from redis.asyncio import Redis

from bot.config import Settings
from bot.web.app import build_app
from bot.web.server import Listener, ServerLimits
from bot.wiring import Components, build_components

T = TypeVar("T")
Setup = Callable[[Components], Awaitable[None]]


class LiveBot:
    """`with LiveBot(settings) as bot:` serves on `bot.port` until the block ends."""

    def __init__(self, settings: Settings, redis_url: str, setup: Setup | None = None) -> None:
        self.settings = settings
        self._redis_url = redis_url
        self._setup = setup
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._main, name="live-bot", daemon=True)
        self.port = 0
        self.components: Components | None = None

    def __enter__(self) -> LiveBot:
        self._thread.start()
        self._ready.wait(60)
        if self._failure is not None:
            raise self._failure
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(30)

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        """Run `coroutine` on the server's loop (e.g. a store read) and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def _main(self) -> None:
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as exc:
            self._failure = exc
            self._ready.set()
        finally:
            self._loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        redis = Redis.from_url(self._redis_url, decode_responses=True)
        try:
            components = build_components(self.settings, redis, nlu=None)
            await components.follower.seed(self.settings.policies_dir)
            if self._setup is not None:
                await self._setup(components)
            limits = ServerLimits.of(self.settings)
            runner = web.AppRunner(
                build_app(components), access_log=None, **limits.runner_options()
            )
            await runner.setup()
            listener = Listener(runner, limits)
            self.port = await listener.start("127.0.0.1", 0)
            self.components = components
            self._ready.set()
            await self._stop.wait()
            await listener.stop()
            await runner.cleanup()
        finally:
            keys = [k async for k in redis.scan_iter(match=f"{self.settings.redis_prefix}:*")]
            if keys:
                await redis.delete(*keys)
            await redis.aclose()
