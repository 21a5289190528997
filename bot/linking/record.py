"""The record of one merge, kept on the survivor for the retention period (unmerge)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.errors import BotError
from bot.linking.snapshot import Snapshot

DEFAULT_RETENTION_DAYS = 30.0


class NothingToMerge(BotError):
    """The two ids are one customer, neither was ever seen, or one was merged already."""


class NoSuchMerge(BotError):
    """No merge of that identity into the customer is on record (or it is too old)."""


@dataclass(slots=True)
class MergeRecord:
    """Who merged which customer into which, when, and the absorbed customer as it was."""

    survivor: str
    absorbed: str
    by: str
    at: float
    identities: list[str]
    codes: list[tuple[str, str]]
    """`(kind, code)` of the absorbed customer's trial and referral codes, now the survivor's."""
    snapshot: Snapshot
    notes: list[str] = field(default_factory=list)
    follow_ups: dict[str, dict[str, Any]] = field(default_factory=dict)
    """The absorbed customer's queued follow-ups (`bot.linking.follow_ups.Queued`)."""

    def to_json(self) -> str:
        """The form kept in the survivor's `merges` hash."""
        data: dict[str, Any] = {
            "survivor": self.survivor, "absorbed": self.absorbed, "by": self.by, "at": self.at,
            "identities": self.identities, "codes": self.codes, "notes": self.notes,
            "snapshot": self.snapshot.to_json(), "follow_ups": self.follow_ups,
        }  # fmt: skip
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> MergeRecord:
        """Inverse of `to_json`."""
        data = json.loads(raw)
        return cls(
            survivor=data["survivor"],
            absorbed=data["absorbed"],
            by=data["by"],
            at=float(data["at"]),
            identities=list(data["identities"]),
            codes=[(str(kind), str(code)) for kind, code in data["codes"]],
            snapshot=Snapshot.from_json(data["snapshot"]),
            notes=list(data["notes"]),
            follow_ups=dict(data.get("follow_ups", {})),  # none in records of older merges
        )

    def to_api(self) -> dict[str, Any]:
        """What the admin API shows of a merge (no snapshot: that is personal data)."""
        return {
            "survivor": self.survivor, "absorbed": self.absorbed, "by": self.by, "at": self.at,
            "identities": self.identities, "notes": self.notes,
        }  # fmt: skip
