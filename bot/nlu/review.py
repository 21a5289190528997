"""Reviewing what the bot did not understand: group, label, and turn labels into training data.

The same text written several times is one item (its ids together); items are grouped by
the intent the NLU found closest. A person labels an item with an intent, which adds it
to `nlu/data/reviewed.yml`, or with `ignore`; either way it leaves the queue. A text that
is one of the held-out test messages is refused: training on it would make the held-out
figures meaningless.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import BotError
from bot.nlu.heldout import HeldOut
from bot.nlu.normalise import normalise
from bot.nlu.reviewed import REVIEWED_FILE, add_reviewed
from bot.store.misunderstood import Misunderstood, MisunderstoodLog

IGNORE = "ignore"
NO_INTENT = "(none)"


class ReviewError(BotError):
    """Labels that cannot be applied; the message lists every reason."""


@dataclass(slots=True)
class ReviewItem:
    """One distinct text waiting for a label, with every id it was kept under."""

    ids: list[str]
    text: str
    closest: str
    top: tuple[tuple[str, float], ...]
    stage: str
    locale: str
    reply: str
    at: float
    count: int = 1

    @property
    def group(self) -> str:
        """The heading it is listed under: the closest intent, or `(none)`."""
        return self.closest or NO_INTENT


def review_items(kept: Iterable[Misunderstood]) -> list[ReviewItem]:
    """Distinct texts, grouped by closest intent (largest group first), most frequent first."""
    items: dict[tuple[str, str], ReviewItem] = {}
    for message in kept:  # oldest first: a later copy updates the details
        key = (message.closest, normalise(message.text))
        item = items.get(key)
        if item is None:
            items[key] = ReviewItem(
                [message.id],
                message.text,
                message.closest,
                message.top,
                message.stage,
                message.locale,
                message.reply,
                message.at,
            )
            continue
        item.ids.append(message.id)
        item.count += 1
        item.text, item.top, item.stage = message.text, message.top, message.stage
        item.locale, item.reply, item.at = message.locale, message.reply, message.at
    sizes = Counter[str]()
    for item in items.values():
        sizes[item.group] += item.count
    return sorted(items.values(), key=lambda i: (-sizes[i.group], i.group, -i.count, -i.at))


def label_problem(label: str, intents: Sequence[str]) -> str | None:
    """Why `label` is not a label (an intent of the NLU, or `ignore`), or None."""
    if label == IGNORE or label in intents:
        return None
    return f"unknown label {label!r}: use one of {', '.join(intents)}, or {IGNORE}"


@dataclass(slots=True)
class Outcome:
    """What applying labels did."""

    labelled: Counter[str] = field(default_factory=Counter)
    ignored: int = 0
    new_examples: int = 0

    def summary(self, left: int, nlu_dir: Path) -> str:
        """A few lines for the person who labelled."""
        count = sum(self.labelled.values())
        by_intent = ", ".join(f"{i} {n}" for i, n in sorted(self.labelled.items()))
        lines = [
            f"{count} labelled"
            + (f" ({by_intent})" if by_intent else "")
            + f": {self.new_examples} new example{'s' if self.new_examples != 1 else ''} "
            f"in {nlu_dir / REVIEWED_FILE}",
            f"{self.ignored} ignored; {left} left to review",
        ]
        if self.new_examples:
            lines.append("retrain the model with `python -m bot nlu train`")
        return "\n".join(lines)


class Reviewer:
    """Applies labels: training data first, then the queue, so nothing labelled is lost."""

    def __init__(self, log: MisunderstoodLog, nlu_dir: Path, intents: Sequence[str]) -> None:
        self.log = log
        self.nlu_dir = nlu_dir
        self.intents = list(intents)
        self._heldout = HeldOut.of_project(nlu_dir)

    def refusal(self, item: ReviewItem, label: str) -> str | None:
        """Why this label cannot be applied to this item, or None."""
        problem = label_problem(label, self.intents)
        if problem is not None:
            return problem
        if label != IGNORE and self._heldout.holds(item.text):
            return (
                f"{item.text!r} is one of the held-out test messages "
                f"({self.nlu_dir / 'tests' / 'heldout.tsv'}); training on it would spoil "
                f"the accuracy figures: label it {IGNORE}"
            )
        return None

    async def apply(self, labelled: Sequence[tuple[ReviewItem, str]]) -> Outcome:
        """Apply every label, or none when one of them is refused.

        Raises:
            ReviewError: listing every refused label.

        """
        refused = [
            f"{item.text!r}: {why}"
            for item, label in labelled
            if (why := self.refusal(item, label)) is not None
        ]
        if refused:
            raise ReviewError("no label applied:\n" + "\n".join(refused))
        outcome = Outcome()
        examples: dict[str, list[str]] = {}
        for item, label in labelled:
            if label == IGNORE:
                outcome.ignored += 1
            else:
                examples.setdefault(label, []).append(item.text)
                outcome.labelled[label] += 1
        outcome.new_examples = add_reviewed(self.nlu_dir, examples)
        await self.log.labelled([text for texts in examples.values() for text in texts])
        await self.log.remove([i for item, _ in labelled for i in item.ids])
        return outcome
