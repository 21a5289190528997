"""`GET /healthz` (whether this replica can serve customers) and `GET /metrics`."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from redis.exceptions import RedisError

from bot.channels.registry import Channels
from bot.web.keys import CHANNELS, HANDOFFS, JOBS, METRICS, NLU, POLICIES, REDIS, USERS

routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    """200 while Redis answers, else 503; the NLU state is reported, not required.

    A dead Rasa does not fail the check: the bot still serves buttons and offers a human
    in degraded mode, and a load balancer must not take every replica out for it.
    """
    nlu = request.app[NLU]
    body: dict[str, Any] = {"policies": request.app[POLICIES].current.revision}
    try:
        await request.app[REDIS].ping()
        body["redis"] = "up"
    except (RedisError, OSError) as exc:
        body["redis"] = f"down: {exc}"
    body["nlu"] = nlu.health() if nlu is not None else {"state": "disabled"}
    body["channels"] = await _channels(request.app[CHANNELS])
    status = 200 if body["redis"] == "up" else 503
    body["status"] = "ok" if status == 200 else "unavailable"
    return web.json_response(body, status=status)


async def _channels(channels: Channels) -> dict[str, Any]:
    """Each enabled channel's own report; one that cannot tell says why (Redis down)."""
    reports: dict[str, Any] = {}
    for channel in channels:
        try:
            reports[channel.name] = await channel.health()
        except (RedisError, OSError) as exc:
            reports[channel.name] = {"state": f"unknown: {exc}"}
    return reports


@routes.get("/metrics")
async def metrics(request: web.Request) -> web.Response:
    """Prometheus text format: this process's counters, and gauges read from Redis."""
    counters, nlu = request.app[METRICS], request.app[NLU]
    nlu_up = int(nlu is not None and nlu.health()["state"] == "up")
    lines = [
        "# HELP engagebot_turns_total Customer turns handled by this process.",
        "# TYPE engagebot_turns_total counter",
        *(f'engagebot_turns_total{{channel="{c}"}} {n}' for c, n in sorted(counters.turns.items())),
        "# HELP engagebot_turn_seconds_total Time spent in customer turns by this process.",
        "# TYPE engagebot_turn_seconds_total counter",
        f"engagebot_turn_seconds_total {counters.turn_seconds_sum:.6f}",
        "# HELP engagebot_intents_total Understood intents, by intent.",
        "# TYPE engagebot_intents_total counter",
        *(
            f'engagebot_intents_total{{intent="{i}"}} {n}'
            for i, n in sorted(counters.intents.items())
        ),
        "# HELP engagebot_proactive_total Proactive messages by outcome.",
        "# TYPE engagebot_proactive_total counter",
        *(
            f'engagebot_proactive_total{{outcome="{o}"}} {n}'
            for o, n in sorted(counters.proactive.items())
        ),
        "# HELP engagebot_deliveries_total Reply batches sent to Zalo and Messenger, by outcome.",
        "# TYPE engagebot_deliveries_total counter",
        *(
            f'engagebot_deliveries_total{{channel="{c}",outcome="{o}"}} {n}'
            for (c, o), n in sorted(counters.deliveries.items())
        ),
        "# HELP engagebot_customers Customers known.",
        "# TYPE engagebot_customers gauge",
        f"engagebot_customers {await request.app[USERS].count()}",
        "# HELP engagebot_handoffs_open Conversations a person owns now.",
        "# TYPE engagebot_handoffs_open gauge",
        f"engagebot_handoffs_open {await request.app[HANDOFFS].open_count()}",
        "# HELP engagebot_jobs_pending Scheduled jobs waiting (follow-ups, broadcasts, SLAs).",
        "# TYPE engagebot_jobs_pending gauge",
        f"engagebot_jobs_pending {await request.app[JOBS].pending()}",
        "# HELP engagebot_policy_revision The published policy revision this process runs.",
        "# TYPE engagebot_policy_revision gauge",
        f"engagebot_policy_revision {request.app[POLICIES].number or 0}",
        "# HELP engagebot_nlu_up Whether the NLU server answers (1) or not (0).",
        "# TYPE engagebot_nlu_up gauge",
        f"engagebot_nlu_up {nlu_up}",
    ]
    return web.Response(text="\n".join(lines) + "\n", content_type="text/plain", charset="utf-8")
