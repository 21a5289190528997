"""What the studio's pages take from the rest of the console, in one place.

The console's page helpers (`render`, `requires`) live in `bot.console.views`; when they
move, this is the one import to change.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.console.accounts import Role
from bot.console.sessions import Session
from bot.console.views import render, requires
from bot.services import SERVICES, Services

STUDIO_ROLES = (Role.ADMIN, Role.MARKETER)

__all__ = ["STUDIO_ROLES", "Session", "form_json", "lang_of", "render", "requires", "services"]


def services(request: web.Request) -> Services:
    """The bot's long-lived objects."""
    return request.app[SERVICES]


def lang_of(request: web.Request) -> str:
    """The console's language for this request (`?lang=en`, else Vietnamese)."""
    return "en" if request.query.get("lang") == "en" else "vi"


async def form_json(request: web.Request, field: str) -> Any:
    """A JSON value posted as one field of a multipart form (the CSRF token rides along).

    Raises:
        web.HTTPBadRequest: the field is missing or not JSON.

    """
    form = await request.post()
    try:
        return json.loads(str(form[field]))
    except (KeyError, ValueError) as exc:
        raise web.HTTPBadRequest(text=f"{field} must be JSON") from exc
