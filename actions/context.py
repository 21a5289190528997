"""What an action sees of the turn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.lifecycle import Locale
from bot.nlu.parse import Parse
from bot.policies.catalog import Catalog
from bot.policies.checklist import Checklist
from bot.policies.referral_programme import ReferralProgramme
from bot.user import User


@dataclass(frozen=True, slots=True)
class Links:
    """Where referral links point: the Telegram bot and the web chat."""

    telegram_bot_username: str
    web_chat_url: str


@dataclass(frozen=True, slots=True)
class Referrals:
    """How many friends a customer brought: joined, and credited (reached the reward stage)."""

    joined: int = 0
    credited: int = 0


@dataclass(frozen=True, slots=True)
class ActionContext:
    """The read-only view an action decides on.

    `message` is the customer's text (or button payload). `reason` is what a stage
    move made by this action records in the history (`rule:<name>`,
    `transition:<name>` or `on_enter:<stage>`). `render` renders a
    marketer text with the customer's profile, stage and the catalog, plus the action's
    own variables; `new_code` makes a random code for trials and referrals. `referral` is
    the referral programme of the policies in force.
    """

    user: User
    message: str
    parse: Parse
    locale: Locale
    reason: str
    now: float
    catalog: Catalog
    checklist: Checklist | None
    referrals: Referrals
    links: Links
    render: Callable[..., str]
    new_code: Callable[[], str]
    support_wait_minutes: float = 15
    referral: ReferralProgramme | None = None
