"""Which rule answers each intent in each stage, and where the generic fallback would.

Every intent the NLU can predict should get a deliberate answer in every stage: a stage
rule, a transition, or a common rule whose `when` matches on the intent alone. A rule
that also needs entities, a profile value, the previous intent or an awaited answer
answers only some of those messages, so it does not cover the cell by itself.

A transition with `replay: true` hands the message to the stage it leads to; that stage
must answer it in turn (following its own transitions, a bounded number of times), or
the customer is moved and then gets the fallback anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.lifecycle import Stage
from bot.nlu.intents import BUTTON_INTENTS
from bot.nlu.parse import FALLBACK_INTENT
from bot.policies.conditions import When
from bot.policies.schema import PolicySet, Rule, TransitionRule
from bot.policies.source import Locator, Problem

MAX_REPLAYS = 3
"""How many replaying transitions one message may go through before it is a gap."""

Kind = Literal["rule", "transition", "common", "fallback"]


@dataclass(frozen=True, slots=True)
class Answer:
    """What answers one intent in one stage; `then` is the replayed stage's answer."""

    kind: Kind
    name: str = ""
    to: Stage | None = None
    then: Answer | None = None

    @property
    def final(self) -> Answer:
        """The answer at the end of a replay chain (this one when nothing replays)."""
        return self if self.then is None else self.then.final

    @property
    def is_gap(self) -> bool:
        """Whether the message ends in the generic fallback."""
        return self.final.kind == "fallback"

    def describe(self) -> str:
        """One line: `rule:pitch`, `transition:buys->onboarding`, `common:greet`, `fallback`."""
        if self.kind == "fallback":
            return "fallback"
        if self.kind == "transition":
            moved = f"transition:{self.name}->{self.to.value if self.to else '?'}"
            return moved if self.then is None else f"{moved} ({self.then.describe()})"
        return f"{self.kind}:{self.name}"

    def short(self) -> str:
        """A terminal cell: `pitch`, `→ decision`, `· greet`, `✗ FALLBACK`."""
        if self.is_gap:
            return "✗ FALLBACK" if self.kind == "fallback" else f"→ {self._to()} ✗"
        if self.kind == "transition":
            return f"→ {self._to()}"
        return f"· {self.name}" if self.kind == "common" else self.name

    def _to(self) -> str:
        return self.to.value if self.to else "?"


def nlu_intents(known: Iterable[str]) -> list[str]:
    """The intents the NLU predicts: the domain's, without the button-only ones and the fallback."""
    return sorted(set(known) - BUTTON_INTENTS - {FALLBACK_INTENT})


def covers_intent(when: When, intent: str) -> bool:
    """Whether `when` matches every message of `intent`, whatever else it carries."""
    return (
        when.intent is not None
        and intent in when.intent
        and when.entities is None
        and when.profile is None
        and when.previous_intent is None
        and when.awaiting is None
    )


def answer(policies: PolicySet, stage: Stage, intent: str, replays: int = 0) -> Answer:
    """What answers `intent` in `stage`, following replaying transitions."""
    policy = policies.stages[stage]
    rule = _first(policy.rules, intent)
    if rule is not None:
        return Answer("rule", rule.name)
    move = _first(policy.transitions, intent)
    if isinstance(move, TransitionRule):
        then = None
        if move.replay and move.to != stage:
            then = (
                answer(policies, move.to, intent, replays + 1)
                if replays < MAX_REPLAYS
                else Answer("fallback")
            )
        return Answer("transition", move.name, move.to, then)
    common = _first(policies.common.rules, intent)
    if common is not None:
        return Answer("common", common.name)
    return Answer("fallback")


def _first(rules: Sequence[Rule | TransitionRule], intent: str) -> Rule | TransitionRule | None:
    return next((r for r in rules if covers_intent(r.when, intent)), None)


@dataclass(frozen=True, slots=True)
class Coverage:
    """The stage × intent matrix of answers."""

    stages: list[Stage]
    intents: list[str]
    cells: dict[tuple[Stage, str], Answer]

    @classmethod
    def of(cls, policies: PolicySet, known_intents: Iterable[str]) -> Coverage:
        """The matrix for every stage and every intent the NLU predicts."""
        stages = [stage for stage in Stage if stage in policies.stages]
        intents = nlu_intents(known_intents)
        cells = {
            (stage, intent): answer(policies, stage, intent)
            for stage in stages
            for intent in intents
        }
        return cls(stages, intents, cells)

    def gaps(self, stage: Stage) -> list[str]:
        """The intents that end in the fallback in `stage`."""
        return [i for i in self.intents if self.cells[stage, i].is_gap]


def gap_problems(
    coverage: Coverage, files: Mapping[str, str], where: Path | None = None
) -> list[Problem]:
    """One problem per stage with gaps, at the `rules:` key of its file (or its top)."""
    problems: list[Problem] = []
    for stage in coverage.stages:
        gaps = coverage.gaps(stage)
        if not gaps:
            continue
        name = f"{stage.value}.yml"
        shown = str(where / name) if where is not None else name
        line, column = _rules_position(files.get(name, ""))
        message = (
            f"{len(gaps)} intent{'s' if len(gaps) != 1 else ''} would get the generic "
            f"fallback in stage {stage.value!r}: {', '.join(gaps)} "
            "(answer them with a rule, a transition or a common rule)"
        )
        problems.append(Problem(shown, line, column, message))
    return problems


def _rules_position(text: str) -> tuple[int, int]:
    # Only called for a set that loaded, so the file parses.
    return Locator.of(text).locate(("rules",)) if text else (1, 1)
