"""The aiohttp application: the channels' routes, the admin API, the console, health."""

from __future__ import annotations

from aiohttp import web

from bot import health
from bot.admin import analytics as admin_analytics
from bot.admin import broadcasts as admin_broadcasts
from bot.admin import customers as admin_customers
from bot.admin import events as admin_events
from bot.admin import handoffs as admin_handoffs
from bot.admin import linking as admin_linking
from bot.admin import users as admin_users
from bot.admin import webhooks as admin_webhooks
from bot.admin.auth import require_admin_token
from bot.console import (
    analytics_pages,
    campaign_pages,
    conversation_pages,
    export_pages,
    inbox_pages,
    login_pages,
    review_pages,
    team_pages,
    webhook_edit_pages,
    webhook_log_pages,
    webhook_pages,
)
from bot.console.studio.needs import STUDIO, StudioNeeds
from bot.console.studio.routes import routes as studio_routes
from bot.store.misunderstood import MisunderstoodLog
from bot.web import keys
from bot.web.errors import errors
from bot.web.intake import BODY_LIMITS, BodyLimits, intake
from bot.wiring import Components

ROUTES = (
    admin_users.routes,
    admin_handoffs.routes,
    admin_broadcasts.routes,
    admin_analytics.routes,
    admin_events.routes,
    admin_customers.routes,
    admin_linking.routes,
    admin_webhooks.routes,
    login_pages.routes,
    analytics_pages.routes,
    campaign_pages.routes,
    export_pages.routes,
    inbox_pages.routes,
    conversation_pages.routes,
    team_pages.routes,
    webhook_pages.routes,
    webhook_log_pages.routes,
    webhook_edit_pages.routes,
    review_pages.routes,
    studio_routes,
    health.routes,
)


def build_app(components: Components) -> web.Application:
    """The web application of `components`: each handler reaches only its services."""
    limits = BodyLimits.of(components.settings)
    app = web.Application(
        # Errors outermost, so every refusal below is answered in the one shape; the
        # admin token before the body is read.
        middlewares=[errors, require_admin_token, intake],
        client_max_size=max(limits.max_bytes, limits.large_form_bytes, limits.events_bytes) + 1,
    )
    app[BODY_LIMITS] = limits
    provide(app, components)
    components.channels.register_routes(app)
    for table in ROUTES:
        app.router.add_routes(table)
    return app


def provide(app: web.Application, c: Components) -> None:
    """Put each service the handlers use under its key (`bot/web/keys.py`)."""
    app[keys.ADMIN_TOKEN] = c.admin_token
    key = c.settings.events_key
    app[keys.EVENTS_KEY] = None if key is None else key.get_secret_value()
    app[keys.EVENT_INTAKE] = c.customer_data.intake
    app[keys.PRIVACY] = c.customer_data.privacy
    app[keys.LINKING] = c.customer_data.linking
    app[keys.WEBHOOK_ENDPOINTS] = c.customer_data.endpoints
    app[keys.WEBHOOK_DELIVERIES] = c.customer_data.deliveries
    app[keys.REDIS] = c.redis
    app[keys.CHANNELS] = c.channels
    app[keys.NLU] = c.nlu
    app[keys.METRICS] = c.metrics
    app[keys.ENGINE] = c.engine
    app[keys.USERS] = c.users
    app[keys.TRANSCRIPT] = c.transcript
    app[keys.HANDOFFS] = c.handoffs
    app[keys.INBOX] = c.inbox
    app[keys.BROADCASTS] = c.broadcasts
    app[keys.JOBS] = c.jobs
    app[keys.RECORDS] = c.records
    app[keys.POLICIES] = c.policies
    app[keys.INTENTS] = c.intents
    app[keys.REVISIONS] = c.revisions
    app[keys.FOLLOWER] = c.follower
    app[keys.ACCOUNTS] = c.accounts
    app[keys.SESSIONS] = c.sessions
    app[STUDIO] = StudioNeeds(
        redis=c.redis,
        keys=c.keys,
        policies_dir=c.settings.policies_dir,
        time_zone=c.settings.time_zone,
        intents=c.intents,
        policies=c.policies,
        revisions=c.revisions,
        follower=c.follower,
        accounts=c.accounts,
        sandbox=c.sandbox,
    )
    app[keys.TIME_ZONE] = c.settings.time_zone
    app[review_pages.REVIEW] = review_pages.ReviewNeeds(
        MisunderstoodLog.from_settings(c.redis, c.settings),
        c.settings.nlu_dir,
        review_pages.model_is_current(c.settings),
    )
    app[keys.LOGIN_THROTTLE] = c.login_throttle
