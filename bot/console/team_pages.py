"""The admin's team page: the console accounts and the audit log of who changed what."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web

from bot.console.accounts import Role
from bot.console.pages import lang, render, requires
from bot.console.sessions import Session
from bot.web.keys import ACCOUNTS

routes = web.RouteTableDef()
AUDIT_SHOWN = 200


@routes.get("/console/team")
@requires(Role.ADMIN)
async def team(request: web.Request, session: Session) -> web.StreamResponse:
    """Every account with its role, and the latest audit entries, newest first."""
    accounts = request.app[ACCOUNTS]
    audit = [
        {
            "when": datetime.fromtimestamp(float(entry["at"]), UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "who": entry["who"],
            "what": entry["what"],
        }
        for entry in await accounts.audit_log(AUDIT_SHOWN)
    ]
    return render(
        request, "team.html", session=session, accounts=await accounts.roster(), audit=audit
    )


@routes.post("/console/team/{name}/remove")
@requires(Role.ADMIN)
async def remove(request: web.Request, session: Session) -> web.StreamResponse:
    """Delete an account; its open sessions end at once. Admins cannot remove themselves."""
    name = request.match_info["name"]
    if name == session.name:
        raise web.HTTPConflict(text="you cannot remove your own account")
    if not await request.app[ACCOUNTS].remove(name, by=session.name):
        raise web.HTTPNotFound(text=f"no account named {name!r}")
    raise web.HTTPFound(f"/console/team?lang={lang(request)}")
