"""The one place Redis keys are built.

Every key of one user carries the hash tag `{u:<id>}`, so all of a user's keys live in
one Redis Cluster slot and a turn's MULTI/EXEC never spans slots.
"""

from __future__ import annotations


class Keys:
    """Builds every Redis key under one prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _user(self, user_id: str, what: str) -> str:
        return f"{self.prefix}:{{u:{user_id}}}:{what}"

    def identity(self, channel: str, external_id: str) -> str:
        """`(channel, external id)` -> internal user id (a string)."""
        return f"{self.prefix}:identity:{channel}:{external_id}"

    def user(self, user_id: str) -> str:
        """The user's hash: id, created, locale, profile, identities, stage, ..."""
        return self._user(user_id, "user")

    def stage_history(self, user_id: str) -> str:
        """List of JSON transitions, oldest first."""
        return self._user(user_id, "stages")

    def transcript(self, user_id: str) -> str:
        """Stream of every inbound and outbound message."""
        return self._user(user_id, "transcript")

    def inbound(self, user_id: str, message_id: str) -> str:
        """Replies of an already processed inbound message (idempotency)."""
        return self._user(user_id, f"in:{message_id}")

    def turn_lock(self, user_id: str) -> str:
        """Held while one turn of the user runs (ordering across replicas)."""
        return self._user(user_id, "lock")

    def outbox(self, user_id: str) -> str:
        """Messages waiting for a REST customer to fetch them."""
        return self._user(user_id, "outbox")

    def unreachable(self, user_id: str) -> str:
        """Hash channel -> why and when the customer cannot be messaged there (blocked bot)."""
        return self._user(user_id, "unreachable")

    def pattern(self) -> str:
        """A SCAN pattern matching every key under this prefix."""
        return f"{self.prefix}:*"
