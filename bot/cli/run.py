"""`python -m bot run`: serve the channels, the admin API, the console and the health check."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import Any

from aiohttp import web

from bot.cli import loop as event_loop
from bot.config import Settings
from bot.errors import BotError
from bot.nlu_wiring import nlu_session
from bot.store.connection import redis_connection
from bot.web.app import build_app
from bot.web.server import Listener, ServerLimits
from bot.wiring import Components, build_components

log = logging.getLogger(__name__)


def register(commands: Any) -> None:
    """Add the `run` command."""
    parser: argparse.ArgumentParser = commands.add_parser("run", help="run the bot")
    parser.add_argument("--host", help="override HTTP_HOST")
    parser.add_argument("--port", type=int, help="override HTTP_PORT")
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    settings = Settings()
    logging.getLogger().setLevel(settings.log_level.upper())
    if args.host:
        settings.http_host = args.host
    if args.port is not None:
        settings.http_port = args.port
    try:
        event_loop.run(serve(settings))
    except BotError as exc:
        log.error("%s", exc)
        return 1
    return 0


async def serve(settings: Settings) -> None:
    """Run until SIGINT or SIGTERM; every process started here is stopped on the way out."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with redis_connection(settings) as redis, nlu_session(settings) as nlu:
        components = build_components(settings, redis, nlu)
        await components.follower.seed(settings.policies_dir)
        follower = asyncio.create_task(components.follower.run())
        scheduler = asyncio.create_task(components.scheduler.run())
        webhooks = asyncio.create_task(components.customer_data.sender.run())
        endpoints = asyncio.create_task(components.customer_data.endpoint_cache.run())
        limits = ServerLimits.of(settings)
        runner = web.AppRunner(build_app(components), access_log=None, **limits.runner_options())
        await runner.setup()
        listener = Listener(runner, limits)
        try:
            await listener.start(settings.http_host, settings.http_port)
            base = f"http://{settings.http_host}:{settings.http_port}"
            log.info(
                "bot ready on %s (REST: %s/webhooks/rest/webhook, admin: %s/api/)", base, base, base
            )
            if settings.admin_token is None:
                log.info("admin token: %s/admin_token", settings.data_dir)
            await _tell_where(components, base)
            await components.channels.start()
            await stop.wait()
            log.info("stopping")
        finally:
            follower.cancel()
            scheduler.cancel()
            webhooks.cancel()
            endpoints.cancel()
            await components.channels.stop()
            await listener.stop()
            await runner.cleanup()


async def _tell_where(components: Components, base: str) -> None:
    """Where people go: the console and the web chat, and the first account if none exists."""
    log.info("console: %s/console   web chat: %s/chat", base, base)
    if not await components.accounts.roster():
        log.info(
            "no console account yet: create the first with "
            "`.venv/bin/python -m bot users add <name> --role admin`"
        )
