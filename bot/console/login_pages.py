"""Logging in and out of the console, and its front door that sends each role on."""

from __future__ import annotations

import secrets

from aiohttp import web

from bot.console.accounts import Role
from bot.console.labels import labels
from bot.console.pages import check_origin, lang, render, requires
from bot.console.sessions import COOKIE, SESSION_SECONDS, Session
from bot.errors import Forbidden
from bot.web.credentials import same_secret
from bot.web.forms import read_form
from bot.web.keys import ACCOUNTS, LOGIN_THROTTLE, SESSIONS

routes = web.RouteTableDef()
LOGIN_CSRF = "engagebot_login_csrf"


@routes.get("/console")
async def home(request: web.Request) -> web.StreamResponse:
    """The first page of the user's role."""
    session = await request.app[SESSIONS].find(request.cookies.get(COOKIE))
    language = lang(request)
    if session is None:
        raise web.HTTPFound(f"/console/login?lang={language}")
    page = "inbox" if session.role is Role.SUPPORT else "analytics"
    raise web.HTTPFound(f"/console/{page}?lang={language}")


@routes.get("/console/login")
async def login_form(request: web.Request) -> web.StreamResponse:
    """The login form, with a double-submit CSRF token."""
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", csrf=token, error=None)
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="Strict", max_age=3600)
    return response


@routes.post("/console/login")
async def login(request: web.Request) -> web.StreamResponse:
    """Count the attempt (refused past the limits), then check the password, then a session."""
    check_origin(request)
    form = await read_form(request)
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    token = str(form.get("csrf", ""))
    t = labels(lang(request))
    if not token or not same_secret(token, request.cookies.get(LOGIN_CSRF, "")):
        raise Forbidden("missing or wrong CSRF token")
    address = request.remote or ""
    wait = await request.app[LOGIN_THROTTLE].attempt(name, address)
    if wait:
        response = render(request, "login.html", csrf=token, error=t["locked"])
        response.set_status(429)
        response.headers["Retry-After"] = str(wait)
        return response
    role = await request.app[ACCOUNTS].verify(name, password)
    if role is None:
        response = render(request, "login.html", csrf=token, error=t["wrong"])
        response.set_status(401)
        return response
    await request.app[LOGIN_THROTTLE].succeeded(name, address)
    raise await _logged_in(request, name, role)


async def _logged_in(request: web.Request, name: str, role: Role) -> web.HTTPFound:
    session = await request.app[SESSIONS].start(name, role)
    await request.app[ACCOUNTS].audit(name, "logged in")
    response = web.HTTPFound(f"/console?lang={lang(request)}")
    secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
    response.set_cookie(
        COOKIE,
        session.id,
        httponly=True,
        samesite="Strict",
        secure=secure,
        max_age=SESSION_SECONDS,
    )
    return response


@routes.post("/console/logout")
@requires(Role.ADMIN, Role.MARKETER, Role.SUPPORT)
async def logout(request: web.Request, session: Session) -> web.StreamResponse:
    """End the session."""
    await request.app[SESSIONS].end(session)
    response = web.HTTPFound("/console/login")
    response.del_cookie(COOKIE)
    raise response
