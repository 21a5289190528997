"""The body of `POST /webhooks/rest/webhook` (Rasa's `rest` connector) as an `Inbound`."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, StrictStr

from bot import ids
from bot.ids import MAX_ID_LENGTH
from bot.inbound import MAX_TEXT_LENGTH, Inbound
from bot.lifecycle import Locale

MAX_REFERRAL_LENGTH = 64


def _sender(value: str) -> str:
    return ids.external_id(value, "sender")


def _message(value: str) -> str:
    if not value.strip():
        raise ValueError("message must not be empty")
    if len(value) > MAX_TEXT_LENGTH:
        raise ValueError(f"message is {len(value)} characters; the limit is {MAX_TEXT_LENGTH}")
    return value.strip()


def _message_id(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value):
        raise ValueError("message_id must be a non-empty string or an integer")
    if len(str(value)) > MAX_ID_LENGTH:
        raise ValueError(f"message_id is longer than {MAX_ID_LENGTH} characters")
    return str(value)


def _profile(value: dict[str, Any]) -> dict[str, Any]:
    if not all(_plain(v) for v in value.values()):
        raise ValueError(
            "metadata.profile must be an object of plain values or lists of strings (tags)"
        )
    return value


def _none_is_empty(value: object) -> object:
    return {} if value is None else value


def _plain(value: object) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return isinstance(value, str | int | float | bool)


class Metadata(BaseModel):
    """`metadata`: the language and profile of a new customer, a friend's referral code."""

    locale: Locale | None = None
    profile: Annotated[dict[str, Any], AfterValidator(_profile)] = Field(default_factory=dict)
    ref: Annotated[StrictStr, Field(max_length=MAX_REFERRAL_LENGTH)] | None = None


class RestMessage(BaseModel):
    """One customer message as a REST client sends it."""

    sender: Annotated[StrictStr, AfterValidator(_sender)]
    message: Annotated[StrictStr, AfterValidator(_message)]
    message_id: Annotated[str | None, BeforeValidator(_message_id)] = None
    metadata: Annotated[Metadata, BeforeValidator(_none_is_empty)] = Field(default_factory=Metadata)

    def inbound(self, channel: str) -> Inbound:
        """What the engine gets: the text stripped, the metadata as hints."""
        return Inbound(
            channel=channel,
            external_id=self.sender,
            text=self.message,
            message_id=self.message_id,
            locale=self.metadata.locale,
            profile=self.metadata.profile,
            referral=self.metadata.ref,
        )
