"""What the HTTP handlers may use, one `web.AppKey` per service.

A handler takes only what it needs (`request.app[HANDOFFS]`); `bot/web/app.py` puts each
service in the application. The channels' routes get theirs from their channel object.
"""

from __future__ import annotations

from aiohttp import web
from redis.asyncio import Redis

from bot.analytics.records import CustomerRecords
from bot.channels.registry import Channels
from bot.console.accounts import Accounts
from bot.console.sessions import Sessions
from bot.console.throttle import LoginThrottle
from bot.customers.intake import EventIntake
from bot.customers.privacy import CustomerPrivacy
from bot.engine import Engine
from bot.handoff import HandoffDesk
from bot.inbox.listing import Inbox
from bot.linking.build import Linking
from bot.metrics import Metrics
from bot.nlu import Nlu
from bot.policies.active import ActivePolicies
from bot.policies.reload import PolicyFollower
from bot.policies.revisions import Revisions
from bot.scheduler.broadcasts import Broadcasts
from bot.scheduler.jobs import JobQueue
from bot.store.transcript import Transcript
from bot.store.users import Users
from bot.webhooks.endpoints import Endpoints
from bot.webhooks.queue import DeliveryQueue

ADMIN_TOKEN = web.AppKey("admin_token", str)
EVENTS_KEY: web.AppKey[str | None] = web.AppKey("events_key")
EVENT_INTAKE = web.AppKey("event_intake", EventIntake)
PRIVACY = web.AppKey("privacy", CustomerPrivacy)
LINKING = web.AppKey("linking", Linking)
WEBHOOK_ENDPOINTS = web.AppKey("webhook_endpoints", Endpoints)
WEBHOOK_DELIVERIES = web.AppKey("webhook_deliveries", DeliveryQueue)
REDIS = web.AppKey("redis", Redis)
CHANNELS = web.AppKey("channels", Channels)
NLU: web.AppKey[Nlu | None] = web.AppKey("nlu")
METRICS = web.AppKey("metrics", Metrics)
ENGINE = web.AppKey("engine", Engine)
USERS = web.AppKey("users", Users)
TRANSCRIPT = web.AppKey("transcript", Transcript)
HANDOFFS = web.AppKey("handoffs", HandoffDesk)
BROADCASTS = web.AppKey("broadcasts", Broadcasts)
JOBS = web.AppKey("jobs", JobQueue)
RECORDS = web.AppKey("records", CustomerRecords)
POLICIES = web.AppKey("policies", ActivePolicies)
INTENTS: web.AppKey[frozenset[str]] = web.AppKey("intents")
REVISIONS = web.AppKey("revisions", Revisions)
FOLLOWER = web.AppKey("follower", PolicyFollower)
ACCOUNTS = web.AppKey("accounts", Accounts)
SESSIONS = web.AppKey("sessions", Sessions)
TIME_ZONE = web.AppKey("time_zone", str)  # local times on console pages
LOGIN_THROTTLE = web.AppKey("login_throttle", LoginThrottle)
INBOX = web.AppKey("inbox", Inbox)
