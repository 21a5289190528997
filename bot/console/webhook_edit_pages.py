"""Editing a webhook endpoint in the console: its URL, note and events, never its secret.

The form is the add form's fields prefilled with what the endpoint has now, checked the
same way (`read_endpoint`); a saved change is audited with what it was before, and keeps
the secret and on/off state so the CRM's signature check goes on working.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.console.accounts import Role
from bot.console.pages import lang, render, requires
from bot.console.sessions import Session
from bot.console.webhook_labels import webhook_words
from bot.console.webhook_pages import ENDPOINT, event_choices, read_endpoint
from bot.web.forms import read_form
from bot.web.keys import ACCOUNTS, SESSIONS, WEBHOOK_ENDPOINTS
from bot.webhooks.endpoints import Endpoint

routes = web.RouteTableDef()


async def _endpoint(request: web.Request) -> Endpoint:
    endpoint = await request.app[WEBHOOK_ENDPOINTS].get(request.match_info["endpoint_id"])
    if endpoint is None:
        raise web.HTTPNotFound(text=webhook_words(lang(request))["gone"])
    return endpoint


def _form(
    request: web.Request,
    session: Session,
    endpoint: Endpoint,
    typed: dict[str, Any],
    problems: dict[str, str],
) -> web.Response:
    language = lang(request)
    return render(
        request,
        "webhook_edit.html",
        session=session,
        w=webhook_words(language),
        endpoint_id=endpoint.id,
        choices=event_choices(language),
        typed=typed,
        problems=problems,
    )


@routes.get(f"/console/webhooks/{ENDPOINT}/edit")
@requires(Role.ADMIN)
async def edit_form(request: web.Request, session: Session) -> web.StreamResponse:
    """The endpoint's URL, note and events, ready to change."""
    endpoint = await _endpoint(request)
    now = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    return _form(request, session, endpoint, now, {})


@routes.post(f"/console/webhooks/{ENDPOINT}/edit")
@requires(Role.ADMIN)
async def save(request: web.Request, session: Session) -> web.StreamResponse:
    """Save the change; a mistake comes back with what was typed (422), nothing changed."""
    endpoint = await _endpoint(request)
    typed, problems = read_endpoint(await read_form(request), lang(request))
    if problems:
        response = _form(request, session, endpoint, typed, problems)
        response.set_status(422)
        return response
    changed = await request.app[WEBHOOK_ENDPOINTS].update(
        endpoint.id, typed["url"], typed["events"], typed["description"]
    )
    if changed is None:
        raise web.HTTPNotFound(text=webhook_words(lang(request))["gone"])
    await request.app[ACCOUNTS].audit(
        session.name,
        f"webhook {endpoint.id} changed: {endpoint.url} ({', '.join(endpoint.events)})"
        f" -> {changed.url} ({', '.join(changed.events)})",
    )
    text = webhook_words(lang(request))["updated"]
    await request.app[SESSIONS].flash(session, {"kind": "ok", "text": text})
    raise web.HTTPFound(f"/console/webhooks?lang={lang(request)}")
