"""The marketers' policy pages: edit, validate at the lines, simulate, publish, history."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

from aiohttp import web

from bot.console.accounts import Role
from bot.console.labels import labels
from bot.console.pages import lang, render, requires
from bot.console.sessions import Session
from bot.errors import InputError
from bot.inbound import MAX_TEXT_LENGTH
from bot.lifecycle import Stage, UnknownStage
from bot.locale import page_locale
from bot.policies.loader import PolicyError, parse_policies
from bot.policies.revisions import UnknownRevision, diff
from bot.policies.source import POLICY_FILES
from bot.web.forms import read_form
from bot.web.keys import ACCOUNTS, FOLLOWER, INTENTS, POLICIES, REVISIONS, SIMULATOR

routes = web.RouteTableDef()
MAX_SIMULATED = 20
_REVISION = re.compile("[0-9]{1,9}")


@routes.get("/console/policies")
@requires(Role.ADMIN, Role.MARKETER)
async def edit(request: web.Request, session: Session) -> web.StreamResponse:
    """The live revision's files, editable."""
    revision = await request.app[FOLLOWER].current()
    files = revision.files if revision else {}
    return _page(request, session, files)


@routes.post("/console/policies")
@requires(Role.ADMIN, Role.MARKETER)
async def act(request: web.Request, session: Session) -> web.StreamResponse:
    """Validate, simulate or publish the edited files."""
    form = await read_form(request)
    files = {name: str(form.get(f"file:{name}", "")).replace("\r\n", "\n") for name in POLICY_FILES}
    t = labels(lang(request))
    intents = request.app[INTENTS]
    try:
        draft = parse_policies(files, intents)
    except PolicyError as exc:
        return _page(request, session, files, problems=[str(p) for p in exc.problems])
    action = form.get("action")
    if action == "simulate":
        messages = [m.strip() for m in str(form.get("messages", "")).splitlines() if m.strip()]
        if any(len(m) > MAX_TEXT_LENGTH for m in messages):
            raise InputError("messages", f"a message has at most {MAX_TEXT_LENGTH} characters")
        try:
            stage = Stage.parse(str(form.get("stage", "awareness")))
        except UnknownStage as exc:
            raise InputError("stage", str(exc)) from exc
        locale = page_locale(form.get("locale"))
        turns = await request.app[SIMULATOR].run(draft, stage, locale, messages[:MAX_SIMULATED])
        return _page(request, session, files, simulation=turns, messages="\n".join(messages))
    if action == "publish":
        message = str(form.get("message", "")).strip()
        number = await request.app[REVISIONS].publish(
            files, author=session.name, message=message, at=time.time()
        )
        await request.app[FOLLOWER].sync()
        await request.app[ACCOUNTS].audit(
            session.name, f"published policy revision {number}: {message}"
        )
        return _page(request, session, files, notice=f"{t['published']} {number}.")
    return _page(request, session, files, notice=t["valid"])


@routes.get("/console/policies/history")
@requires(Role.ADMIN, Role.MARKETER)
async def history(request: web.Request, session: Session) -> web.StreamResponse:
    """Every revision, with diffs and rollback."""
    return await _history(request, session, None)


@routes.get("/console/policies/diff")
@requires(Role.ADMIN, Role.MARKETER)
async def show_diff(request: web.Request, session: Session) -> web.StreamResponse:
    """What changed between revisions `a` and `b`."""
    revisions = request.app[REVISIONS]
    first, second = request.query.get("a", ""), request.query.get("b", "")
    if not (_REVISION.fullmatch(first) and _REVISION.fullmatch(second)):
        raise InputError("a/b", "a and b must be revision numbers")
    old, new = await revisions.get(int(first)), await revisions.get(int(second))
    if old is None or new is None:
        raise web.HTTPNotFound(text="no such revision")
    return await _history(request, session, diff(old, new) or "no differences")


@routes.post("/console/policies/rollback/{number:[0-9]{1,9}}")
@requires(Role.ADMIN, Role.MARKETER)
async def rollback(request: web.Request, session: Session) -> web.StreamResponse:
    """Publish an earlier revision again."""
    number, intents = int(request.match_info["number"]), request.app[INTENTS]
    try:
        published = await request.app[REVISIONS].rollback(
            number, intents, author=session.name, at=time.time()
        )
    except UnknownRevision as exc:
        raise web.HTTPNotFound(text=str(exc)) from exc
    except PolicyError as exc:
        raise web.HTTPConflict(text=f"that revision no longer validates: {exc}") from exc
    await request.app[FOLLOWER].sync()
    await request.app[ACCOUNTS].audit(
        session.name, f"rolled back to revision {number} as {published}"
    )
    raise web.HTTPFound(f"/console/policies/history?lang={lang(request)}")


async def _history(request: web.Request, session: Session, shown: str | None) -> web.Response:
    revisions = request.app[REVISIONS]
    rows = [
        {
            **r.summary(),
            "when": datetime.fromtimestamp(r.at, UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
        for r in reversed(await revisions.history())
    ]
    current = await revisions.current_number()
    return render(
        request, "history.html", session=session, revisions=rows, current=current, diff=shown
    )


def _page(
    request: web.Request,
    session: Session,
    files: dict[str, str],
    *,
    problems: list[str] | None = None,
    simulation: object = None,
    notice: str | None = None,
    messages: str = "",
) -> web.Response:
    policies = request.app[POLICIES]
    bad_lines = set()
    for problem in problems or []:
        name, _, rest = problem.partition(":")
        line = rest.partition(":")[0]
        if line.isdigit():
            bad_lines.add((name, int(line)))
    response = render(
        request,
        "policies.html",
        session=session,
        files=[(name, files.get(name, "")) for name in POLICY_FILES],
        number=policies.number,
        revision=policies.current.revision,
        problems=problems,
        bad_lines=bad_lines,
        simulation=simulation,
        notice=notice,
        stages=[s.value for s in Stage],
        messages=messages,
    )
    if problems:
        response.set_status(422)
    return response
