"""The wiring: every long-lived object of a bot process, built once, in one place.

`build_core` makes the turn engine with the stores and desks it works with (the studio
simulator builds one under a throw-away key prefix); `build_components` adds the
channels, the scheduler, the policy follower and the console. What they return is for
the entry points (`bot run`, `bot chat`, `bot broadcast`, the tests): the web app's
handlers get each service on its own (`bot/web/keys.py`), the channels what they use.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, fields

from redis.asyncio import Redis

from actions.context import Links
from bot.analytics.records import CustomerRecords
from bot.channels.messenger.build import build_messenger
from bot.channels.registry import Channels
from bot.channels.rest.access import ChatAccess
from bot.channels.rest.channel import RestChannel
from bot.channels.shared.last_inbound import LastInbound
from bot.channels.shared.platform import PlatformNeeds
from bot.channels.telegram.build import TelegramNeeds, build_telegram
from bot.channels.telegram.channel import TelegramChannel
from bot.channels.zalo.build import build_zalo
from bot.config import Settings
from bot.console.accounts import Accounts
from bot.console.sessions import Sessions
from bot.console.studio.needs import SandboxFactory
from bot.console.throttle import LoginLimits, LoginThrottle
from bot.credentials import admin_token, generated_secret, web_chat_origins
from bot.customers.services import CustomerData, customer_data
from bot.engine import Engine
from bot.handoff import HandoffDesk
from bot.inbox.wiring import Assignments, Inbox, build_inbox
from bot.ingest.queue import IngestQueue
from bot.ingest.workers import Ingest
from bot.metrics import Metrics
from bot.nlu import Nlu
from bot.nlu.intents import domain_intents
from bot.policies.active import ActivePolicies
from bot.policies.channel_limits import stricter_than_schema
from bot.policies.loader import load_policies
from bot.policies.reload import PolicyFollower
from bot.policies.render import Renderer
from bot.policies.revisions import Revisions
from bot.policies.schema import PolicySet
from bot.scheduler.broadcasts import Broadcasts
from bot.scheduler.follow_ups import FollowUpPlanner
from bot.scheduler.guardrails import Guardrails, QuietHours
from bot.scheduler.jobs import JobQueue
from bot.scheduler.loop import Scheduler
from bot.store.keys import Keys
from bot.store.misunderstood import MisunderstoodLog
from bot.store.observed import ObservedTurns
from bot.store.ordering import TurnLocks
from bot.store.outbox import Outbox
from bot.store.reachability import Reachability
from bot.store.referrals import ReferralStore
from bot.store.support_topics import SupportTopics
from bot.store.transcript import Transcript
from bot.store.users import Users

log = logging.getLogger(__name__)

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Core:
    """The turn engine and what it works with, under one Redis key prefix."""

    redis: Redis
    keys: Keys
    users: Users
    transcript: Transcript
    outbox: Outbox
    jobs: JobQueue
    turns: ObservedTurns
    reachability: Reachability
    policies: ActivePolicies
    channels: Channels  # empty here; `build_components` registers the channels
    handoffs: HandoffDesk
    engine: Engine
    metrics: Metrics


@dataclass(frozen=True, slots=True)
class Components(Core):
    """Everything a bot process runs, for the entry points; never handed to a handler."""

    settings: Settings
    nlu: Nlu | None
    intents: frozenset[str]
    revisions: Revisions
    follower: PolicyFollower
    broadcasts: Broadcasts
    scheduler: Scheduler
    accounts: Accounts
    sessions: Sessions
    login_throttle: LoginThrottle
    records: CustomerRecords
    sandbox: SandboxFactory  # the studio's simulator: an engine under a throw-away prefix
    admin_token: str
    ingest: Ingest
    inbox: Inbox
    customer_data: CustomerData  # product events in, webhooks out
    telegram: TelegramChannel | None = None  # with TELEGRAM_BOT_TOKEN


def build_core(
    settings: Settings,
    redis: Redis,
    nlu: Nlu | None,
    policies: ActivePolicies,
    *,
    clock: Clock = time.time,
) -> Core:
    """The engine with its stores, handoff desk and (empty) channel registry."""
    users, jobs = Users(redis, keys := Keys(settings.redis_prefix)), JobQueue(redis, keys)
    transcript = Transcript(redis, keys, keep=settings.transcript_keep)
    turns, locks = ObservedTurns(redis, keys, transcript), TurnLocks(redis, keys)
    channels, metrics, renderer = Channels(), Metrics(), Renderer()
    handoffs = HandoffDesk(
        redis=redis,
        keys=keys,
        users=users,
        turns=turns,
        locks=locks,
        jobs=jobs,
        delivery=channels,
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
        digression_confidence=settings.digression_confidence,
        misunderstood=MisunderstoodLog.from_settings(redis, settings),
        handoff_ack_after_minutes=settings.handoff_ack_after_minutes,
    )
    handoffs.on_return = engine.returned
    outbox, reachability = Outbox(redis, keys, transcript), Reachability(redis, keys)
    return Core(
        redis, keys, users, transcript, outbox, jobs, turns, reachability, policies,
        channels, handoffs, engine, metrics,
    )  # fmt: skip


def build_components(
    settings: Settings, redis: Redis, nlu: Nlu | None, *, clock: Clock = time.time
) -> Components:
    """Every long-lived object of the bot, wired together; `clock` is for tests."""
    intents = domain_intents(settings.nlu_dir)
    policies = ActivePolicies(load_policies(settings.policies_dir, intents))
    core = build_core(settings, redis, nlu, policies, clock=clock)
    ingest = Ingest(
        IngestQueue(redis, core.keys, shards=settings.ingest_shards),
        claim_seconds=settings.ingest_claim_seconds,
    )
    # The channels: one registration line each.
    core.channels.register(rest_channel(settings, core))
    telegram = None
    if settings.telegram_bot_token is not None:
        telegram = core.channels.register(telegram_channel(settings, core, ingest))
    needs = platform_needs(core, ingest, clock)
    if settings.zalo_app_id is not None:
        core.channels.register(build_zalo(settings, needs))
    if settings.messenger_page_access_token is not None:
        core.channels.register(build_messenger(settings, needs))
    limits = core.channels.limits()
    if any(stricter_than_schema(limit) for limit in limits.values()):
        # The policies again, against the enabled channels' limits (a PolicyError stops here).
        load_policies(settings.policies_dir, intents, limits=limits)
    revisions = Revisions(redis, core.keys)
    broadcasts = Broadcasts(redis, core.keys, core.users, core.jobs, clock)
    accounts = Accounts(redis, core.keys)
    return Components(
        **{f.name: getattr(core, f.name) for f in fields(Core)},
        settings=settings,
        nlu=nlu,
        intents=intents,
        revisions=revisions,
        follower=PolicyFollower(
            redis, revisions, policies, intents, poll_seconds=settings.policy_poll_seconds
        ),
        broadcasts=broadcasts,
        scheduler=scheduler(settings, core, broadcasts, clock),
        accounts=accounts,
        sessions=Sessions(redis, core.keys, accounts),
        login_throttle=LoginThrottle(redis, core.keys, LoginLimits.of(settings)),
        records=CustomerRecords(redis, core.keys, core.users),
        sandbox=sandboxes(settings, redis, nlu),
        admin_token=admin_token(settings),
        ingest=ingest,
        inbox=(inbox := build_inbox(redis, core, clock)),
        customer_data=customer_data(redis, core, settings, clock, inbox.tickets),
        telegram=telegram,
    )


def rest_channel(settings: Settings, core: Core) -> RestChannel:
    """The REST channel and the web chat."""
    return RestChannel(
        turns=core.engine,
        users=core.users,
        outbox=core.outbox,
        reachability=core.reachability,
        origins=web_chat_origins(settings),
        access=ChatAccess(
            generated_secret(settings, "web_chat_secret", settings.web_chat_secret),
            None if settings.rest_token is None else settings.rest_token.get_secret_value(),
        ),
    )


def platform_needs(core: Core, ingest: Ingest, clock: Clock) -> PlatformNeeds:
    """What the webhook platform channels (Zalo, Messenger) use of the core."""
    return PlatformNeeds(
        redis=core.redis,
        keys=core.keys,
        engine=core.engine,
        users=core.users,
        turns=core.turns,
        reachability=core.reachability,
        last_inbound=LastInbound(core.redis, core.keys),
        ingest=ingest,
        metrics=core.metrics,
        clock=clock,
    )


def telegram_channel(settings: Settings, core: Core, ingest: Ingest) -> TelegramChannel:
    """The Telegram channel; with `SUPPORT_CHAT_ID` its relay hears about every handoff."""
    chat_id = settings.support_chat_id
    needs = TelegramNeeds(
        engine=core.engine,
        users=core.users,
        turns=core.turns,
        transcript=core.transcript,
        handoffs=core.handoffs,
        reachability=core.reachability,
        topics=None if chat_id is None else SupportTopics(core.redis, core.keys, chat_id),
        ingest=ingest,
        assignments=Assignments(core.redis, core.keys),
    )
    telegram = build_telegram(settings, needs)
    if telegram.support is not None:
        core.handoffs.relays.append(telegram.support)
    return telegram


def scheduler(settings: Settings, core: Core, broadcasts: Broadcasts, clock: Clock) -> Scheduler:
    """The scheduler of follow-ups, broadcasts and handoff SLAs, within the guardrails."""
    guardrails = Guardrails(
        core.redis,
        core.keys,
        unreachable=core.channels.unreachable,
        quiet_hours=QuietHours.parse(settings.quiet_hours),
        time_zone=settings.time_zone,
        daily_cap=settings.proactive_daily_cap,
    )
    return Scheduler(
        core.jobs,
        core.engine,
        guardrails,
        core.channels,
        broadcasts,
        core.handoffs,
        clock=clock,
        poll_seconds=settings.scheduler_poll_seconds,
        metrics=core.metrics,
    )


def sandboxes(settings: Settings, redis: Redis, nlu: Nlu | None) -> SandboxFactory:
    """Engines for the studio's simulator: a `build_core` under a key prefix of its own."""

    def sandbox(prefix: str, draft: PolicySet) -> Core:
        isolated = settings.model_copy(update={"redis_prefix": prefix})
        return build_core(isolated, redis, nlu, ActivePolicies(draft))

    return sandbox
