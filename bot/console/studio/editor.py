"""The stage editor's pages and its JSON calls: load, save as draft (checked), publish.

`/console/studio/<page>` is one page per file: `awareness` … `advocacy`, `common`,
`catalog`. The browser saves the form (or the YAML) as the marketer types; each save is
validated like the CLI would, and answers with the file's YAML and every problem, placed.
"""

from __future__ import annotations

import json
import time
from typing import Any

from aiohttp import web
from markupsafe import Markup

from bot.console.studio.boot import boot_data, file_states
from bot.console.studio.checks import WARNING, check
from bot.console.studio.drafts import Drafts
from bot.console.studio.web import (
    STUDIO_ROLES,
    Session,
    form_json,
    lang_of,
    render,
    requires,
    services,
)
from bot.console.studio.words import words
from bot.console.studio.yaml_form import FormUnavailable, read_form, write_form
from bot.policies.source import POLICY_FILES
from bot.web.forms import read_form as read_fields

routes = web.RouteTableDef()
PAGES = {name.removesuffix(".yml"): name for name in POLICY_FILES}


def drafts(request: web.Request) -> Drafts:
    """The drafts store (stateless: built per request)."""
    found = services(request)
    return Drafts(found.redis, found.keys, found.revisions, found.policies_dir)


def script_json(value: Any) -> Markup:
    """JSON for a `<script type="application/json">`, keys in their order (`tojson` sorts)."""
    text = json.dumps(value, ensure_ascii=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _file(page: str) -> str:
    if page not in PAGES:
        raise web.HTTPNotFound(text="no such policy file")
    return PAGES[page]


@routes.get("/console/studio")
@requires(*STUDIO_ROLES)
async def start(request: web.Request, session: Session) -> web.StreamResponse:
    """The first stage's page."""
    raise web.HTTPFound(f"/console/studio/awareness?lang={lang_of(request)}")


@routes.get("/console/studio/{page:[a-z]+}")
@requires(*STUDIO_ROLES)
async def page(request: web.Request, session: Session) -> web.StreamResponse:
    """One file in forms (or YAML), the problems of the draft, and the simulator."""
    name = _file(request.match_info["page"])
    lang = lang_of(request)
    files, live = await drafts(request).working_set(session.name)
    problems = await _problems(request, session, files, live)
    boot = boot_data(services(request), session, name, files, live, problems, lang)
    return render(
        request,
        "studio.html",
        session=session,
        boot=boot,
        boot_json=script_json(boot),
        file=name,
        w=words(lang),
    )


@routes.post("/console/studio/api/save")
@requires(*STUDIO_ROLES)
async def save(request: web.Request, session: Session) -> web.StreamResponse:
    """Keep the posted form or YAML as the draft of one file; answer with its check."""
    posted = await read_fields(request)
    name = _file(str(posted.get("file", "")).removesuffix(".yml"))
    store = drafts(request)
    files, _ = await store.working_set(session.name)
    if "yaml" in posted:
        text = str(posted["yaml"]).replace("\r\n", "\n")
    else:
        form = await form_json(request, "form")
        if not isinstance(form, dict):
            raise web.HTTPBadRequest(text="a form is a JSON object")
        try:
            text = write_form(files[name], form)
        except FormUnavailable as exc:
            raise web.HTTPConflict(text=f"the YAML does not parse: {exc}") from exc
    await store.save(session.name, name, text)
    return await _answer(request, session, name)


@routes.post("/console/studio/api/discard")
@requires(*STUDIO_ROLES)
async def discard(request: web.Request, session: Session) -> web.StreamResponse:
    """Forget the draft of one file: it is the live one again."""
    posted = await read_fields(request)
    name = _file(str(posted.get("file", "")).removesuffix(".yml"))
    await drafts(request).discard(session.name, name)
    return await _answer(request, session, name)


@routes.post("/console/studio/api/publish")
@requires(*STUDIO_ROLES)
async def publish(request: web.Request, session: Session) -> web.StreamResponse:
    """Publish the draft as a new revision, if it has no errors."""
    posted = await read_fields(request)
    message = str(posted.get("message", "")).strip()
    found, store = services(request), drafts(request)
    files, live = await store.working_set(session.name)
    result = check(files, found.intents, lang_of(request))
    if result.errors or files == live:
        reason = "errors" if result.errors else "unchanged"
        return web.json_response({"error": reason, "problems": result.problems}, status=409)
    number = await found.revisions.publish(
        files, author=session.name, message=message, at=time.time()
    )
    await found.follower.sync()
    await found.accounts.audit(session.name, f"published policy revision {number}: {message}")
    await store.discard(session.name)
    return web.json_response({"number": number})


async def _problems(
    request: web.Request, session: Session, files: dict[str, str], live: dict[str, str]
) -> list[dict[str, Any]]:
    """The draft's problems, and a warning per file someone else published meanwhile."""
    lang = lang_of(request)
    problems = check(files, services(request).intents, lang).problems
    stale = await drafts(request).stale(session.name, live)
    warning = {"line": 1, "column": 1, "path": [], "severity": WARNING}
    return [
        {**warning, "file": name, "message": words(lang)["stale_draft"]} for name in stale
    ] + problems


async def _answer(request: web.Request, session: Session, name: str) -> web.Response:
    """The file's YAML, its form (when the YAML parses) and the draft's problems."""
    files, live = await drafts(request).working_set(session.name)
    problems = await _problems(request, session, files, live)
    body: dict[str, Any] = {
        "yaml": files[name],
        "problems": problems,
        "files": file_states(files, live, problems, lang_of(request)),
        "changed": files != live,
    }
    try:
        body["form"] = read_form(files[name])
    except FormUnavailable:
        body["form"] = None
    return web.json_response(body)
