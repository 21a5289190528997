"""The known-vocabulary guard: text without a single known word is not understood.

A neural intent classifier always answers with some intent, and with character n-gram
features it can be confident about keyboard mashing ("xjqz vbnm plokk wq" came back as
`out_of_scope` at 0.9). The guard runs in the client before Rasa is asked: when none of
the words of the folded text occurs in the (folded) training data, not even as a close
typo, the parse is `nlu_fallback` with confidence 0. Digits are not words here, so a
bare "9" still goes to the model.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from bot.nlu.normalise import normalise
from bot.nlu.training_data import MARKUP

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# A word this long or longer may be a typo of a known word ("giam gai", "pricng").
_FUZZY_MIN_LENGTH = 4
_FUZZY_CUTOFF = 0.8


def words(folded: str) -> list[str]:
    """The alphabetic words of an already folded text."""
    return _WORD.findall(folded)


def _example_lines(examples: Any) -> Iterable[str]:
    if isinstance(examples, str):
        for line in examples.splitlines():
            stripped = line.strip()
            if stripped.startswith("- "):
                yield stripped[2:]
    elif isinstance(examples, list):
        for item in examples:
            if isinstance(item, dict) and "text" in item:
                yield str(item["text"])


def vocabulary_of(documents: Iterable[Any]) -> frozenset[str]:
    """The folded words of every example, synonym and lookup of parsed Rasa data files."""
    found: set[str] = set()
    for document in documents:
        items = document.get("nlu") if isinstance(document, dict) else None
        for item in items if isinstance(items, list) else ():
            if not isinstance(item, dict) or "regex" in item:
                continue
            texts = list(_example_lines(item.get("examples")))
            if "synonym" in item:
                texts.append(str(item["synonym"]))
            for text in texts:
                found.update(words(normalise(MARKUP.sub(r"\g<text>", text))))
    return frozenset(found)


def load_vocabulary(nlu_dir: Path) -> frozenset[str] | None:
    """The vocabulary of `nlu_dir/data`, or None when there is no readable training data."""
    data_dir = nlu_dir / "data"
    if not data_dir.is_dir():
        return None
    documents = []
    for path in sorted(p for p in data_dir.rglob("*") if p.suffix in {".yml", ".yaml"}):
        try:
            documents.append(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError):
            continue
    vocabulary = vocabulary_of(documents)
    return vocabulary or None


def knows_any_word(folded: str, vocabulary: frozenset[str]) -> bool:
    """Whether the folded text has a known word, or a near typo of one; True if it has no words."""
    unknown = [word for word in words(folded) if word not in vocabulary]
    if len(unknown) < len(words(folded)) or not unknown:
        return True
    return any(
        difflib.get_close_matches(word, vocabulary, n=1, cutoff=_FUZZY_CUTOFF)
        for word in unknown
        if len(word) >= _FUZZY_MIN_LENGTH
    )
