"""The one wiring function: builds every long-lived object and the web application."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import replace

from aiohttp import web
from redis.asyncio import Redis

from actions.context import Links
from bot import health
from bot.admin import analytics as admin_analytics
from bot.admin import broadcasts as admin_broadcasts
from bot.admin import handoffs as admin_handoffs
from bot.admin import users as admin_users
from bot.admin.auth import require_admin_token
from bot.channels import rest, webchat
from bot.channels.telegram.channel import build_telegram
from bot.channels.telegram.customer import CHANNEL as TELEGRAM
from bot.channels.telegram.proactive import TelegramDeliverer
from bot.config import Settings
from bot.console import inbox_pages as console_inbox
from bot.console import policy_pages as console_policies
from bot.console import team_pages as console_team
from bot.console import views as console_views
from bot.console.accounts import Accounts
from bot.console.sessions import Sessions
from bot.console.studio.routes import routes as console_studio
from bot.delivery import Delivery, OutboxDeliverer
from bot.engine import Engine
from bot.handoff import HandoffDesk
from bot.metrics import Metrics
from bot.nlu import Nlu
from bot.nlu.intents import domain_intents
from bot.policies.active import ActivePolicies
from bot.policies.loader import load_policies
from bot.policies.reload import PolicyFollower
from bot.policies.render import Renderer
from bot.policies.revisions import Revisions
from bot.scheduler.broadcasts import Broadcasts
from bot.scheduler.follow_ups import FollowUpPlanner
from bot.scheduler.guardrails import Guardrails, QuietHours
from bot.scheduler.jobs import JobQueue
from bot.scheduler.loop import Scheduler
from bot.services import SERVICES, Services
from bot.store.connection import connect
from bot.store.embedded import embedded_redis
from bot.store.keys import Keys
from bot.store.ordering import TurnLocks
from bot.store.outbox import Outbox
from bot.store.referrals import ReferralStore
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


def build_services(
    settings: Settings,
    redis: Redis,
    nlu: Nlu | None,
    *,
    clock: Callable[[], float] = time.time,
) -> Services:
    """Every long-lived object of the bot, wired together; `clock` is for tests."""
    keys = Keys(settings.redis_prefix)
    metrics = Metrics()
    users = Users(redis, keys)
    transcript = Transcript(redis, keys)
    outbox = Outbox(redis, keys, transcript)
    jobs = JobQueue(redis, keys)
    revisions = Revisions(redis, keys)
    intents = domain_intents(settings.nlu_dir)
    policies = ActivePolicies(load_policies(settings.policies_dir, intents))
    turns, locks, renderer = Turns(redis, keys, transcript), TurnLocks(redis, keys), Renderer()
    delivery = Delivery()
    delivery.register(rest.CHANNEL, OutboxDeliverer(outbox))
    handoffs = HandoffDesk(
        redis=redis,
        keys=keys,
        users=users,
        turns=turns,
        locks=locks,
        jobs=jobs,
        delivery=delivery,
        policies=policies,
        renderer=renderer,
        sla_minutes=settings.support_sla_minutes,
        clock=clock,
    )
    engine = Engine(
        users=users,
        turns=turns,
        locks=locks,
        nlu=nlu,
        policies=policies,
        renderer=renderer,
        referrals=ReferralStore(redis, keys),
        links=Links(settings.telegram_bot_username, settings.web_chat_url),
        default_locale=settings.default_locale,
        clock=clock,
        planner=FollowUpPlanner(jobs),
        handoffs=handoffs,
        metrics=metrics,
    )
    broadcasts = Broadcasts(redis, keys, users, jobs, clock)
    guardrails = Guardrails(
        redis,
        keys,
        quiet_hours=QuietHours.parse(settings.quiet_hours),
        time_zone=settings.time_zone,
        daily_cap=settings.proactive_daily_cap,
    )
    accounts = Accounts(redis, keys)
    services = Services(
        settings=settings,
        redis=redis,
        keys=keys,
        engine=engine,
        users=users,
        transcript=transcript,
        outbox=outbox,
        delivery=delivery,
        handoffs=handoffs,
        broadcasts=broadcasts,
        scheduler=Scheduler(
            jobs,
            engine,
            guardrails,
            delivery,
            broadcasts,
            handoffs,
            clock=clock,
            poll_seconds=settings.scheduler_poll_seconds,
            metrics=metrics,
        ),
        policies=policies,
        intents=intents,
        revisions=revisions,
        follower=PolicyFollower(
            redis, revisions, policies, intents, poll_seconds=settings.policy_poll_seconds
        ),
        accounts=accounts,
        sessions=Sessions(redis, keys, accounts),
        nlu=nlu,
        admin_token=admin_token(settings),
        metrics=metrics,
    )
    if settings.telegram_bot_token is not None:
        telegram = build_telegram(services)
        delivery.register(TELEGRAM, TelegramDeliverer(telegram.sender))
        if telegram.support is not None:
            handoffs.relays.append(telegram.support)
        services = replace(services, telegram=telegram)
    return services


def build_app(services: Services) -> web.Application:
    """The aiohttp application: REST channel, admin API and `/healthz`."""
    app = web.Application(
        middlewares=[webchat.cross_origin, require_admin_token], client_max_size=64 * 1024
    )
    app[SERVICES] = services
    tables = (
        rest.routes,
        webchat.routes,
        admin_users.routes,
        admin_handoffs.routes,
        admin_broadcasts.routes,
        admin_analytics.routes,
        console_views.routes,
        console_policies.routes,
        console_inbox.routes,
        console_team.routes,
        console_studio,
        health.routes,
    )
    for table in tables:
        app.router.add_routes(table)
    if services.telegram is not None and services.telegram.webhook_url is not None:
        services.telegram.register_webhook(app)
    return app


@asynccontextmanager
async def redis_connection(settings: Settings) -> AsyncIterator[Redis]:
    """A Redis client for `REDIS_URL`, or for an embedded server when it is unset."""
    async with AsyncExitStack() as stack:
        url = settings.redis_url or stack.enter_context(embedded_redis(settings.data_dir))
        redis = connect(url)
        stack.push_async_callback(redis.aclose)
        await redis.ping()
        yield redis
