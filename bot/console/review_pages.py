"""What customers said that the bot did not understand, labelled by marketers in the console.

The same queue and rules as `python -m bot nlu review` (`bot/nlu/review.py`): texts
grouped by the closest intent, each labelled "this meant…" (an intent) or ignored; labels
go to `nlu/data/reviewed.yml`, and the page says how many wait for the next training.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.config import Settings
from bot.console.accounts import Role
from bot.console.pages import lang, render, requires
from bot.console.sessions import Session
from bot.console.studio.names import INTENTS, intent_name, stage_name
from bot.nlu.project_hash import nlu_project_hash
from bot.nlu.review import IGNORE, Reviewer, ReviewItem, review_items
from bot.nlu.training import cached_model
from bot.policies.coverage import nlu_intents
from bot.store.misunderstood import MisunderstoodLog
from bot.web.forms import read_form
from bot.web.keys import ACCOUNTS, TIME_ZONE
from bot.web.keys import INTENTS as KNOWN_INTENTS

routes = web.RouteTableDef()
REVIEW_ROLES = (Role.ADMIN, Role.MARKETER)


@dataclass(frozen=True, slots=True)
class ReviewNeeds:
    """The review queue, the Rasa project it labels into, and whether its model is current."""

    log: MisunderstoodLog
    nlu_dir: Path
    trained: Callable[[], bool]  # is there a trained model of the project as it is now?


REVIEW = web.AppKey("review", ReviewNeeds)


def model_is_current(settings: Settings) -> Callable[[], bool]:
    """Whether the model cache holds a model of `nlu/` as it is now (reviewed data included)."""

    def check() -> bool:
        try:
            return cached_model(settings, nlu_project_hash(settings.nlu_dir)).is_file()
        except OSError:
            return False

    return check


NOTICES = {
    "labelled": ("Đã lưu: “{text}” nghĩa là “{intent}”.", "Saved: “{text}” means “{intent}”."),
    "ignored": ("Đã bỏ qua “{text}”.", "Ignored “{text}”."),
    "heldout": (
        "“{text}” nằm trong bộ câu kiểm tra của mô hình, không dùng để học được; hãy chọn Bỏ qua.",
        "“{text}” is one of the model's test messages and cannot be learnt from; ignore it.",
    ),
    "gone": ("Tin nhắn này đã được người khác xử lý.", "Someone else already handled it."),
}


def _reviewer(request: web.Request) -> Reviewer:
    needs = request.app[REVIEW]
    known: frozenset[str] = request.app[KNOWN_INTENTS]
    return Reviewer(needs.log, needs.nlu_dir, nlu_intents(known))


def _ordered(intents: list[str]) -> list[str]:
    """The named intents in the studio's order (the likeliest labels first), then the rest."""
    return [i for i in INTENTS if i in intents] + [i for i in intents if i not in INTENTS]


def _card(item: ReviewItem, language: str, zone: str) -> dict[str, Any]:
    return {
        "id": item.ids[0],
        "text": item.text,
        "count": item.count,
        "stage": stage_name(item.stage, language),
        "locale_name": {"vi": "Tiếng Việt", "en": "English"}.get(item.locale, item.locale),
        "at": datetime.fromtimestamp(item.at, ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M"),
        "guesses": [(intent_name(i, language), round(100 * c)) for i, c in item.top],
        "reply": item.reply,
    }


def _groups(items: list[ReviewItem], language: str, zone: str) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for item in items:  # already ordered: largest group first
        group = groups.setdefault(
            item.group,
            {"intent": item.closest, "name": intent_name(item.closest, language), "items": []},
        )
        group["items"].append(_card(item, language, zone))
    for group in groups.values():
        group["count"] = sum(card["count"] for card in group["items"])
    return list(groups.values())


@routes.get("/console/review")
@requires(*REVIEW_ROLES)
async def review(request: web.Request, session: Session) -> web.StreamResponse:
    """The queue by closest intent, with a label form per text."""
    needs, language = request.app[REVIEW], lang(request)
    items = review_items(await needs.log.items())
    notice, current = request.query.get("notice", ""), needs.trained()
    vi, en = NOTICES.get(notice, ("", ""))
    return render(
        request,
        "review.html",
        session=session,
        groups=_groups(items, language, request.app[TIME_ZONE]),
        waiting=sum(item.count for item in items),
        current=current,
        untrained=await needs.log.awaiting_training(trained=current),
        intents={i: intent_name(i, language) for i in _ordered(_reviewer(request).intents)},
        warn=notice in ("heldout", "gone"),
        notice=(en if language == "en" else vi).format(
            text=request.query.get("text", ""), intent=request.query.get("intent", "")
        ),
    )


@routes.post("/console/review")
@requires(*REVIEW_ROLES)
async def label(request: web.Request, session: Session) -> web.StreamResponse:
    """Apply one label ("this meant…" an intent, or ignore), then back to the page."""
    form, language = await read_form(request), lang(request)
    choice = IGNORE if "ignore" in form else str(form.get("label", ""))
    reviewer = _reviewer(request)
    if choice != IGNORE and choice not in reviewer.intents:
        raise web.HTTPBadRequest(text=f"unknown intent {choice!r}")
    items = review_items(await request.app[REVIEW].log.items())
    item = next((i for i in items if i.ids[0] == form.get("item")), None)
    if item is None:
        return _back(language, "gone", "", "")
    if reviewer.refusal(item, choice) is not None:
        return _back(language, "heldout", item.text, "")
    await reviewer.apply([(item, choice)])
    await request.app[ACCOUNTS].audit(session.name, f"labelled {item.text!r} as {choice}")
    notice = "ignored" if choice == IGNORE else "labelled"
    return _back(language, notice, item.text, intent_name(choice, language))


def _back(language: str, notice: str, text: str, intent: str) -> web.StreamResponse:
    query = f"lang={language}&notice={notice}&text={quote(text)}&intent={quote(intent)}"
    raise web.HTTPSeeOther(f"/console/review?{query}")
