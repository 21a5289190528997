"""Graph API errors of the Send API, as delivery outcomes (sources in docs/platforms.md).

An error answer is `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.channels.shared.outcome import Outcome

THROTTLED = frozenset({4, 17, 32, 613})  # application, user, page and API call limits
TRANSIENT = frozenset({1, 2})  # unknown / temporary errors: try again later
UNAVAILABLE = 551  # "This person isn't available right now" (blocked the page, left)
UNAVAILABLE_SUBCODES = frozenset({1545041})
WINDOW_SUBCODES = frozenset({2018278, 2534022})  # "sent outside of allowed window"
TOKEN_INVALID = 190


@dataclass(frozen=True, slots=True)
class GraphError:
    """The parts of a Graph error the bot decides on."""

    code: int
    subcode: int | None
    message: str

    @classmethod
    def of(cls, body: Any) -> GraphError:
        """The error in a Graph answer body (code 0 when there is none)."""
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict):
            return cls(0, None, str(body)[:200])
        subcode = error.get("error_subcode")
        return cls(
            int(error.get("code") or 0),
            int(subcode) if subcode is not None else None,
            str(error.get("message", "")),
        )

    @property
    def retryable(self) -> bool:
        """Worth trying again after a pause."""
        return self.code in THROTTLED or self.code in TRANSIENT

    def outcome(self) -> tuple[Outcome, str]:
        """What the error means for the delivery (after the retries, for retryable ones)."""
        if self.code in THROTTLED:
            return Outcome.RATE_LIMITED, self.message
        if self.code == UNAVAILABLE or self.subcode in UNAVAILABLE_SUBCODES:
            return Outcome.UNREACHABLE, "unavailable"
        if self.subcode in WINDOW_SUBCODES:
            return Outcome.OUTSIDE_WINDOW, "outside the messenger window"
        if self.code == TOKEN_INVALID:
            return Outcome.FAILED, f"page token rejected: {self.message}"
        return Outcome.FAILED, f"graph error {self.code}/{self.subcode}: {self.message}"
