"""How long an assigned conversation has waited for its owner, against the support SLA.

Once someone owns a conversation the clock is theirs: it starts at the assignment, or at
the customer's first message that nobody on staff has answered since, whichever is later.
A staff reply after the assignment, with nothing from the customer after it, stops it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

STAFF_AUTHOR = "staff:"
READ_BACK = 10  # transcript entries read to find the customer's unanswered messages


def _by_staff(entry: dict[str, Any]) -> bool:
    return entry["dir"] == "out" and str(entry.get("author", "")).startswith(STAFF_AUTHOR)


def waiting_since(entries: Sequence[dict[str, Any]], assigned_at: float) -> float | None:
    """When the owner's wait began, or None when the owner's side has answered."""
    last_reply = max((i for i, e in enumerate(entries) if _by_staff(e)), default=-1)
    unanswered = [e for e in entries[last_reply + 1 :] if e["dir"] == "in"]
    replied = last_reply >= 0 and float(entries[last_reply]["at"]) >= assigned_at
    if unanswered:
        return max(assigned_at, float(unanswered[0]["at"]))
    return None if replied else assigned_at


def overdue(since: float | None, now: float, sla_seconds: float) -> bool:
    """Whether a wait that began at `since` has gone past the SLA."""
    return since is not None and now - since >= sla_seconds
