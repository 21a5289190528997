"""The working state of one turn while its policy's actions run."""

from __future__ import annotations

from dataclasses import dataclass

from actions.context import Referrals
from bot.nlu.parse import Parse
from bot.policies.schema import PolicySet
from bot.store.turns import TurnWrite
from bot.user import User


@dataclass(slots=True)
class Turn:
    """One message being decided: the customer (a draft), what it changes, and its facts.

    `write.user` is `user`: actions see the customer as the turn has changed them so far.
    """

    write: TurnWrite
    policies: PolicySet
    message: str
    parse: Parse
    now: float
    referrals: Referrals

    @property
    def user(self) -> User:
        """The customer as this turn has changed them so far."""
        return self.write.user
