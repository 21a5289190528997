"""The review queue as a TSV file, for labelling without a terminal (or in a spreadsheet).

`nlu review --export FILE.tsv` writes one line per distinct text with an empty `label`
column; a person fills in intents or `ignore` (or leaves it empty: the text stays in the
queue), and `nlu review --import FILE.tsv` applies them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.nlu.review import ReviewError, ReviewItem

COLUMNS = (
    "id",
    "closest_intent",
    "confidence",
    "count",
    "stage",
    "locale",
    "text",
    "other_intents",
    "bot_reply",
    "last_seen",
    "label",
)
_ID, _TEXT, _LABEL = COLUMNS.index("id"), COLUMNS.index("text"), COLUMNS.index("label")


def _cell(value: str) -> str:
    # A tab or a line break inside a value would break the columns.
    return " ".join(value.split())


def export_tsv(items: Sequence[ReviewItem], time_zone: str) -> str:
    """The items as TSV with a header; `last_seen` in local time."""
    zone = ZoneInfo(time_zone)
    lines = ["\t".join(COLUMNS)]
    for item in items:
        closest, confidence = item.top[0] if item.top else ("", 0.0)
        others = ", ".join(f"{name} {conf:.2f}" for name, conf in item.top[1:])
        seen = datetime.fromtimestamp(item.at, zone).strftime("%Y-%m-%d %H:%M")
        row = (
            ",".join(item.ids),
            closest,
            f"{confidence:.2f}",
            str(item.count),
            item.stage,
            item.locale,
            item.text,
            others,
            item.reply,
            seen,
            "",
        )
        lines.append("\t".join(map(_cell, row)))
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class LabelRow:
    """A labelled line of an imported file."""

    line: int
    ids: tuple[str, ...]
    text: str
    label: str


def parse_tsv(content: str, source: str) -> list[LabelRow]:
    """The lines with a label; lines with an empty label are left for later.

    Raises:
        ReviewError: the header is not the exported one, or a line has the wrong columns.

    """
    lines = content.lstrip("\ufeff").splitlines()
    header = tuple(lines[0].rstrip("\r").split("\t")) if lines else ()
    if header != COLUMNS:
        raise ReviewError(
            f"{source}:1: not a review file: the header must be the one "
            "`python -m bot nlu review --export` writes: " + "\\t".join(COLUMNS)
        )
    rows: list[LabelRow] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.rstrip("\r").split("\t")
        if len(fields) == len(COLUMNS) - 1:  # spreadsheets drop a trailing empty cell
            fields.append("")
        if len(fields) != len(COLUMNS):
            raise ReviewError(
                f"{source}:{number}: expected {len(COLUMNS)} tab-separated columns, "
                f"found {len(fields)}"
            )
        label = fields[_LABEL].strip()
        if label:
            ids = tuple(i.strip() for i in fields[_ID].split(",") if i.strip())
            rows.append(LabelRow(number, ids, fields[_TEXT], label))
    return rows
