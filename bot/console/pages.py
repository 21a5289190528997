"""What every console page shares: rendering in the visitor's language, role checks.

Roles are enforced here, on the server: a page names the roles it is for, and POSTs
must carry the session's CSRF token and come from the console's own origin (`Origin`, or
`Referer` when a browser sends no `Origin`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import jinja2
from aiohttp import web

from bot.console.accounts import Role
from bot.console.labels import labels
from bot.console.sessions import COOKIE, Session
from bot.errors import Forbidden
from bot.locale import page_locale
from bot.web.credentials import same_secret
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
                raise Forbidden("this page is not for your role")
            if request.method == "POST":
                check_origin(request)
                form = await read_form(request)
                if not same_secret(str(form.get("csrf", "")), session.csrf):
                    raise Forbidden("missing or wrong CSRF token")
            return await page(request, session)

        return handler

    return wrap


def check_origin(request: web.Request) -> None:
    """Refuse a state-changing request that another site's page made.

    Browsers name the page's origin in `Origin` (or at least in `Referer`); a request
    with neither is not from a browser page, and still needs the CSRF token.

    Raises:
        Forbidden: the origin is another site's (or `null`, a sandboxed page's).

    """
    claimed = request.headers.get("Origin") or request.headers.get("Referer")
    if claimed is None:
        return
    try:
        host = urlsplit(claimed).netloc
    except ValueError:
        host = ""
    if not host or host.lower() != request.host.lower():
        raise Forbidden("this form was sent from another site")
