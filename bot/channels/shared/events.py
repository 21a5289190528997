"""What a platform webhook delivers, typed for the channel that acts on it.

A `Message` goes to the turn engine; `Followed` (a welcome by the policy), `Unfollowed`
(mark unreachable) and `Referred` (referral attribution of an existing conversation) are
acted on by the channel itself. `at` is the platform's event time in seconds: the
customer's last interaction, which opens the platform's messaging window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot import ids, safe_json
from bot.errors import BotError
from bot.inbound import Inbound


class WebhookRefused(BotError):
    """A webhook request that must not be processed (bad signature, stale, replayed)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Message:
    """A customer message (text, button payload, or a described non-text item)."""

    inbound: Inbound
    at: float


@dataclass(frozen=True, slots=True)
class Followed:
    """The customer followed the Official Account."""

    external_id: str
    at: float
    event_id: str


@dataclass(frozen=True, slots=True)
class Unfollowed:
    """The customer unfollowed the Official Account: unreachable from now on."""

    external_id: str
    at: float
    event_id: str


@dataclass(frozen=True, slots=True)
class Referred:
    """The customer came back through a referral link (`code` None: not one of ours)."""

    external_id: str
    ref: str
    code: str | None
    at: float
    event_id: str


ParsedEvent = Message | Followed | Unfollowed | Referred


def customer_of(event: ParsedEvent) -> str:
    """The external id of the customer an event is about (its ordering key)."""
    return event.inbound.external_id if isinstance(event, Message) else event.external_id


def decode(raw_body: bytes) -> dict[str, Any]:
    """A webhook body as a JSON object, every integer kept as its digits (a string).

    Platform ids are 64-bit integers that float-based parsers round; as strings they stay
    exact, whether the platform sent them quoted or not.

    Raises:
        ValueError: not a JSON object.

    """
    body = safe_json.loads(raw_body.decode(), exact_integers=True)
    if not isinstance(body, dict):
        raise ValueError("a webhook body is a JSON object")
    return body


# What a parser of platform JSON raises on a body of the wrong shape (a list where an
# object belongs, a word where a number belongs).
_SHAPE_ERRORS = (AttributeError, TypeError, ValueError, KeyError, IndexError)


def well_formed(
    parse: Callable[[dict[str, Any]], list[ParsedEvent]], body: dict[str, Any]
) -> list[ParsedEvent]:
    """`parse(body)`, when the body has the platform's shape and every customer id the id rule.

    A signed body can still be odd (a test tool, a platform change): it is refused as a
    whole before anything is stored, rather than failing halfway or storing a customer
    that no route could address.

    Raises:
        WebhookRefused: the body does not parse, or an id breaks `bot.ids`' rule.

    """
    try:
        events = parse(body)
    except _SHAPE_ERRORS as exc:
        raise WebhookRefused(f"malformed event ({type(exc).__name__})") from None
    for event in events:
        try:
            ids.external_id(customer_of(event), "the customer's id")
        except ids.BadId as exc:
            raise WebhookRefused(str(exc)) from None
    return events
