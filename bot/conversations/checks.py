"""What must hold after a turn of a conversation test, checked against what the bot did."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.conversations.format import Turn
from bot.nlu.parse import FALLBACK_INTENT

ANY = "*"
_MISSING = object()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the bot did with one message.

    `user` is the admin API's view of the customer after the turn; `fallback_texts` are
    the generic fallback's texts as this customer would get them.
    """

    intent: str | None
    confidence: float | None
    replies: list[dict[str, Any]]
    user: dict[str, Any]
    fallback_texts: frozenset[str] = field(default_factory=frozenset)

    @property
    def stage(self) -> str:
        """The customer's stage after the turn."""
        return str(self.user.get("stage"))

    def buttons(self) -> Iterator[dict[str, str]]:
        """Every button offered by the turn's replies."""
        for reply in self.replies:
            yield from reply.get("buttons") or ()

    def describe(self) -> str:
        """What the bot understood and said, for a failure report."""
        read = "nothing (NLU unavailable)" if self.intent is None else self.intent
        if self.confidence is not None and self.intent is not None:
            read += f" ({self.confidence:.2f})"
        lines = [f"bot read {read}; stage {self.stage}; replies:"]
        for reply in self.replies or [{"text": "(none)"}]:
            text = str(reply.get("text", "")).replace("\n", "\n      ")
            lines.append(f"    > {text}")
            buttons = reply.get("buttons") or []
            if buttons:
                lines.append("      [" + "] [".join(_button(b) for b in buttons) + "]")
        return "\n".join(lines)


def _button(button: dict[str, str]) -> str:
    return f"{button.get('title')} {button.get('payload')}"


def value_at(document: Any, path: str) -> Any:
    """The value at a dotted path (`state.trial.code`, `stage_history.-1.reason`), or missing."""
    value = document
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and _is_index(part) and -len(value) <= int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


def _is_index(part: str) -> bool:
    return part.lstrip("-").isdigit()


def failures(turn: Turn, outcome: Outcome) -> list[str]:
    """Every expectation of `turn` that `outcome` does not meet, as `expected …, got …`."""
    found: list[str] = []
    if turn.intent is not None and outcome.intent not in turn.intent:
        found.append(f"expected intent {' or '.join(turn.intent)}, got {outcome.intent}")
    if turn.stage is not None and outcome.stage != turn.stage.value:
        found.append(f"expected stage {turn.stage.value}, got {outcome.stage}")
    texts = [str(r.get("text", "")).casefold() for r in outcome.replies]
    for wanted in turn.reply_contains:
        if not any(wanted.casefold() in text for text in texts):
            found.append(f"expected a reply containing {wanted!r}")
    for unwanted in turn.reply_not_contains:
        if any(unwanted.casefold() in text for text in texts):
            found.append(f"expected no reply containing {unwanted!r}")
    offered = list(outcome.buttons())
    for wanted in turn.buttons:
        if not any(_is_button(b, wanted) for b in offered):
            found.append(f"expected a button {wanted!r}")
    for path, expected in turn.state.items():
        problem = _state_problem(outcome.user, path, expected)
        if problem is not None:
            found.append(problem)
    if turn.not_fallback:
        found += _fallback_problems(outcome)
    return found


def _is_button(button: dict[str, str], wanted: str) -> bool:
    title = str(button.get("title", ""))
    return button.get("payload") == wanted or title.casefold() == wanted.casefold()


def _state_problem(user: dict[str, Any], path: str, expected: Any) -> str | None:
    actual = value_at(user, path)
    shown = "nothing" if actual is _MISSING else repr(actual)
    if expected == ANY:
        ok = actual is not _MISSING and actual is not None
        return None if ok else f"expected {path} to have a value, got {shown}"
    if expected is None:
        ok = actual is _MISSING or actual is None
        return None if ok else f"expected no {path}, got {shown}"
    if actual is _MISSING or actual != expected:
        return f"expected {path} = {expected!r}, got {shown}"
    return None


def _fallback_problems(outcome: Outcome) -> list[str]:
    problems = []
    if outcome.intent == FALLBACK_INTENT:
        problems.append("expected the message to be understood, the NLU read nlu_fallback")
    if any(str(r.get("text", "")).strip() in outcome.fallback_texts for r in outcome.replies):
        problems.append("expected a deliberate answer, got the generic fallback")
    return problems
