"""The rules of a merge: what one customer made of two looks like.

Pure functions over what the store read; `bot.linking.merge` writes the result.

- Stage: the more advanced stage wins, unless the newest stage move of either customer
  was a manual (staff) move, newer than every move of the other: a person decided it.
- Stage histories, transcripts, events and closed handoffs interleave by time.
- State: the survivor's conversation context (what it was asked, what it awaits) stays;
  an opt-out on either stays; an open handoff is kept (of two, the older, the other
  noted); of two trials the earlier; flags, coupons, follow-ups sent and broadcasts
  received combine; the latest NPS/CSAT answer stays.
- Profile: the survivor's fields, the absorbed customer's filling the gaps.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from bot.customer_state import CustomerState, customer_state
from bot.lifecycle import Stage, Transition
from bot.user import User

STAGE_ORDER = list(Stage)
MANUAL = "manual:"
KEPT_IDS = 50  # broadcasts received, events reacted to: as the turns keep them


@dataclass(slots=True)
class Merged:
    """The survivor after the merge, and what a person may want to know about it."""

    user: User
    notes: list[str] = field(default_factory=list)


def winning_stage(
    survivor: User, absorbed: User, histories: tuple[list[Transition], list[Transition]]
) -> tuple[Stage, float]:
    """The stage of the merged customer and when they entered it (see the module)."""
    mine, theirs = histories
    for manual, other, user in ((mine, theirs, survivor), (theirs, mine, absorbed)):
        if manual and manual[-1].reason.startswith(MANUAL):
            newest_other = max((t.at for t in other), default=float("-inf"))
            if manual[-1].at > newest_other:
                return user.stage, user.stage_entered_at
    if STAGE_ORDER.index(absorbed.stage) > STAGE_ORDER.index(survivor.stage):
        return absorbed.stage, absorbed.stage_entered_at
    return survivor.stage, survivor.stage_entered_at


def merged_user(
    survivor: User, absorbed: User, histories: tuple[list[Transition], list[Transition]]
) -> Merged:
    """The survivor with the absorbed customer folded in (its stage not yet moved)."""
    user = User(
        id=survivor.id,
        created=min(survivor.created, absorbed.created),
        locale=survivor.locale,
        stage=survivor.stage,
        stage_entered_at=survivor.stage_entered_at,
        identities=list(dict.fromkeys([*survivor.identities, *absorbed.identities])),
        profile={**absorbed.profile, **survivor.profile},
    )
    merged = Merged(user)
    user.state = merged_state(survivor.state, absorbed.state, merged.notes)
    return merged


def merged_state(mine: CustomerState, theirs: CustomerState, notes: list[str]) -> CustomerState:
    """The state of the merged customer (see the module's rules)."""
    a, b = cast(dict[str, Any], dict(mine)), cast(dict[str, Any], dict(theirs))
    state: dict[str, Any] = {**b, **a}  # any key the rules below do not name: survivor first
    if a.get("opted_out") or b.get("opted_out"):
        state["opted_out"] = True
    state["handoff"] = _older("handoff", a, b, "started", notes)
    state["trial"] = _older("trial", a, b, "started", notes)
    for key in ("nps", "csat"):
        state[key] = _newer(a.get(key), b.get(key))
    state["flags"] = {**(b.get("flags") or {}), **(a.get("flags") or {})}
    coupons: dict[str, int] = dict(b.get("coupons") or {})
    for name, times in (a.get("coupons") or {}).items():
        coupons[name] = max(times, coupons.get(name, 0))
    state["coupons"] = coupons
    sent = dict(b.get("follow_ups") or {})
    for name, anchor in (a.get("follow_ups") or {}).items():
        sent[name] = max(anchor, sent.get(name, anchor))
    state["follow_ups"] = sent
    for key in ("broadcasts", "events_reacted"):
        ids = [*(b.get(key) or []), *(a.get(key) or [])]
        state[key] = list(dict.fromkeys(ids))[-KEPT_IDS:]
    state["referral_credited"] = bool(a.get("referral_credited") or b.get("referral_credited"))
    state["last_seen"] = max(a.get("last_seen", 0.0), b.get("last_seen", 0.0))
    state["follow_ups_planned"] = dict(a.get("follow_ups_planned") or {})
    computed = (
        "handoff",
        "trial",
        "nps",
        "csat",
        "flags",
        "coupons",
        "follow_ups",
        "broadcasts",
        "events_reacted",
        "referral_credited",
        "follow_ups_planned",
        "opted_out",
    )
    empty = [k for k in computed if k in state and state[k] in (None, {}, [], False)]
    return customer_state({k: v for k, v in state.items() if k not in empty})


def _older(
    key: str, mine: dict[str, Any], theirs: dict[str, Any], at: str, notes: list[str]
) -> Any:
    """Of two records, the one that started first; the other is noted."""
    first, second = mine.get(key), theirs.get(key)
    if not first or not second:
        return first or second
    kept, dropped = (first, second) if first[at] <= second[at] else (second, first)
    notes.append(f"{key} {json.dumps(dropped, ensure_ascii=False)} replaced by the older one")
    return kept


def _newer(first: Any, second: Any) -> Any:
    if not first or not second:
        return first or second
    return first if first["at"] >= second["at"] else second


def interleaved_history(mine: list[Transition], theirs: list[Transition]) -> list[Transition]:
    """Both stage histories in time order; theirs already in mine once (a merge run again)."""
    known = set(mine)
    return sorted([*mine, *(t for t in theirs if t not in known)], key=lambda t: t.at)


def interleaved_transcript(mine: Iterable[str], theirs: Iterable[str]) -> list[str]:
    """Both transcripts (stored JSON entries) in the order of their ids, each once.

    Ids are the Redis server's time, so this is the order the messages were written in.
    """
    mine = list(mine)
    known = set(mine)
    return sorted([*mine, *(raw for raw in theirs if raw not in known)], key=entry_order)


def entry_order(raw: str) -> tuple[int, int]:
    """The sort key of a stored transcript entry: its id `<ms>-<seq>`."""
    ms, _, seq = str(json.loads(raw).get("id", "0-0")).partition("-")
    return int(ms), int(seq or 0)


def interleaved_events(
    mine: list[dict[str, str]], theirs: list[dict[str, str]]
) -> list[dict[str, str]]:
    """Both event streams' fields in time order (`at`); theirs already in mine once."""
    known = {json.dumps(fields, sort_keys=True) for fields in mine}
    added = [f for f in theirs if json.dumps(f, sort_keys=True) not in known]
    return sorted([*mine, *added], key=lambda fields: float(fields.get("at", 0)))
