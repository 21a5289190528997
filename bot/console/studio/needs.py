"""What the studio uses of the bot: one narrow set, built once by the wiring."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from aiohttp import web
from redis.asyncio import Redis

from bot.console.accounts import Accounts
from bot.engine import Engine
from bot.policies.active import ActivePolicies
from bot.policies.reload import PolicyFollower
from bot.policies.revisions import Revisions
from bot.policies.schema import PolicySet
from bot.store.keys import Keys
from bot.store.users import Users


class Sandbox(Protocol):
    """An engine of its own, under its own key prefix (`bot.wiring.build_core`)."""

    @property
    def engine(self) -> Engine:
        """Runs the simulated turns."""
        ...

    @property
    def users(self) -> Users:
        """Where the simulated customer is stored."""
        ...


SandboxFactory = Callable[[str, PolicySet], Sandbox]
"""Builds a sandbox for a key prefix and a policy set."""


@dataclass(frozen=True, slots=True)
class StudioNeeds:
    """The stores and settings the studio's pages and simulator use, and nothing else."""

    redis: Redis
    keys: Keys
    policies_dir: Path
    time_zone: str
    intents: frozenset[str]
    policies: ActivePolicies
    revisions: Revisions
    follower: PolicyFollower
    accounts: Accounts
    sandbox: SandboxFactory


STUDIO = web.AppKey("studio", StudioNeeds)
