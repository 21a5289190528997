"""Messaging windows: when a platform lets a business send a free-form message.

Zalo and Messenger only accept free-form messages for a while after the customer's last
interaction. A verdict says whether a message may go now and, if not, why (a reason the
scheduler records); `closes_at` lets a follow-up planned later be dropped in advance.
"""

from __future__ import annotations

from dataclasses import dataclass

DAY = 86400.0


@dataclass(frozen=True, slots=True)
class WindowVerdict:
    """May a free-form message go now; `tag` is what the platform needs to allow it."""

    allowed: bool
    reason: str = ""
    closes_at: float | None = None
    tag: str | None = None


def hours(seconds: float) -> str:
    """A duration for a reason text: `30h`, `8.5 days`."""
    if seconds < 2 * DAY:
        return f"{seconds / 3600:.0f}h"
    return f"{seconds / DAY:.1f} days"


def within(
    platform: str, last_inbound: float | None, now: float, length: float, label: str
) -> WindowVerdict:
    """The verdict of one window of `length` seconds opened by the last inbound message."""
    if last_inbound is None:
        return WindowVerdict(False, f"{platform}: the customer has not written yet")
    closes_at = last_inbound + length
    if now < closes_at:
        return WindowVerdict(True, closes_at=closes_at)
    reason = f"outside the {platform} {label} window (last message {hours(now - last_inbound)} ago)"
    return WindowVerdict(False, reason, closes_at=closes_at)
