"""The admin's webhooks page: the CRM endpoints, adding one, its secret, on/off, a test.

Every change is a form POST (role, origin and CSRF checked by `requires`), audited, then
a redirect to the page with a one-time message (`Sessions.flash`): a new secret is shown
there once, never put in a URL. A form with a mistake comes back (422) with what was
typed and the problem next to its field.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from bot.console.accounts import Role
from bot.console.campaign_pages import local_time
from bot.console.pages import lang, render, requires
from bot.console.sessions import Session
from bot.console.webhook_labels import (
    EVENT_MEANINGS,
    STATUSES,
    URL_PROBLEMS_VI,
    meaning,
    webhook_words,
)
from bot.web.forms import read_form
from bot.web.keys import ACCOUNTS, SESSIONS, TIME_ZONE, WEBHOOK_DELIVERIES, WEBHOOK_ENDPOINTS
from bot.webhooks.endpoints import ALL, EVENT_TYPES, Endpoint, url_problem
from bot.webhooks.ping import send_test

routes = web.RouteTableDef()
ENDPOINT = "{endpoint_id:we_[0-9a-f]{16}}"
MAX_DESCRIPTION = 200


def event_choices(language: str) -> list[dict[str, str]]:
    """The checkboxes: every event type the bot sends, then "all of them"."""
    return [
        {"name": name, "meaning": meaning(EVENT_MEANINGS.get(name, (name, name)), language)}
        for name in (*EVENT_TYPES, ALL)
    ]


def read_endpoint(
    form: MultiDictProxy[str], language: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """What the admin typed (kept for the form) and the problems by field."""
    words = webhook_words(language)
    url = form.get("url", "").strip()
    typed = {
        "url": url,
        "description": form.get("description", "").strip(),
        "events": [e for e in form.getall("events", []) if e in (*EVENT_TYPES, ALL)],
    }
    problems: dict[str, str] = {}
    problem = url_problem(url) if url else words["url_needed"]
    if problem is not None:
        problems["url"] = URL_PROBLEMS_VI.get(problem, problem) if language == "vi" else problem
    if not typed["events"]:
        problems["events"] = words["events_needed"]
    if len(typed["description"]) > MAX_DESCRIPTION:
        problems["description"] = words["description_long"]
    return typed, problems


async def _row(request: web.Request, endpoint: Endpoint, language: str) -> dict[str, Any]:
    latest = await request.app[WEBHOOK_DELIVERIES].log(endpoint.id, 1)
    last = None
    if latest:
        delivery = latest[0]
        at = delivery.history[-1]["at"] if delivery.history else delivery.created
        last = {
            "status": delivery.status,
            "label": meaning(STATUSES[delivery.status], language),
            "when": local_time(float(at), request.app[TIME_ZONE]),
            "error": delivery.last_error,
        }
    shown = webhook_words(language)["all_events"] if ALL in endpoint.events else None
    return {
        "id": endpoint.id,
        "url": endpoint.url,
        "description": endpoint.description,
        "events": [shown] if shown else list(endpoint.events),
        "enabled": endpoint.enabled,
        "last": last,
    }


async def _page(
    request: web.Request, session: Session, typed: dict[str, Any], problems: dict[str, str]
) -> web.Response:
    language = lang(request)
    endpoints = await request.app[WEBHOOK_ENDPOINTS].all()
    return render(
        request,
        "webhooks.html",
        session=session,
        w=webhook_words(language),
        rows=[await _row(request, e, language) for e in endpoints],
        choices=event_choices(language),
        typed=typed,
        problems=problems,
        flash=await request.app[SESSIONS].take_flash(session) if not problems else {},
    )


@routes.get("/console/webhooks")
@requires(Role.ADMIN)
async def webhooks(request: web.Request, session: Session) -> web.StreamResponse:
    """Every endpoint with its last delivery, and the form to add one."""
    return await _page(request, session, {"url": "", "description": "", "events": []}, {})


@routes.post("/console/webhooks")
@requires(Role.ADMIN)
async def add(request: web.Request, session: Session) -> web.StreamResponse:
    """Add an endpoint and show its secret once; a mistake comes back with the form (422)."""
    language = lang(request)
    typed, problems = read_endpoint(await read_form(request), language)
    if problems:
        response = await _page(request, session, typed, problems)
        response.set_status(422)
        return response
    queue = request.app[WEBHOOK_DELIVERIES]
    endpoint = await request.app[WEBHOOK_ENDPOINTS].add(
        typed["url"], typed["events"], queue.now(), secret=None, description=typed["description"]
    )
    await request.app[ACCOUNTS].audit(
        session.name, f"webhook {endpoint.id} added: {endpoint.url} ({', '.join(endpoint.events)})"
    )
    return await _done(request, session, "added", endpoint)


async def _done(
    request: web.Request, session: Session, word: str, endpoint: Endpoint | None = None
) -> web.StreamResponse:
    """Back to the list with a message; with `endpoint`, its secret shown this once."""
    message = {"kind": "ok", "text": webhook_words(lang(request))[word]}
    if endpoint is not None:
        message |= {"secret": endpoint.secret, "endpoint": endpoint.id, "url": endpoint.url}
    await request.app[SESSIONS].flash(session, message)
    raise web.HTTPFound(f"/console/webhooks?lang={lang(request)}")


async def _endpoint(request: web.Request) -> Endpoint:
    endpoint = await request.app[WEBHOOK_ENDPOINTS].get(request.match_info["endpoint_id"])
    if endpoint is None:
        raise web.HTTPNotFound(text=webhook_words(lang(request))["gone"])
    return endpoint


@routes.post(f"/console/webhooks/{ENDPOINT}/rotate")
@requires(Role.ADMIN)
async def rotate(request: web.Request, session: Session) -> web.StreamResponse:
    """A new secret, shown once; the old one stops signing at once."""
    endpoint = await request.app[WEBHOOK_ENDPOINTS].rotate((await _endpoint(request)).id)
    if endpoint is None:
        raise web.HTTPNotFound(text=webhook_words(lang(request))["gone"])
    await request.app[ACCOUNTS].audit(session.name, f"webhook {endpoint.id}: new secret")
    return await _done(request, session, "rotated", endpoint)


@routes.post(f"/console/webhooks/{ENDPOINT}/" + "{switch:enable|disable}")
@requires(Role.ADMIN)
async def switch(request: web.Request, session: Session) -> web.StreamResponse:
    """Turn an endpoint on or off (off: no new deliveries)."""
    on = request.match_info["switch"] == "enable"
    endpoint = await request.app[WEBHOOK_ENDPOINTS].enable((await _endpoint(request)).id, on)
    if endpoint is None:
        raise web.HTTPNotFound(text=webhook_words(lang(request))["gone"])
    await request.app[ACCOUNTS].audit(
        session.name, f"webhook {endpoint.id} turned {'on' if on else 'off'}"
    )
    return await _done(request, session, "now_enabled" if on else "now_disabled")


@routes.post(f"/console/webhooks/{ENDPOINT}/delete")
@requires(Role.ADMIN)
async def delete(request: web.Request, session: Session) -> web.StreamResponse:
    """Remove an endpoint (the page asked to confirm first)."""
    endpoint = await _endpoint(request)
    await request.app[WEBHOOK_ENDPOINTS].remove(endpoint.id)
    await request.app[ACCOUNTS].audit(
        session.name, f"webhook {endpoint.id} deleted: {endpoint.url}"
    )
    return await _done(request, session, "deleted")


@routes.post(f"/console/webhooks/{ENDPOINT}/test")
@requires(Role.ADMIN)
async def test_event(request: web.Request, session: Session) -> web.StreamResponse:
    """Queue a signed test event to the endpoint; its delivery log shows what happened."""
    endpoint = await _endpoint(request)
    queue = request.app[WEBHOOK_DELIVERIES]
    await send_test(queue, endpoint, queue.now(), session.name)
    await request.app[ACCOUNTS].audit(session.name, f"webhook {endpoint.id}: test event sent")
    await request.app[SESSIONS].flash(
        session, {"kind": "ok", "text": webhook_words(lang(request))["test_queued"]}
    )
    raise web.HTTPFound(f"/console/webhooks/{endpoint.id}?lang={lang(request)}")
