"""`nlu/data/reviewed.yml`: messages people labelled in `python -m bot nlu review`.

It is Rasa NLU training data like the other files of `nlu/data/`, so training includes
it and the project hash (which names the model) changes with it. Examples are kept as
the customers wrote them; training folds them like every other example.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from bot.nlu.normalise import normalise
from bot.nlu.training_data import TrainingDataError

REVIEWED_FILE = Path("data") / "reviewed.yml"
HEADER = (
    "# Messages the bot did not understand, labelled by people with `python -m bot nlu review`.\n"
    "# Training includes this file like the others (the model is retrained for it).\n"
    "# A wrong label can be fixed or removed here by hand.\n"
)
_SPACES = re.compile(r"\s+")


def as_example(text: str) -> str:
    """`text` as one example line: one line, and no `[..]` Rasa would read as entity markup."""
    return _SPACES.sub(" ", text.replace("[", "(").replace("]", ")")).strip()


def read_reviewed(nlu_dir: Path) -> dict[str, list[str]]:
    """The labelled examples by intent (empty when there is no file yet).

    Raises:
        TrainingDataError: the file is not valid YAML.

    """
    path = nlu_dir / REVIEWED_FILE
    if not path.is_file():
        return {}
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise TrainingDataError(f"{path}: not valid YAML: {exc}") from exc
    examples: dict[str, list[str]] = {}
    for item in document.get("nlu") or ():
        if isinstance(item, dict) and "intent" in item:
            lines = str(item.get("examples") or "").splitlines()
            found = [line.strip()[2:] for line in lines if line.strip().startswith("- ")]
            examples.setdefault(str(item["intent"]), []).extend(found)
    return examples


def add_reviewed(nlu_dir: Path, labelled: Mapping[str, Iterable[str]]) -> int:
    """Add `{intent: [texts]}` to the file; returns how many examples are new.

    A text already there (folded) is not added twice, whatever its intent.
    """
    examples = read_reviewed(nlu_dir)
    seen = {normalise(text) for texts in examples.values() for text in texts}
    added = 0
    for intent, texts in labelled.items():
        for text in map(as_example, texts):
            if text and normalise(text) not in seen:
                seen.add(normalise(text))
                examples.setdefault(intent, []).append(text)
                added += 1
    if added:
        _write(nlu_dir / REVIEWED_FILE, examples)
    return added


def _write(path: Path, examples: Mapping[str, list[str]]) -> None:
    blocks = []
    for intent in sorted(examples):
        lines = "".join(f"    - {text}\n" for text in examples[intent])
        blocks.append(f"- intent: {intent}\n  examples: |\n{lines}")
    content = HEADER + 'version: "3.1"\nnlu:\n' + "".join(blocks)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(content, encoding="utf-8")
    partial.replace(path)
