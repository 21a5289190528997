"""The policy set the bot currently runs."""

from __future__ import annotations

from bot.policies.schema import PolicySet


class ActivePolicies:
    """Holds the current `PolicySet`; a turn reads `current` once and keeps that revision.

    `number` is the published revision it came from (None: loaded from a directory).
    """

    def __init__(self, initial: PolicySet, number: int | None = None) -> None:
        self.current = initial
        self.number = number

    def replace(self, policies: PolicySet, number: int | None = None) -> None:
        """Switch to another revision; turns already running keep theirs."""
        self.current, self.number = policies, number
