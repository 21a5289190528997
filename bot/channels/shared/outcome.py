"""How sending to one customer ended, in the same terms on every platform.

The channel acts on it: `UNREACHABLE` marks the customer unreachable on the channel
(`reason` says why: blocked, not following), `OUTSIDE_WINDOW` and `RATE_LIMITED` let the
scheduler record why a proactive message did not go and try another time or way.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Outcome(Enum):
    """The platform's verdict on a batch of replies."""

    SENT = "sent"
    UNREACHABLE = "unreachable"  # blocked, unfollowed, account gone: stop trying
    OUTSIDE_WINDOW = "outside_window"  # the platform refuses free-form messages now
    RATE_LIMITED = "rate_limited"  # still throttled (or out of quota) after the retries
    FAILED = "failed"  # rejected or given up for another reason (logged)


@dataclass(frozen=True, slots=True)
class SendResult:
    """An outcome with the platform's reason (`blocked`, `not_following`, an error text)."""

    outcome: Outcome
    reason: str = ""
    sent: int = 0  # messages the platform accepted before the outcome

    @property
    def ok(self) -> bool:
        """Whether every message went out."""
        return self.outcome is Outcome.SENT


def sent(count: int) -> SendResult:
    """All `count` messages were accepted."""
    return SendResult(Outcome.SENT, sent=count)
