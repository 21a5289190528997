"""Change sets: a decision works on a draft that is merged only when it succeeds.

A failed policy must not leave half its effects, and no hand-written list of fields
should have to say what "undo" means: a draft starts empty (with a copy of the
customer), and merging takes every list field whatever it is called.
"""

from __future__ import annotations

from dataclasses import fields

from bot.store.turns import TurnWrite


def draft_of(write: TurnWrite) -> TurnWrite:
    """An empty change set on a private copy of the customer."""
    return TurnWrite(user=write.user.copy(), message_id=write.message_id, at=write.at)


def merge(into: TurnWrite, draft: TurnWrite) -> None:
    """Add a successful draft's changes to `into`: its customer, lists and flags."""
    into.user = draft.user
    for spec in fields(TurnWrite):
        mine, theirs = getattr(into, spec.name), getattr(draft, spec.name)
        if isinstance(mine, list):
            mine.extend(theirs)
        elif isinstance(mine, bool):
            setattr(into, spec.name, mine or theirs)
