"""Conversation tests: the YAML format, like `rasa test` stories.

```yaml
conversations:
  - name: asks the price, then buys            # shown when it fails
    locale: vi                                 # optional set-up: the customer's language,
    stage: decision                            #   a start stage (a staff move), a profile
    profile: {first_name: Lan}
    turns:
      - user: "gói pro bn 1 tháng vậy shop"    # free text, or a button: /request_trial
        locale: vi                             # optional metadata of this message
        profile: {business_type: cafe}
        ref: ABC123
        # what must hold after it (all optional):
        intent: ask_price                      # what the NLU read (or a list: one of them)
        stage: consideration
        reply_contains: ["349.000"]            # in any of the replies, case-insensitive
        reply_not_contains: ["xin lỗi"]
        buttons: [/request_trial, "So sánh"]   # offered: a payload or a title each
        state: {state.trial.code: "*", profile.first_name: Lan}   # admin API paths
        not_fallback: true                     # understood and answered deliberately
```

In `state`, a path is dotted into the admin API's user (`state.…`, `profile.…`,
`stage_history.-1.reason`); `"*"` means any value, `null` means absent.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from bot.lifecycle import Locale, Stage
from bot.policies.conditions import known_intents
from bot.policies.loader import parse_document
from bot.policies.source import Locator, Problem

Scalar = str | int | float | bool | None


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Turn(BaseModel):
    """One customer message and what must hold after it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    user: str = Field(min_length=1)
    locale: Locale | None = None
    profile: dict[str, Scalar | list[str]] | None = None
    ref: str | None = None

    intent: list[str] | None = None
    stage: Stage | None = None
    reply_contains: list[str] = []
    reply_not_contains: list[str] = []
    buttons: list[str] = []
    state: dict[str, Any] = {}
    not_fallback: bool = False

    @field_validator("intent", "reply_contains", "reply_not_contains", "buttons", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_list(value)

    @field_validator("intent")
    @classmethod
    def _known_intents(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        return known_intents(value, info)


class Conversation(BaseModel):
    """A fresh customer's conversation: optional set-up, then turns."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    locale: Locale | None = None
    stage: Stage | None = None
    profile: dict[str, Scalar | list[str]] | None = None
    turns: list[Turn] = Field(min_length=1)


class ConversationFile(BaseModel):
    """One file of conversation tests."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    conversations: list[Conversation] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Suite:
    """The conversations of one file, and where each turn is written (for reports)."""

    path: Path
    conversations: list[Conversation]
    locator: Locator

    def line_of(self, conversation: int, turn: int | None = None) -> int:
        """The line a conversation (or one of its turns) starts on."""
        path: tuple[str | int, ...] = ("conversations", conversation)
        if turn is not None:
            path += ("turns", turn)
        return self.locator.locate(path)[0]


def load_suite(path: Path, intents: frozenset[str]) -> tuple[Suite | None, list[Problem]]:
    """Read one conversation file; problems are `file:line:col` like the policy validator's."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), 1, 1, f"cannot read: {exc}")]
    model, locator, problems = parse_document(
        ConversationFile, text, str(path), {"intents": intents}
    )
    if model is None or locator is None:
        return None, problems
    return Suite(path, model.conversations, locator), []


def conversation_files(directory: Path) -> list[Path]:
    """The conversation files of a folder (`*.yml`, `*.yaml`), by name; a file stands alone."""
    if directory.is_file():
        return [directory]
    return sorted(p for p in directory.glob("*.y*ml") if p.is_file())
