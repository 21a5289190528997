"""Every route of the studio, and its static files (scripts, styles, the editor bundle)."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.console.studio import editor, history, sim_routes

STATIC = Path(__file__).resolve().parent.parent / "static"


async def _to_studio(_request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/console/studio")


# The history comes first: `/console/studio/history` would also match a page's pattern.
routes: list[web.AbstractRouteDef] = [
    *history.routes,
    *sim_routes.routes,
    *editor.routes,
    web.static("/console/static", STATIC),
    # The YAML-only policy page this studio replaced: old bookmarks land in the studio.
    web.get("/console/policies", _to_studio),
]
