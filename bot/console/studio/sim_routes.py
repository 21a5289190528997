"""The simulator's JSON calls: a message, moving or re-languaging the customer, a reset."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from bot.console.studio.checks import check
from bot.console.studio.editor import drafts
from bot.console.studio.simulator import Simulator, new_sim_id, valid_sim_id
from bot.console.studio.web import STUDIO_ROLES, Session, lang_of, requires, services
from bot.console.studio.words import words
from bot.inbound import MAX_TEXT_LENGTH
from bot.lifecycle import Locale, Stage, UnknownStage
from bot.policies.schema import PolicySet
from bot.web.forms import read_form

routes = web.RouteTableDef()


@routes.post("/console/studio/api/simulate")
@requires(*STUDIO_ROLES)
async def simulate(request: web.Request, session: Session) -> web.StreamResponse:
    """One message of the simulated customer, against the draft or the live revision."""
    posted = await read_form(request)
    message = str(posted.get("message", "")).strip()
    if not message or len(message) > MAX_TEXT_LENGTH:
        raise web.HTTPBadRequest(text=f"a message has 1 to {MAX_TEXT_LENGTH} characters")
    policies = await _policies(request, session, posted)
    simulator = Simulator(services(request))
    sim_id = str(posted.get("sim", ""))
    if not valid_sim_id(sim_id) or not await simulator.known(sim_id):
        sim_id = new_sim_id()
        await simulator.place(sim_id, policies, *_where(posted))
    return web.json_response(await simulator.say(sim_id, policies, message))


@routes.post("/console/studio/api/simulate/customer")
@requires(*STUDIO_ROLES)
async def customer(request: web.Request, session: Session) -> web.StreamResponse:
    """Put the simulated customer in another stage or language (created if new)."""
    posted = await read_form(request)
    policies = await _policies(request, session, posted)
    sim_id = str(posted.get("sim", ""))
    if not valid_sim_id(sim_id):
        sim_id = new_sim_id()
    return web.json_response(
        await Simulator(services(request)).place(sim_id, policies, *_where(posted))
    )


@routes.post("/console/studio/api/simulate/reset")
@requires(*STUDIO_ROLES)
async def reset(request: web.Request, session: Session) -> web.StreamResponse:
    """Forget the simulated customer; a new one starts in the chosen stage and language."""
    posted = await read_form(request)
    simulator = Simulator(services(request))
    old = str(posted.get("old", ""))
    if valid_sim_id(old):
        await simulator.forget(old)
    policies = await _policies(request, session, posted)
    return web.json_response(await simulator.place(new_sim_id(), policies, *_where(posted)))


async def _policies(request: web.Request, session: Session, posted: Mapping[str, Any]) -> PolicySet:
    """The live policy set, or the marketer's draft (refused while it has errors)."""
    found = services(request)
    if posted.get("source") == "live":
        return found.policies.current
    files, _ = await drafts(request).working_set(session.name)
    result = check(files, found.intents, lang_of(request))
    if result.policies is None:
        text = words(lang_of(request))["sim_draft_errors"]
        raise web.HTTPUnprocessableEntity(text=text)
    return result.policies


def _where(posted: Mapping[str, Any]) -> tuple[Stage, Locale]:
    try:
        stage = Stage.parse(str(posted.get("stage", "awareness")))
    except UnknownStage as exc:
        raise web.HTTPBadRequest(text=str(exc)) from exc
    locale: Locale = "en" if posted.get("locale") == "en" else "vi"
    return stage, locale
