"""What a proactive message is, for the engine: the actions to run and how to mark it sent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from bot.effects import Reply
from bot.policies.schema import ActionCallBase, PolicySet
from bot.scheduler.guardrails import Verdict
from bot.user import User

PROACTIVE_INTENT = "proactive"  # what actions see as the "intent" of a message the bot starts


def _nothing(_user: User) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Proactive:
    """Run `calls` for the customer on `channel`; `mark` records on them that it was sent.

    `silent`: keep the calls' effects (a stage move) but send and transcribe no message.
    `ready`: replies written earlier (held ones), sent after the calls' own.
    `hold`: given the replies instead of sending them now (before the commit).
    """

    reason: str
    calls: list[ActionCallBase]
    channel: str
    mark: Callable[[User], None] = field(default=_nothing)
    silent: bool = False
    ready: tuple[Reply, ...] = ()
    hold: Callable[[User, list[Reply]], Awaitable[None]] | None = None


@dataclass(frozen=True, slots=True)
class ProactiveOutcome:
    """The customer after the message, its replies, or the verdict that stopped it."""

    user: User | None
    replies: list[Reply]
    verdict: Verdict | None
    channel: str = ""  # where the replies go (the one the guardrails checked)


ProactiveChooser = Callable[[User, PolicySet, float], Awaitable[Proactive | Verdict]]
