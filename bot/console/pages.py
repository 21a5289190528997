"""What every console page shares: rendering in the visitor's language, role checks.

Roles are enforced here, on the server: a page names the roles it is for, and POSTs
must carry the session's CSRF token.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import jinja2
from aiohttp import web

from bot.console.accounts import Role
from bot.console.labels import labels
from bot.console.sessions import COOKIE, Session
from bot.locale import page_locale
from bot.web.forms import read_form
from bot.web.keys import SESSIONS

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("bot.console", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
Page = Callable[[web.Request, Session], Awaitable[web.StreamResponse]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def lang(request: web.Request) -> str:
    """The page's language: `?lang=en` for English, else Vietnamese."""
    return page_locale(request.query.get("lang"))


def render(request: web.Request, name: str, **context: Any) -> web.Response:
    """A console page in the language of `?lang=` (Vietnamese by default)."""
    language = lang(request)
    context.setdefault("session", None)
    html = _TEMPLATES.get_template(name).render(lang=language, t=labels(language), **context)
    return web.Response(text=html, content_type="text/html")


def requires(
    *roles: Role,
) -> Callable[[Page], Callable[[web.Request], Awaitable[web.StreamResponse]]]:
    """Only a logged-in user with one of `roles` gets the page; POSTs need the CSRF token."""

    def wrap(page: Page) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            session = await request.app[SESSIONS].find(request.cookies.get(COOKIE))
            if session is None:
                raise web.HTTPFound(f"/console/login?lang={lang(request)}")
            if session.role not in roles:
                raise web.HTTPForbidden(text="this page is not for your role")
            if request.method == "POST":
                form = await read_form(request)
                if not secrets.compare_digest(str(form.get("csrf", "")), session.csrf):
                    raise web.HTTPForbidden(text="missing or wrong CSRF token")
            return await page(request, session)

        return handler

    return wrap
