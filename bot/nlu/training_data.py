"""Folding the Rasa training data with the same `normalise` the client applies at parse time.

The model only ever sees folded text, so every example, synonym and lookup element of
`nlu/data/*.yml` is folded before training. Entity markup survives: the text inside the
brackets and the entity value are folded, the markup and its keys are kept.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from bot.errors import BotError
from bot.nlu.normalise import normalise

# `[text](entity)`, `[text](entity:value)` or `[text]{"entity": ..., "value": ...}`.
MARKUP = re.compile(r"\[(?P<text>[^\]]*)\](?:\((?P<paren>[^)]*)\)|(?P<json>\{[^}]*\}))")
_FOLDED_KEYS = ("intent", "synonym", "lookup")


class TrainingDataError(BotError):
    """A training data file cannot be read or has a shape Rasa would reject."""


def fold_example(example: str) -> str:
    """Fold one training example, keeping its entity markup intact.

    Args:
        example: one example line without its leading "- ".

    Returns:
        The example as the model should see it, e.g. `mua goi [chuyen nghiep](plan)`.

    """
    parts: list[str] = []
    last = 0
    for match in MARKUP.finditer(example):
        parts.append(_fold_segment(example[last : match.start()]))
        parts.append(f"[{normalise(match['text'])}]{_fold_annotation(match)}")
        last = match.end()
    parts.append(_fold_segment(example[last:]))
    return "".join(parts).strip()


def _fold_segment(segment: str) -> str:
    # normalise() strips the edges; a space next to the markup must stay a space.
    if not segment.strip():
        return " " if segment else ""
    lead = " " if segment[0].isspace() else ""
    trail = " " if segment[-1].isspace() else ""
    return f"{lead}{normalise(segment)}{trail}"


def _fold_annotation(match: re.Match[str]) -> str:
    if match["paren"] is not None:
        entity, colon, value = match["paren"].partition(":")
        return f"({entity}{colon}{normalise(value)})" if colon else f"({entity})"
    try:
        annotation = json.loads(match["json"])
    except json.JSONDecodeError as exc:
        raise TrainingDataError(f"bad entity annotation {match['json']!r}: {exc}") from exc
    if isinstance(annotation, dict) and isinstance(annotation.get("value"), str):
        annotation["value"] = normalise(annotation["value"])
    return json.dumps(annotation, ensure_ascii=False)


def _fold_examples(examples: Any) -> Any:
    if isinstance(examples, str):
        lines: list[str] = []
        for line in examples.splitlines():
            stripped = line.strip()
            if stripped.startswith("- "):
                folded = fold_example(stripped[2:])
                # Variants with and without diacritics fold to one line: keep it once.
                if folded and folded not in lines:
                    lines.append(folded)
            elif stripped:
                lines.append(stripped)
        return "".join(f"- {line}\n" for line in lines)
    if isinstance(examples, list):  # the `- text: ...` form with metadata
        return [
            {**item, "text": fold_example(str(item["text"]))}
            if isinstance(item, dict) and "text" in item
            else item
            for item in examples
        ]
    return examples


def fold_document(document: dict[str, Any]) -> dict[str, Any]:
    """Fold the `nlu:` section of one parsed Rasa data file; other sections are kept."""
    items = document.get("nlu")
    if not isinstance(items, list):
        return document
    folded_items: list[Any] = []
    for item in items:
        if isinstance(item, dict) and any(key in item for key in _FOLDED_KEYS):
            item = dict(item)
            if "synonym" in item:
                item["synonym"] = normalise(str(item["synonym"]))
            if "examples" in item:
                item["examples"] = _fold_examples(item["examples"])
        # Regexes are left alone: folding would change their meaning (`\D` -> `\d`).
        folded_items.append(item)
    return {**document, "nlu": folded_items}


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line strings as `|` blocks, the way Rasa's own files look."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _str_representer)


def prepare_training_data(nlu_dir: Path, out_dir: Path) -> list[Path]:
    """Write the folded copy of `nlu_dir/data/**/*.yml` into `out_dir`.

    Args:
        nlu_dir: the Rasa project folder (holding `data/`).
        out_dir: where the folded files go, under the same relative paths; it is
            emptied first so removed source files do not linger.

    Returns:
        The written files.

    Raises:
        TrainingDataError: a file is not valid YAML or there is no training data.

    """
    data_dir = nlu_dir / "data"
    sources = sorted(p for p in data_dir.rglob("*") if p.suffix in {".yml", ".yaml"})
    if not sources:
        raise TrainingDataError(f"no training data: {data_dir} has no .yml files")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    written: list[Path] = []
    for source in sources:
        try:
            document = yaml.safe_load(source.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise TrainingDataError(f"{source}: not valid YAML: {exc}") from exc
        target = out_dir / source.relative_to(data_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(document, dict):
            text = yaml.dump(
                fold_document(document),
                Dumper=_LiteralDumper,
                allow_unicode=True,
                sort_keys=False,
                width=1000,
            )
            target.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(source, target)
        written.append(target)
    return written
