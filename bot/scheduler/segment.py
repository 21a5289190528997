"""Who a broadcast goes to: stage, locale, channel, tags and when customers were last seen."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.lifecycle import Locale, Stage
from bot.policies.timing import parse_duration
from bot.user import User


class Segment(BaseModel):
    """All given conditions must hold; an empty segment is every customer.

    `channel` keeps customers with an identity on one of those channels (`zalo`,
    `messenger`, `telegram`, `rest`); `tags` must all be in the customer's `profile.tags`;
    `flags` must all be set on the customer (e.g. `churn_risk`, set by the `flag` action);
    `seen_within` / `silent_for` are durations (`7d`) since their last message.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: list[Stage] | None = None
    locale: Locale | None = None
    channel: list[str] | None = None
    tags: list[str] = []
    flags: list[str] = []
    seen_within: float | None = Field(default=None, gt=0)
    silent_for: float | None = Field(default=None, gt=0)

    @field_validator("stage", "channel", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("seen_within", "silent_for", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return None if value is None else parse_duration(value)

    def matches(self, user: User, now: float) -> bool:
        """Whether `user` is in the segment at `now`."""
        if self.stage is not None and user.stage not in self.stage:
            return False
        if self.locale is not None and user.locale != self.locale:
            return False
        if self.channel is not None and not any(
            identity.partition(":")[0] in self.channel for identity in user.identities
        ):
            return False
        tags = user.profile.get("tags", [])
        if not all(tag in (tags if isinstance(tags, list) else []) for tag in self.tags):
            return False
        flags = user.state.get("flags")
        if not all(flag in (flags if isinstance(flags, dict) else {}) for flag in self.flags):
            return False
        seen = float(user.state.get("last_seen", user.created))
        if self.seen_within is not None and now - seen > self.seen_within:
            return False
        return self.silent_for is None or now - seen >= self.silent_for
