"""The one wiring function: builds every long-lived object and the web application."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import replace

from aiohttp import web
from redis.asyncio import Redis

from bot import health
from bot.admin import users as admin_users
from bot.admin.auth import require_admin_token
from bot.channels import rest
from bot.channels.telegram.channel import build_telegram
from bot.config import Settings
from bot.engine import Engine
from bot.nlu import Nlu
from bot.policies.active import ActivePolicies
from bot.policies.loader import load_policies
from bot.policies.render import Renderer
from bot.services import SERVICES, Services
from bot.store.embedded import embedded_redis
from bot.store.keys import Keys
from bot.store.ordering import TurnLocks
from bot.store.outbox import Outbox
from bot.store.transcript import Transcript
from bot.store.turns import Turns
from bot.store.users import Users

log = logging.getLogger(__name__)


def admin_token(settings: Settings) -> str:
    """`ADMIN_TOKEN`, or a token generated once and kept in `DATA_DIR/admin_token`."""
    if settings.admin_token is not None:
        return settings.admin_token.get_secret_value()
    path = settings.data_dir / "admin_token"
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
        log.warning("ADMIN_TOKEN is not set; generated one in %s", path)
    return path.read_text().strip()


def build_services(settings: Settings, redis: Redis, nlu: Nlu | None) -> Services:
    """Every long-lived object of the bot, wired together."""
    keys = Keys(settings.redis_prefix)
    users = Users(redis, keys)
    transcript = Transcript(redis, keys)
    policies = ActivePolicies(load_policies(settings.policies_dir))
    engine = Engine(
        users=users,
        turns=Turns(redis, keys, transcript),
        locks=TurnLocks(redis, keys),
        nlu=nlu,
        policies=policies,
        renderer=Renderer(),
        default_locale=settings.default_locale,
    )
    services = Services(
        settings=settings,
        redis=redis,
        engine=engine,
        users=users,
        transcript=transcript,
        outbox=Outbox(redis, keys, transcript),
        policies=policies,
        nlu=nlu,
        admin_token=admin_token(settings),
    )
    if settings.telegram_bot_token is not None:
        services = replace(services, telegram=build_telegram(services))
    return services


def build_app(services: Services) -> web.Application:
    """The aiohttp application: REST channel, admin API and `/healthz`."""
    app = web.Application(middlewares=[require_admin_token], client_max_size=64 * 1024)
    app[SERVICES] = services
    for table in (rest.routes, admin_users.routes, health.routes):
        app.router.add_routes(table)
    if services.telegram is not None and services.telegram.webhook_url is not None:
        services.telegram.register_webhook(app)
    return app


@asynccontextmanager
async def redis_connection(settings: Settings) -> AsyncIterator[Redis]:
    """A Redis client for `REDIS_URL`, or for an embedded server when it is unset."""
    async with AsyncExitStack() as stack:
        url = settings.redis_url or stack.enter_context(embedded_redis(settings.data_dir))
        redis = Redis.from_url(url, decode_responses=True)
        stack.push_async_callback(redis.aclose)
        await redis.ping()
        yield redis
