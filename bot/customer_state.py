"""What the bot remembers about a customer between turns: `User.state`, one schema.

The state is stored as one JSON object on the customer (`state` in their Redis hash)
and is a plain dict at run time: these TypedDicts only tell mypy which keys exist and
what they hold, so the stored format is the one older versions wrote and nothing is
migrated. Stored values are not validated on load (and keys this schema does not name
are kept as they are), so readers of values an older version may have stored
differently (`flags`, `awaiting_ask`, `expects`) check their shape.

Code that names a key is checked against `CustomerState` by mypy (a literal or one of
the names below). Code that works with any key needs no cast: `SetState` takes a
`StateKey`, readers of dotted paths or JSON views take the state as a
`Mapping[str, object]` (which a TypedDict is), and a state from elsewhere (a test's)
becomes one through `customer_state`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal, NotRequired, TypedDict, cast


class Handoff(TypedDict):
    """The open handoff: who asked for a person, why, when, and the staff's progress."""

    id: str
    started: float
    reason: str
    by: str  # "bot" (a policy's `handoff` action) or "staff:<name>"
    stage: str  # the customer's stage when it opened
    first_response: float | None  # the first staff reply; None while nobody answered
    last_customer: NotRequired[float]  # the customer's latest message during it
    acknowledged: NotRequired[float]  # when the bot said "still waiting" (once)
    sla_missed: NotRequired[float]  # when nobody had answered within the SLA


class Trial(TypedDict):
    """The customer's one trial."""

    code: str  # TRIAL-XXXXXXXX, claimed unique across customers
    started: float
    expires: float


class Onboarding(TypedDict):
    """Progress through the onboarding checklist."""

    done: list[str]  # ids of the steps done
    at: int  # index of the current step
    finished: NotRequired[float]  # when the last step was done


class SurveyAnswer(TypedDict):
    """The latest NPS (0-10) or CSAT (1-5) score."""

    score: int
    at: float
    stage: str  # the customer's stage when they answered
    handoff: NotRequired[str]  # CSAT only: the closed handoff the score rates


class FlagMark(TypedDict):
    """One flag a policy set for the team (e.g. `churn_risk`)."""

    at: float
    stage: str


class AwaitingAsk(TypedDict):
    """The question behind `awaiting`, to ask once more after a digression."""

    reply: dict[str, Any]  # the question as `Reply.to_dict` gives it
    again: bool  # asked a second time already: a further digression drops it


class Expects(TypedDict, total=False):
    """What the customer's next "yes" (affirm) or "no" (deny) means, as a payload."""

    yes: str
    no: str


class EventMark(TypedDict):
    """The latest product event of one name that a follow-up counts from."""

    at: float  # when it happened (the event's `at`)
    received: float  # when it reached the bot


class CustomerState(TypedDict, total=False):
    """Every key the bot stores in `User.state`, with who writes it."""

    # Turn bookkeeping.
    last_seen: float  # bot.engine, at each inbound message
    last_intent: str  # bot.turn.decide, after each decided turn
    fallbacks_in_row: int  # bot.turn.decide: messages in a row read as nlu_fallback
    expects: Expects  # actions.messaging `reply` (yes/no); popped by bot.turn.decide
    awaiting: str  # actions.survey (`nps_record`, `await_comment`); bot.turn.digression
    awaiting_ask: AwaitingAsk  # bot.turn.digression, with `awaiting`
    # Human handoff and its rating.
    handoff: Handoff  # bot.support_relay.open_handoff; updated by bot.handoff, handoff_turn
    csat_for: str | None  # bot.handoff on close (the handoff's id); actions.survey clears it
    csat: SurveyAnswer  # actions.survey `csat_record`
    nps: SurveyAnswer  # actions.survey `nps_record`
    # Offers and onboarding.
    trial: Trial  # actions.trial `trial_offer`
    coupons: dict[str, int]  # actions.trial `discount`: times each coupon was given
    onboarding: Onboarding  # actions.onboarding `checklist`
    flags: dict[str, FlagMark]  # actions.flags `flag` / `unflag`
    # Referral programme.
    referral_code: str  # actions.referral `referral_link`: the customer's own code
    referred_by: str  # bot.referral.attribute: the user id of the friend who referred them
    referral_credited: bool  # bot.referral.credit: the friend was credited for them
    # Proactive messages.
    opted_out: bool  # actions.subscription `opt_out` / `opt_in`
    follow_ups: dict[str, float]  # bot.scheduler.loop: "<stage>:<name>" -> anchor sent for
    follow_ups_planned: dict[str, float]  # bot.scheduler.follow_ups: job id -> due time queued
    broadcasts: list[str]  # bot.scheduler.loop: ids of the broadcasts received (last 50)
    # Customer data.
    events_reacted: list[str]  # bot.customers.reactions: product events a policy reacted to
    event_anchors: dict[str, EventMark]  # bot.policies.timing: event name -> latest, for follow-ups
    held_sent: list[str]  # bot.scheduler.held: held reaction messages sent (last 50)
    erased_at: float  # bot.customers.privacy: when the customer's personal data was erased


StateKey = Literal[
    "last_seen",
    "last_intent",
    "fallbacks_in_row",
    "expects",
    "awaiting",
    "awaiting_ask",
    "handoff",
    "csat_for",
    "csat",
    "nps",
    "trial",
    "coupons",
    "onboarding",
    "flags",
    "referral_code",
    "referred_by",
    "referral_credited",
    "opted_out",
    "follow_ups",
    "follow_ups_planned",
    "broadcasts",
    "events_reacted",
    "event_anchors",
    "held_sent",
    "erased_at",
]
"""A key of `CustomerState` (what `SetState` may set)."""

# The names code outside this module uses for keys it reads or sets by name.
LAST_SEEN: Final = "last_seen"
LAST_INTENT: Final = "last_intent"
EXPECTS: Final = "expects"
AWAITING: Final = "awaiting"
AWAITING_ASK: Final = "awaiting_ask"
HANDOFF: Final = "handoff"
TRIAL: Final = "trial"
CSAT_FOR: Final = "csat_for"
FLAGS: Final = "flags"
OPTED_OUT: Final = "opted_out"
REFERRAL_CODE: Final = "referral_code"
EVENTS_REACTED: Final = "events_reacted"
EVENT_ANCHORS: Final = "event_anchors"
HELD_SENT: Final = "held_sent"
ERASED_AT: Final = "erased_at"
REFERRED_BY: Final = "referred_by"
REFERRAL_CREDITED: Final = "referral_credited"
FOLLOW_UPS: Final = "follow_ups"
FOLLOW_UPS_PLANNED: Final = "follow_ups_planned"
BROADCASTS: Final = "broadcasts"


def customer_state(data: Mapping[str, Any]) -> CustomerState:
    """A stored state (or a test's) as `CustomerState`, a copy with every key kept."""
    return cast(CustomerState, dict(data))


def flags_of(state: CustomerState) -> dict[str, FlagMark]:
    """The customer's flags (a copy), whatever the stored value."""
    value = state.get(FLAGS)
    return dict(value) if isinstance(value, dict) else {}
