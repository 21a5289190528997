"""What the events API accepts: one product event, or a batch of up to 1,000.

An event names its customer in exactly one way: the internal `id`, a `channel` with its
`external_id`, an `email`, or a `phone`. Properties are flat (strings, numbers, booleans,
null) so policies and segments can compare them without guessing at structure.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictStr,
    field_validator,
    model_validator,
)

from bot import ids

MAX_BATCH = 1000
MAX_PROPERTIES = 50
MAX_PROPERTIES_BYTES = 4096
EVENT_NAME = re.compile(r"[a-z][a-z0-9_.]{0,63}")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s.]{1,63}")
_PHONE_SEPARATORS = re.compile(r"[\s().-]")
_PHONE = re.compile(r"\+[1-9][0-9]{6,14}")
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC).timestamp()


def _event_name(value: str) -> str:
    if not EVENT_NAME.fullmatch(value):
        raise ValueError("an event name is 1-64 of a-z, 0-9, _ and ., starting with a letter")
    return value


def _external(value: str) -> str:
    return ids.external_id(value)


def normal_email(value: str) -> str:
    """An email address lower-cased; the same address always gives the same identity."""
    value = value.strip().lower()
    if not _EMAIL.fullmatch(value):
        raise ValueError("not an email address (name@domain.tld)")
    return value


def normal_phone(value: str) -> str:
    """A phone number in E.164 (`+84901234567`), separators removed."""
    value = _PHONE_SEPARATORS.sub("", value)
    if not _PHONE.fullmatch(value):
        raise ValueError("a phone number is international: + and 7-15 digits (+84901234567)")
    return value


def _channel(value: str) -> str:
    if not ids.CHANNEL.fullmatch(value):
        raise ValueError("a channel is a lower-case name such as telegram, zalo, rest")
    return value


def _user_id(value: str) -> str:
    if not ids.is_user_id(value):
        raise ValueError("a customer id is 32 hexadecimal digits")
    return value


EventName = Annotated[StrictStr, AfterValidator(_event_name)]


class CustomerRef(BaseModel):
    """Who the event is about: exactly one of id, channel + external_id, email, phone.

    With `verified: true` the product vouches for the email and/or phone it gives (it
    sent the customer a code): they may come along with an id or a channel identity, and
    customers sharing them are merged (`bot.linking.contacts`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[StrictStr, AfterValidator(_user_id)] | None = None
    channel: Annotated[StrictStr, AfterValidator(_channel)] | None = None
    external_id: Annotated[StrictStr, AfterValidator(_external)] | None = None
    email: Annotated[StrictStr, AfterValidator(normal_email)] | None = None
    phone: Annotated[StrictStr, AfterValidator(normal_phone)] | None = None
    verified: StrictBool = False

    @model_validator(mode="after")
    def _exactly_one(self) -> CustomerRef:
        if (self.channel is None) != (self.external_id is None):
            raise ValueError("channel and external_id go together")
        named = sum(value is not None for value in (self.id, self.channel))
        contacts = sum(value is not None for value in (self.email, self.phone))
        if self.verified and contacts and named <= 1:
            return self
        given = [self.id, self.channel, self.email, self.phone]
        if sum(value is not None for value in given) != 1:
            raise ValueError("name the customer by one of: id, channel + external_id, email, phone")
        return self


class ProductEvent(BaseModel):
    """`{"event_id", "customer": {...}, "name", "properties"?, "at"?}`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event_id: Annotated[StrictStr, AfterValidator(_external)]
    customer: CustomerRef
    name: EventName
    properties: dict[str, Any] = Field(default_factory=dict)
    at: datetime | None = None

    @field_validator("properties")
    @classmethod
    def _bounded(cls, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > MAX_PROPERTIES:
            raise ValueError(f"at most {MAX_PROPERTIES} properties")
        for key, item in value.items():
            if not 1 <= len(key) <= 64:
                raise ValueError("a property name is 1-64 characters")
            if item is not None and not isinstance(item, str | bool | int | float):
                raise ValueError(f"{key} must be a string, number, boolean or null")
        if len(json.dumps(value, ensure_ascii=False).encode()) > MAX_PROPERTIES_BYTES:
            raise ValueError(f"properties take at most {MAX_PROPERTIES_BYTES} bytes as JSON")
        return value

    def time(self, now: float) -> float:
        """When it happened (Unix seconds): `at` (naive means UTC), else `now`."""
        if self.at is None:
            return now
        at = self.at if self.at.tzinfo is not None else self.at.replace(tzinfo=UTC)
        return at.timestamp()


class EventBatch(BaseModel):
    """`{"events": [...]}`: 1 to 1,000 events, accepted or refused as a whole when malformed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    events: list[ProductEvent] = Field(min_length=1, max_length=MAX_BATCH)
