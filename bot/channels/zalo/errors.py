"""Zalo OA API error codes, as delivery outcomes (sources and confidence in docs/platforms.md).

The OA API answers HTTP 200 with `{"error": <code>, "message": ...}`; 0 is success.
"""

from __future__ import annotations

from bot.channels.shared.outcome import Outcome

TOKEN_INVALID = frozenset({-216, -124})  # refresh the access token and send again
RATE_LIMITED = frozenset({-32})  # too many calls: back off and try again
NOT_FOLLOWING = -213
USER_INACTIVE = -227
OUTSIDE_WINDOW = frozenset({-230})
QUOTA = frozenset({-211, -223})

_FINAL: dict[int, tuple[Outcome, str]] = {
    NOT_FOLLOWING: (Outcome.UNREACHABLE, "not_following"),
    USER_INACTIVE: (Outcome.UNREACHABLE, "inactive"),
    **{code: (Outcome.OUTSIDE_WINDOW, "outside the zalo 7-day window") for code in OUTSIDE_WINDOW},
    **{code: (Outcome.RATE_LIMITED, "zalo quota exceeded") for code in QUOTA},
}


def outcome_of(code: int, message: str) -> tuple[Outcome, str]:
    """What a final (not retried) error code means for the delivery."""
    return _FINAL.get(code, (Outcome.FAILED, f"zalo error {code}: {message}"))
