"""The campaign page's form read into a segment, a message and a send time.

Every problem is keyed by the form field it concerns and worded in the page's language,
so the page shows it next to that field; nothing is queued while one remains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from multidict import MultiDictProxy
from pydantic import ValidationError

from actions.messaging import ReplyArgs
from bot.console.studio.messages import localise
from bot.lifecycle import Stage
from bot.policies.validator import check_file
from bot.scheduler.segment import Segment

MAX_BUTTONS = 3
MAX_DAYS = 3650  # ten years: more is a typo
LOCAL_TIME = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends

_WORDS = {
    "days": ("Nhập số ngày, từ 1 đến 3650.", "Enter a number of days, 1 to 3650."),
    "text": ("Cần nội dung cả tiếng Việt và tiếng Anh.", "Both the Vietnamese and English text."),
    "title": ("Nút cần tên ở cả hai ngôn ngữ.", "A button needs a title in both languages."),
    "at": ("Chọn ngày giờ gửi (giờ địa phương).", "Pick a local date and time to send."),
    "past": ("Thời điểm này đã qua.", "That time has passed."),
}


def _word(key: str, lang: str) -> str:
    vi, en = _WORDS[key]
    return en if lang == "en" else vi


@dataclass(slots=True)
class CampaignForm:
    """What the marketer asked for, and what is wrong with it (field -> problem)."""

    segment: Segment = field(default_factory=Segment)
    message: ReplyArgs | None = None
    due: float | None = None  # None: send now
    problems: dict[str, str] = field(default_factory=dict)


def read_segment(form: MultiDictProxy[str], lang: str, problems: dict[str, str]) -> Segment:
    """The segment of the form's stage, locale, tags, churn risk, seen-within, silent-for."""
    stages = [Stage(s) for s in form.getall("stage", []) if s in Stage.__members__.values()]
    locale = form.get("locale", "")
    tags = [t.strip() for t in form.get("tags", "").split(",") if t.strip()]
    days: dict[str, str | None] = {}
    for name in ("seen_within", "silent_for"):
        raw = form.get(name, "").strip()
        count = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 5 else 0
        if raw and not 0 < count <= MAX_DAYS:
            problems[name] = _word("days", lang)
        days[name] = f"{count}d" if 0 < count <= MAX_DAYS else None
    return Segment.model_validate(
        {
            "stage": stages or None,
            "locale": locale if locale in ("vi", "en") else None,
            "tags": tags,
            "flags": ["churn_risk"] if form.get("churn_risk") else [],
            "seen_within": days["seen_within"],
            "silent_for": days["silent_for"],
        }
    )


def read_message(
    form: MultiDictProxy[str], lang: str, problems: dict[str, str]
) -> ReplyArgs | None:
    """The message: a text per language and up to three buttons (blank rows ignored)."""
    text = {"vi": form.get("text_vi", "").strip(), "en": form.get("text_en", "").strip()}
    if not all(text.values()):
        problems["text"] = _word("text", lang)
    buttons = []
    rows = zip(
        form.getall("button_vi", []),
        form.getall("button_en", []),
        form.getall("button_payload", []),
        strict=False,
    )
    for index, (vi, en, payload) in enumerate(list(rows)[:MAX_BUTTONS]):
        if not (vi.strip() or en.strip()):
            continue
        if not (vi.strip() and en.strip()):
            problems[f"button-{index}"] = _word("title", lang)
        buttons.append({"title": {"vi": vi.strip(), "en": en.strip()}, "payload": payload})
    if problems.keys() & {"text", *(f"button-{i}" for i in range(MAX_BUTTONS))}:
        return None
    try:
        message = ReplyArgs.model_validate({"text": text, "buttons": buttons})
    except ValidationError as exc:
        problems["text"] = localise(exc.errors()[0]["msg"], lang)
        return None
    for where, what in check_file(message, None):
        name = (
            "text"
            if where and where[0] == "text"
            else f"button-{where[1] if len(where) > 1 else 0}"
        )
        problems.setdefault(name, localise(what, lang))
    return None if problems else message


def read_due(
    form: MultiDictProxy[str], zone: str, now: float, lang: str
) -> tuple[float | None, str]:
    """When to send: None for now, else the local time asked for (and a problem, if any)."""
    if form.get("when", "now") != "later":
        return None, ""
    try:
        local = datetime.strptime(form.get("at", ""), LOCAL_TIME).replace(tzinfo=ZoneInfo(zone))
    except ValueError:
        return None, _word("at", lang)
    due = local.timestamp()
    return (due, "") if due > now else (None, _word("past", lang))


def read_campaign(form: MultiDictProxy[str], zone: str, now: float, lang: str) -> CampaignForm:
    """The whole form; `problems` is empty when it can be sent."""
    problems: dict[str, str] = {}
    segment = read_segment(form, lang, problems)
    message = read_message(form, lang, problems)
    due, late = read_due(form, zone, now, lang)
    if late:
        problems["at"] = late
    return CampaignForm(segment, message, due, problems)
