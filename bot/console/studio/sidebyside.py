"""Two revisions side by side: the old text left, the new right, changes marked per line."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from itertools import zip_longest

CONTEXT = 3  # unchanged lines shown around each change


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the side-by-side view; `kind` is same, changed, removed, added or gap."""

    kind: str
    old_number: int | None = None
    old: str = ""
    new_number: int | None = None
    new: str = ""


def side_by_side(old: str, new: str) -> list[Row]:
    """The changed parts of two texts with their context; a gap row between parts."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[Row] = []
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False).get_grouped_opcodes(CONTEXT):
        if rows:
            rows.append(Row("gap"))
        for tag, i1, i2, j1, j2 in group:
            rows += _rows(tag, a, b, i1, i2, j1, j2)
    return rows


def _rows(tag: str, a: list[str], b: list[str], i1: int, i2: int, j1: int, j2: int) -> list[Row]:
    if tag == "equal":
        return [
            Row("same", i + 1, a[i], j + 1, b[j])
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
        ]
    rows = []
    for i, j in zip_longest(range(i1, i2), range(j1, j2)):
        kind = "changed" if i is not None and j is not None else "removed" if j is None else "added"
        rows.append(
            Row(
                kind,
                None if i is None else i + 1,
                "" if i is None else a[i],
                None if j is None else j + 1,
                "" if j is None else b[j],
            )
        )
    return rows
