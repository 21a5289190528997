"""The long-lived objects of one bot process, built once by `bot.app.build_services`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web
from redis.asyncio import Redis

from bot.config import Settings
from bot.console.accounts import Accounts
from bot.console.sessions import Sessions
from bot.delivery import Delivery
from bot.engine import Engine
from bot.handoff import HandoffDesk
from bot.metrics import Metrics
from bot.nlu import Nlu
from bot.policies.active import ActivePolicies
from bot.policies.reload import PolicyFollower
from bot.policies.revisions import Revisions
from bot.scheduler.broadcasts import Broadcasts
from bot.scheduler.loop import Scheduler
from bot.store.keys import Keys
from bot.store.outbox import Outbox
from bot.store.transcript import Transcript
from bot.store.users import Users

if TYPE_CHECKING:
    from bot.channels.telegram.channel import TelegramChannel


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a request handler may need, injected through the aiohttp app."""

    settings: Settings
    redis: Redis
    keys: Keys
    engine: Engine
    users: Users
    transcript: Transcript
    outbox: Outbox
    delivery: Delivery
    handoffs: HandoffDesk
    broadcasts: Broadcasts
    scheduler: Scheduler
    policies: ActivePolicies
    intents: frozenset[str]
    revisions: Revisions
    follower: PolicyFollower
    accounts: Accounts
    sessions: Sessions
    nlu: Nlu | None
    admin_token: str
    metrics: Metrics
    telegram: TelegramChannel | None = None  # with TELEGRAM_BOT_TOKEN


SERVICES = web.AppKey("services", Services)
