"""The real training data and the held-out file: enough examples, and kept apart.

The held-out figures in nlu/README.md only mean something if no held-out message was
trained on, including the messages people labelled with `nlu review` (reviewed.yml).
Texts are compared as the model sees them (folded by `normalise`, entity markup
removed) and also as bags of words, so a reordered copy is caught too.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.nlu.evaluation import read_labelled_tsv
from bot.nlu.intents import INTENTS
from bot.nlu.normalise import normalise
from bot.nlu.training_data import MARKUP
from bot.nlu.vocabulary import words

NLU = Path(__file__).resolve().parents[2] / "nlu"
MIN_EXAMPLES = 30
MIN_HELDOUT = 10


def _training_examples(name: str) -> dict[str, set[str]]:
    path = NLU / "data" / f"{name}.yml"
    if not path.is_file():  # reviewed.yml appears once people label with `nlu review`
        return {}
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_intent: dict[str, set[str]] = {}
    for item in document["nlu"]:
        if "intent" not in item:
            continue
        lines = [line.strip()[2:] for line in item["examples"].splitlines()]
        folded = {normalise(MARKUP.sub(r"\g<text>", line)) for line in lines if line}
        by_intent.setdefault(item["intent"], set()).update(folded)
    return by_intent


TRAINING = {name: _training_examples(name) for name in ("en", "vi", "reviewed")}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_intent_has_enough_distinct_examples(lang: str) -> None:
    counts = {intent: len(TRAINING[lang].get(intent, ())) for intent in INTENTS}
    assert {i: n for i, n in counts.items() if n < MIN_EXAMPLES} == {}


def test_heldout_covers_every_intent_in_both_languages() -> None:
    heldout = read_labelled_tsv(NLU / "tests" / "heldout.tsv")
    counts = Counter((h.intent, h.lang) for h in heldout)
    short = {
        (i, lang): counts[i, lang]
        for i in INTENTS
        for lang in ("en", "vi")
        if counts[i, lang] < MIN_HELDOUT
    }
    assert short == {}


def test_heldout_is_disjoint_from_training() -> None:
    trained = {
        text for by_intent in TRAINING.values() for texts in by_intent.values() for text in texts
    }
    bags = {tuple(sorted(words(text))) for text in trained}
    heldout = read_labelled_tsv(NLU / "tests" / "heldout.tsv")
    copied = [h.text for h in heldout if normalise(h.text) in trained]
    reordered = [h.text for h in heldout if tuple(sorted(words(normalise(h.text)))) in bags]
    assert copied == []
    assert reordered == []
