"""Keeping the held-out test messages out of training.

The held-out figures (`nlu/tests/heldout.tsv`) only mean something if the model never
trained on those messages. A text counts as held-out when it folds (`normalise`) to a
held-out text, or has the same words in another order.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.nlu.evaluation import read_labelled_tsv
from bot.nlu.normalise import normalise
from bot.nlu.vocabulary import words

HELDOUT_FILE = Path("tests") / "heldout.tsv"


def word_bag(text: str) -> tuple[str, ...]:
    """The sorted words of `text` once folded: equal for reordered copies."""
    return tuple(sorted(words(normalise(text))))


class HeldOut:
    """The held-out texts, folded, to check a candidate training text against."""

    def __init__(self, texts: Iterable[str]) -> None:
        texts = list(texts)
        self._folded = {normalise(text) for text in texts}
        self._bags = {word_bag(text) for text in texts}

    @classmethod
    def of_project(cls, nlu_dir: Path) -> HeldOut:
        """The held-out texts of the Rasa project in `nlu_dir` (none if it has no file).

        Raises:
            LabelledFileError: the file exists but is malformed.

        """
        path = nlu_dir / HELDOUT_FILE
        return cls(h.text for h in read_labelled_tsv(path)) if path.is_file() else cls(())

    def holds(self, text: str) -> bool:
        """Whether `text` is a held-out text, after folding or reordered."""
        bag = word_bag(text)
        return normalise(text) in self._folded or (bool(bag) and bag in self._bags)
