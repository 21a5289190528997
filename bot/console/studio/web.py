"""What the studio's pages take from the rest of the console, in one place.

The studio reaches the bot through `StudioNeeds` (one application key), built once in
`bot/wiring.py`; the console's page helpers come from `bot.console.pages`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot import safe_json
from bot.console.accounts import Role
from bot.console.pages import render, requires
from bot.console.sessions import Session
from bot.console.studio.needs import STUDIO, StudioNeeds
from bot.locale import page_locale
from bot.web.forms import read_form

STUDIO_ROLES = (Role.ADMIN, Role.MARKETER)

__all__ = ["STUDIO_ROLES", "Session", "form_json", "lang_of", "render", "requires", "services"]


def services(request: web.Request) -> StudioNeeds:
    """What the studio uses of the bot."""
    return request.app[STUDIO]


def lang_of(request: web.Request) -> str:
    """The console's language for this request (`?lang=en`, else Vietnamese)."""
    return page_locale(request.query.get("lang"))


async def form_json(request: web.Request, field: str) -> Any:
    """A JSON value posted as one field of a multipart form (the CSRF token rides along).

    Raises:
        web.HTTPBadRequest: the field is missing or not JSON.

    """
    form = await read_form(request)
    try:
        return safe_json.loads(str(form[field]))
    except (KeyError, ValueError) as exc:
        raise web.HTTPBadRequest(text=f"{field} must be JSON") from exc
