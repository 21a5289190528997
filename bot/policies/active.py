"""The policy set the bot currently runs."""

from __future__ import annotations

from bot.policies.schema import PolicySet


class ActivePolicies:
    """Holds the current `PolicySet`; a turn reads `current` once and keeps that revision."""

    def __init__(self, initial: PolicySet) -> None:
        self.current = initial

    def replace(self, policies: PolicySet) -> None:
        """Switch to another revision; turns already running keep theirs."""
        self.current = policies
