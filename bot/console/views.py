"""The console's pages; roles are enforced here, on the server.

Login for everyone; analytics and policies for admins and marketers; the support inbox
for admins and support staff.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import jinja2
from aiohttp import web

from bot.admin.analytics import customers_csv, date_range, events_csv, figures
from bot.console.accounts import Role
from bot.console.labels import labels
from bot.console.sessions import COOKIE, SESSION_SECONDS, Session
from bot.handoff import HandoffClosed
from bot.services import SERVICES

routes = web.RouteTableDef()
LOGIN_CSRF = "engagebot_login_csrf"
_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("bot.console", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
Page = Callable[[web.Request, Session], Awaitable[web.StreamResponse]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def render(request: web.Request, name: str, **context: Any) -> web.Response:
    """A console page in the language of `?lang=` (Vietnamese by default)."""
    lang = "en" if request.query.get("lang") == "en" else "vi"
    context.setdefault("session", None)
    html = _TEMPLATES.get_template(name).render(lang=lang, t=labels(lang), **context)
    return web.Response(text=html, content_type="text/html")


def requires(
    *roles: Role,
) -> Callable[[Page], Callable[[web.Request], Awaitable[web.StreamResponse]]]:
    """Only a logged-in user with one of `roles` gets the page; POSTs need the CSRF token."""

    def wrap(page: Page) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            session = await request.app[SERVICES].sessions.find(request.cookies.get(COOKIE))
            if session is None:
                raise web.HTTPFound(f"/console/login?lang={request.query.get('lang', 'vi')}")
            if session.role not in roles:
                raise web.HTTPForbidden(text="this page is not for your role")
            if request.method == "POST":
                form = await request.post()
                if not secrets.compare_digest(str(form.get("csrf", "")), session.csrf):
                    raise web.HTTPForbidden(text="missing or wrong CSRF token")
            return await page(request, session)

        return handler

    return wrap


@routes.get("/console")
async def home(request: web.Request) -> web.StreamResponse:
    """The first page of the user's role."""
    session = await request.app[SERVICES].sessions.find(request.cookies.get(COOKIE))
    lang = request.query.get("lang", "vi")
    if session is None:
        raise web.HTTPFound(f"/console/login?lang={lang}")
    page = "inbox" if session.role is Role.SUPPORT else "analytics"
    raise web.HTTPFound(f"/console/{page}?lang={lang}")


@routes.get("/console/login")
async def login_form(request: web.Request) -> web.StreamResponse:
    """The login form, with a double-submit CSRF token."""
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", csrf=token, error=None)
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="Strict", max_age=3600)
    return response


@routes.post("/console/login")
async def login(request: web.Request) -> web.StreamResponse:
    """Check the password (throttled per name) and start a session."""
    services = request.app[SERVICES]
    accounts, sessions = services.accounts, services.sessions
    form = await request.post()
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    token = str(form.get("csrf", ""))
    t = labels("en" if request.query.get("lang") == "en" else "vi")
    if not token or not secrets.compare_digest(token, request.cookies.get(LOGIN_CSRF, "")):
        raise web.HTTPForbidden(text="missing or wrong CSRF token")
    if await sessions.locked(name):
        response = render(request, "login.html", csrf=token, error=t["locked"])
        response.set_status(429)
        return response
    role = await accounts.verify(name, password)
    if role is None:
        await sessions.failed(name)
        response = render(request, "login.html", csrf=token, error=t["wrong"])
        response.set_status(401)
        return response
    session = await sessions.start(name, role)
    await accounts.audit(name, "logged in")
    response = web.HTTPFound(f"/console?lang={request.query.get('lang', 'vi')}")
    secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
    response.set_cookie(
        COOKIE,
        session.id,
        httponly=True,
        samesite="Strict",
        secure=secure,
        max_age=SESSION_SECONDS,
    )
    raise response


@routes.post("/console/logout")
@requires(Role.ADMIN, Role.MARKETER, Role.SUPPORT)
async def logout(request: web.Request, session: Session) -> web.StreamResponse:
    """End the session."""
    await request.app[SERVICES].sessions.end(session)
    response = web.HTTPFound("/console/login")
    response.del_cookie(COOKIE)
    raise response


@routes.get("/console/analytics")
@requires(Role.ADMIN, Role.MARKETER)
async def analytics(request: web.Request, session: Session) -> web.StreamResponse:
    """The lifecycle dashboard over a date range (default: the last 30 days)."""
    try:
        start, end = date_range(request)
    except ValueError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from exc
    report = await figures(request.app[SERVICES], start, end)
    return render(request, "analytics.html", session=session, report=report, start=start, end=end)


@routes.get("/console/export/customers.csv")
@requires(Role.ADMIN, Role.MARKETER)
async def export_customers(request: web.Request, session: Session) -> web.StreamResponse:
    """The customers CSV, for a logged-in marketer."""
    return await customers_csv(request)


@routes.get("/console/export/events.csv")
@requires(Role.ADMIN, Role.MARKETER)
async def export_events(request: web.Request, session: Session) -> web.StreamResponse:
    """The events CSV, for a logged-in marketer."""
    return await events_csv(request)


@routes.get("/console/inbox")
@requires(Role.ADMIN, Role.SUPPORT)
async def inbox(request: web.Request, session: Session) -> web.StreamResponse:
    """The open handoffs, longest waiting first."""
    handoffs = await request.app[SERVICES].handoffs.open_handoffs()
    return render(request, "inbox.html", session=session, handoffs=handoffs)


@routes.post("/console/inbox/{user_id}/reply")
@requires(Role.ADMIN, Role.SUPPORT)
async def reply(request: web.Request, session: Session) -> web.StreamResponse:
    """A staff reply from the inbox, sent on the customer's channel."""
    form = await request.post()
    text = str(form.get("text", "")).strip()
    services = request.app[SERVICES]
    user_id = request.match_info["user_id"]
    if text:
        try:
            await services.handoffs.staff_reply(user_id, text, author=f"staff:{session.name}")
        except HandoffClosed as exc:
            raise web.HTTPConflict(text=str(exc)) from exc
        await services.accounts.audit(session.name, f"replied to {user_id}")
    lang = request.query.get("lang", "vi")
    if request.query.get("back") == "conversation":
        raise web.HTTPFound(f"/console/inbox/{user_id}?lang={lang}")
    raise web.HTTPFound(f"/console/inbox?lang={lang}")


@routes.post("/console/inbox/{user_id}/close")
@requires(Role.ADMIN, Role.SUPPORT)
async def close(request: web.Request, session: Session) -> web.StreamResponse:
    """Hand the customer back to the bot."""
    services = request.app[SERVICES]
    user_id = request.match_info["user_id"]
    try:
        await services.handoffs.close(user_id, by=f"staff:{session.name}")
    except HandoffClosed as exc:
        raise web.HTTPConflict(text=str(exc)) from exc
    await services.accounts.audit(session.name, f"closed the handoff of {user_id}")
    raise web.HTTPFound(f"/console/inbox?lang={request.query.get('lang', 'vi')}")
