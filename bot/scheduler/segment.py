"""Who a broadcast goes to: stage, locale, channel, tags and when customers were last seen."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

from bot.customer_state import LAST_SEEN, flags_of
from bot.lifecycle import Locale, Stage
from bot.policies.timing import parse_duration
from bot.user import User


class Did(BaseModel):
    """The customer did product event `event` at least `at_least` times within `within`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event: str = Field(pattern=r"^[a-z][a-z0-9_.]{0,63}$")
    at_least: StrictInt = Field(default=1, ge=1, le=1_000_000)
    within: float = Field(gt=0)

    @field_validator("within", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return parse_duration(value)


class Segment(BaseModel):
    """All given conditions must hold; an empty segment is every customer.

    `channel` keeps customers with an identity on one of those channels (`zalo`,
    `messenger`, `telegram`, `rest`); `tags` must all be in the customer's `profile.tags`;
    `flags` must all be set on the customer (e.g. `churn_risk`, set by the `flag` action);
    `seen_within` / `silent_for` are durations (`7d`) since their last message; each of
    `did` counts a product event (`{"event": "invoice_paid", "at_least": 2, "within":
    "30d"}`): `matches` sees only the customer's record, `Broadcasts.audience` counts them.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: list[Stage] | None = None
    locale: Locale | None = None
    channel: list[str] | None = None
    tags: list[str] = []
    flags: list[str] = []
    seen_within: float | None = Field(default=None, gt=0)
    silent_for: float | None = Field(default=None, gt=0)
    did: list[Did] = Field(default=[], max_length=10)

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
        if not set(self.flags) <= flags_of(user.state).keys():
            return False
        seen = float(user.state.get(LAST_SEEN, user.created))
        if self.seen_within is not None and now - seen > self.seen_within:
            return False
        return self.silent_for is None or now - seen >= self.silent_for
