"""The revision history: who published what, when (local time), and side-by-side diffs.

Rollback asks for confirmation and a message, and publishes the old files again.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.console.studio.names import FILES, STAGES, pick
from bot.console.studio.sidebyside import side_by_side
from bot.console.studio.web import STUDIO_ROLES, Session, lang_of, render, requires, services
from bot.console.studio.words import words
from bot.policies.loader import PolicyError, parse_policies
from bot.policies.revisions import Revision
from bot.policies.source import POLICY_FILES
from bot.web.forms import read_form

routes = web.RouteTableDef()
_FORMATS = {"vi": "%d/%m/%Y %H:%M", "en": "%d %b %Y, %H:%M"}


def local_time(at: float, zone: str, lang: str) -> str:
    """A timestamp as the marketer reads it: local time in `zone`."""
    return datetime.fromtimestamp(at, ZoneInfo(zone)).strftime(_FORMATS.get(lang, _FORMATS["vi"]))


@routes.get("/console/studio/history")
@requires(*STUDIO_ROLES)
async def history(request: web.Request, session: Session) -> web.StreamResponse:
    """Every revision, newest first, and what changed in one of them."""
    found, lang = services(request), lang_of(request)
    revisions = await found.revisions.history()
    current = await found.revisions.current_number()
    by_number = {r.number: r for r in revisions}
    shown = _number(request, "b", current or 0)
    new = by_number.get(shown)
    old = by_number.get(_number(request, "a", shown - 1))
    rows = [
        {**r.summary(), "when": local_time(r.at, found.time_zone, lang)}
        for r in reversed(revisions)
    ]
    return render(
        request,
        "studio_history.html",
        session=session,
        w=words(lang),
        revisions=rows,
        current=current,
        old=old,
        new=new,
        changes=_changes(old, new, lang) if old and new else [],
        zone=found.time_zone,
        notice=request.query.get("notice"),
    )


@routes.post("/console/studio/history/rollback/{number:\\d+}")
@requires(*STUDIO_ROLES)
async def rollback(request: web.Request, session: Session) -> web.StreamResponse:
    """Publish an earlier revision again, with the marketer's reason."""
    found, lang = services(request), lang_of(request)
    number = int(request.match_info["number"])
    message = str((await read_form(request)).get("message", "")).strip()
    if not message:
        raise web.HTTPBadRequest(text=words(lang)["rollback_needs_message"])
    old = await found.revisions.get(number)
    if old is None:
        raise web.HTTPNotFound(text=f"no revision {number}")
    try:
        parse_policies(old.files, found.intents)
    except PolicyError as exc:
        raise web.HTTPConflict(text=f"revision {number} no longer validates: {exc}") from exc
    published = await found.revisions.publish(
        old.files, author=session.name, message=f"rollback to {number}: {message}", at=time.time()
    )
    await found.follower.sync()
    await found.accounts.audit(session.name, f"rolled back to revision {number} as {published}")
    raise web.HTTPFound(f"/console/studio/history?lang={lang}&notice=rolled-back&b={published}")


def _number(request: web.Request, name: str, default: int) -> int:
    try:
        return int(request.query.get(name, default))
    except ValueError:
        return default


def _changes(old: Revision, new: Revision, lang: str) -> list[dict[str, Any]]:
    """The files that differ, each with its side-by-side rows."""
    changes = []
    for name in POLICY_FILES:
        before, after = old.files.get(name, ""), new.files.get(name, "")
        if before == after:
            continue
        stem = name.removesuffix(".yml")
        label = pick(STAGES[stem], lang) if stem in STAGES else pick(FILES[name], lang)
        changes.append({"file": name, "label": label, "rows": side_by_side(before, after)})
    return changes
