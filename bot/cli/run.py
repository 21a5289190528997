"""`python -m bot run`: serve the REST channel, admin API, health check and Telegram."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from typing import Any

from aiohttp import web

from bot.app import build_app, build_services, redis_connection
from bot.config import Settings
from bot.errors import BotError
from bot.nlu_wiring import nlu_session

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
        asyncio.run(serve(settings))
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
        services = build_services(settings, redis, nlu)
        await services.follower.seed(settings.policies_dir)
        follower = asyncio.create_task(services.follower.run())
        scheduler = asyncio.create_task(services.scheduler.run())
        runner = web.AppRunner(build_app(services), access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, settings.http_host, settings.http_port).start()
            base = f"http://{settings.http_host}:{settings.http_port}"
            log.info(
                "bot ready on %s (REST: %s/webhooks/rest/webhook, admin: %s/api/)", base, base, base
            )
            if settings.admin_token is None:
                log.info("admin token: %s/admin_token", settings.data_dir)
            if services.telegram is not None:
                await services.telegram.start()
            await stop.wait()
            log.info("stopping")
        finally:
            follower.cancel()
            scheduler.cancel()
            if services.telegram is not None:
                await services.telegram.stop()
            await runner.cleanup()
