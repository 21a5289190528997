"""Scoring the NLU on a labelled TSV file (`intent<TAB>lang<TAB>text`), e.g. the held-out set.

Lines starting with `#` are comments; `# part: NAME` starts a named part (for example a
set written later by someone else), reported on its own as well as in the totals.
Texts go through the same `Nlu.parse` the bot uses, normalisation included, so the
figures are the ones customers get.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.errors import BotError
from bot.nlu.intents import KNOWN_INTENTS
from bot.nlu.normalise import strip_diacritics

if TYPE_CHECKING:
    from bot.nlu import Nlu

HEADER = ("intent", "lang", "text")
_EXAMPLES_PER_CONFUSION = 3
_PART = re.compile(r"#\s*part:\s*(?P<name>\S.*?)\s*$")


class LabelledFileError(BotError):
    """A labelled TSV file is malformed; the message names the line."""


@dataclass(frozen=True, slots=True)
class LabelledText:
    """One line of a labelled file: the intent a text should get."""

    intent: str
    lang: str
    text: str
    line: int
    part: str = ""

    @property
    def vi_without_diacritics(self) -> bool:
        """Whether this is Vietnamese typed without diacritics (the hardest case)."""
        return self.lang == "vi" and strip_diacritics(self.text) == self.text


def parse_labelled_tsv(content: str, source: str = "<tsv>") -> list[LabelledText]:
    """Read the lines of a labelled file; blank lines and `#` comments are skipped.

    Args:
        content: the file's text; the first line must be the header
            `intent<TAB>lang<TAB>text`.
        source: the file name used in error messages.

    Returns:
        The labelled texts, in file order.

    Raises:
        LabelledFileError: a bad header, a line without exactly three tab-separated
            fields, an empty field, or an intent the model does not know.

    """
    lines = content.lstrip("\ufeff").splitlines()
    if not lines or tuple(f.strip().lower() for f in lines[0].split("\t")) != HEADER:
        found = lines[0] if lines else "an empty file"
        raise LabelledFileError(
            f"{source}:1: the header must be intent<TAB>lang<TAB>text, found {found!r}"
        )
    labelled: list[LabelledText] = []
    part = ""
    for number, line in enumerate(lines[1:], start=2):
        if line.startswith("#"):
            if named := _PART.match(line):
                part = named["name"]
            continue
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(HEADER):
            raise LabelledFileError(
                f"{source}:{number}: expected 3 tab-separated fields, found {len(fields)}: {line!r}"
            )
        intent, lang, text = (f.strip() for f in fields)
        for name, value in zip(HEADER, (intent, lang, text), strict=True):
            if not value:
                raise LabelledFileError(f"{source}:{number}: the {name} field is empty")
        if intent not in KNOWN_INTENTS:
            raise LabelledFileError(f"{source}:{number}: unknown intent {intent!r}")
        labelled.append(LabelledText(intent, lang, text, number, part))
    if not labelled:
        raise LabelledFileError(f"{source}: no labelled lines after the header")
    return labelled


def read_labelled_tsv(path: Path) -> list[LabelledText]:
    """Read a labelled file from disk; see `parse_labelled_tsv`.

    Raises:
        LabelledFileError: the file cannot be read or is malformed.

    """
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelledFileError(f"{path}: cannot read it: {exc}") from exc
    return parse_labelled_tsv(content, str(path))


def _score(pairs: Iterable[tuple[LabelledText, str]]) -> dict[str, Any]:
    results = [example.intent == predicted for example, predicted in pairs]
    accuracy = sum(results) / len(results) if results else 0.0
    return {"n": len(results), "accuracy": round(accuracy, 4)}


def _totals(pairs: Sequence[tuple[LabelledText, str]]) -> dict[str, Any]:
    by_lang: dict[str, list[tuple[LabelledText, str]]] = defaultdict(list)
    for pair in pairs:
        by_lang[pair[0].lang].append(pair)
    return {
        **_score(pairs),
        "by_lang": {lang: _score(group) for lang, group in sorted(by_lang.items())},
        "vi_no_diacritics": _score(pair for pair in pairs if pair[0].vi_without_diacritics),
    }


def score(predictions: Sequence[tuple[LabelledText, str]]) -> dict[str, Any]:
    """Summarise (labelled text, predicted intent) pairs as the `nlu eval` report.

    Returns:
        `{"n", "accuracy", "by_lang", "vi_no_diacritics", "by_intent", "confusions"}`,
        plus `by_part` when the file names parts (each part with its own n, accuracy,
        `by_lang` and `vi_no_diacritics`); each group is `{"n", "accuracy"}`; confusions
        are the (intent, predicted) pairs that went wrong, most frequent first (then by
        name), with a few example texts.

    """
    by_intent: dict[str, list[tuple[LabelledText, str]]] = defaultdict(list)
    by_part: dict[str, list[tuple[LabelledText, str]]] = defaultdict(list)
    for pair in predictions:
        by_intent[pair[0].intent].append(pair)
        by_part[pair[0].part].append(pair)
    wrong = Counter((e.intent, p) for e, p in predictions if e.intent != p)
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for e, p in predictions:
        if e.intent != p and len(examples[e.intent, p]) < _EXAMPLES_PER_CONFUSION:
            examples[e.intent, p].append(e.text)
    parts = {name or "(before the first part)": _totals(pairs) for name, pairs in by_part.items()}
    return {
        **_totals(predictions),
        **({"by_part": parts} if list(by_part) != [""] else {}),
        "by_intent": {name: _score(pairs) for name, pairs in sorted(by_intent.items())},
        "confusions": [
            {"intent": intent, "predicted": predicted, "count": count, "examples": examples[key]}
            for key, count in sorted(wrong.items(), key=lambda item: (-item[1], item[0]))
            for intent, predicted in [key]
        ],
    }


async def evaluate(
    nlu: Nlu, labelled: Sequence[LabelledText], *, concurrency: int = 4
) -> dict[str, Any]:
    """Parse every labelled text with `nlu` and score the top intents; see `score`.

    Raises:
        NluUnavailable: the NLU stopped answering during the run.

    """
    gate = asyncio.Semaphore(concurrency)

    async def predict(example: LabelledText) -> tuple[LabelledText, str]:
        async with gate:
            return example, (await nlu.parse(example.text)).intent

    return score(await asyncio.gather(*(predict(e) for e in labelled)))
