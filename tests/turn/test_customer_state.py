"""The customer state schema: every key the bot writes is declared, and old data still loads.

`bot.customer_state.CustomerState` is only a type: a key the code writes without
declaring it would pass at run time, so these turns (the shipped policies, a real Redis)
go through every feature that remembers something and compare what is stored with it.
"""

from __future__ import annotations

import json
from typing import Any, get_args

from actions.messaging import ReplyArgs
from bot import customer_state
from bot.customer_state import CustomerState, StateKey
from bot.scheduler.segment import Segment
from bot.wiring import Components
from tests.fakes.clock import Clock
from tests.turn.conftest import Customer

DAY = 86400.0
DECLARED = set(CustomerState.__annotations__)
# Written by a product event's reaction and by erasure, which tests/customers covers.
OUTSIDE_TURNS = {"events_reacted", "erased_at", "event_anchors", "held_sent"}


class Seen:
    """The union of the state keys of customers, looked at after each step."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    async def look(self, *customers: Customer) -> None:
        for customer in customers:
            self.keys.update((await customer.user()).state)


async def referrer_turns(services: Components, clock: Clock, an: Customer, seen: Seen) -> str:
    """A customer through trial, coupon, referral link, follow-up, broadcast, NPS, handoff."""
    await an.say("/greet")
    await an.say("hmm")
    await an.say("what?")  # the second fallback in a row asks a yes/no question
    await seen.look(an)
    await an.move_to("decision")
    await an.say("/request_trial")
    await an.say("/request_discount")
    await an.say("/ask_referral")
    await seen.look(an)
    clock.advance(12 * DAY)  # the trial reminder is due two days before its end
    await services.scheduler.run_once()
    text = ReplyArgs.model_validate({"text": {"vi": "Tin mới", "en": "News"}})
    await services.broadcasts.create(Segment(), text, author="test")
    await services.scheduler.run_once()
    await seen.look(an)
    await an.move_to("retention")
    await an.say('/nps{"score": 3}')  # a detractor: asked why, and a person takes over
    await seen.look(an)
    user = await an.user()
    await services.handoffs.staff_reply(user.id, "Hi, Lan here.", author="lan")
    await services.handoffs.close(user.id, by="lan")
    await seen.look(an)
    await an.say('/csat{"score": 5}')
    await an.say("/cancel_service")
    await an.say("/stop_messages")
    await seen.look(an)
    code = (await an.user()).state["referral_code"]
    return code


async def friend_turns(services: Components, code: str, seen: Seen) -> None:
    """A friend who came with the code buys: attributed, credited, onboarding started."""
    friend = Customer(services)
    await friend.say("/greet", referral=code)
    await friend.move_to("decision")
    await friend.say("/purchase")
    await seen.look(friend)


async def test_every_key_the_shipped_turns_store_is_declared(
    services: Components, clock: Clock
) -> None:
    seen = Seen()
    code = await referrer_turns(services, clock, Customer(services), seen)
    await friend_turns(services, code, seen)
    assert seen.keys - DECLARED == set(), "keys missing from CustomerState"
    assert DECLARED - seen.keys == OUTSIDE_TURNS, "declared keys these turns never stored"


def test_the_keys_setstate_takes_and_the_names_are_the_schemas() -> None:
    assert set(get_args(StateKey)) == DECLARED
    names = {
        value
        for name, value in vars(customer_state).items()
        if name.isupper() and isinstance(value, str)
    }
    assert names <= DECLARED


OLD_STATE: dict[str, Any] = {
    "last_seen": 1_790_000_000.5,
    "last_intent": "request_trial",
    "fallbacks_in_row": 0,
    "trial": {"code": "TRIAL-K7M2P9QX", "started": 1_790_000_000.5, "expires": 1_900_000_000.0},
    "coupons": {"WELCOME10": 1},
    "flags": {"churn_risk": {"at": 1_780_000_000.0, "stage": "retention"}},
    "follow_ups_planned": {},
    "survey_v0": {"q1": "có", "asked": [1, 2]},  # written by no version of this schema
}


async def old_customer(services: Components, customer: Customer) -> str:
    """A customer stored as an earlier version wrote them: a Redis hash with a JSON state."""
    user_id = await services.users.resolve("rest", customer.sender)
    stored = {
        "id": user_id,
        "created": "1780000000.0",
        "locale": "en",
        "stage": "decision",
        "stage_entered_at": "1790000000.5",
        "identities": json.dumps([f"rest:{customer.sender}"]),
        "profile": json.dumps({"first_name": "Lan"}),
        "state": json.dumps(OLD_STATE, ensure_ascii=False),
    }
    await services.redis.hset(services.keys.user(user_id), mapping=stored)  # type: ignore[misc]
    return user_id


async def stored_state(services: Components, user_id: str) -> Any:
    user = await services.users.load(user_id)
    assert user is not None
    return dict(user.state)


async def test_an_old_state_loads_and_saves_unchanged(
    services: Components, customer: Customer
) -> None:
    user_id = await old_customer(services, customer)
    user = await customer.user()
    assert dict(user.state) == OLD_STATE
    assert await services.engine.set_locale("rest", customer.sender, "vi")  # saves the customer
    assert await stored_state(services, user_id) == OLD_STATE


async def test_a_turn_on_an_old_state_uses_it_and_keeps_unknown_keys(
    services: Components, customer: Customer
) -> None:
    user_id = await old_customer(services, customer)
    replies = await customer.say("/request_trial")
    assert any("You already have a trial: code TRIAL-K7M2P9QX" in text for text in replies)
    state = await stored_state(services, user_id)
    assert state["survey_v0"] == OLD_STATE["survey_v0"]
    assert {k: state[k] for k in ("trial", "coupons", "flags")} == {
        k: OLD_STATE[k] for k in ("trial", "coupons", "flags")
    }
