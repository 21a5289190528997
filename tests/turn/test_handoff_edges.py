"""Handoff edge cases: opting out, awaited answers, one acknowledgement, no CSAT unasked."""

from __future__ import annotations

from typing import Any

from bot.effects import Reply
from bot.inbound import Inbound
from bot.policies.handoff_texts import BACK_TO_BOT
from bot.user import User
from bot.wiring import Components
from tests.fakes.clock import Clock
from tests.turn.conftest import Customer, ScriptedNlu

MINUTE = 60.0
STILL_WAITING = "Your message is with our support team"


class StaffSide:
    """A support relay that keeps what the staff were told."""

    def __init__(self) -> None:
        self.told: list[str] = []

    async def opened(self, user: User) -> None:
        pass

    async def customer_message(self, user: User, inbound: Inbound) -> None:
        self.told.append(inbound.text)

    async def closed(self, user: User, record: dict[str, Any]) -> None:
        pass

    async def sla_missed(self, user: User, minutes: float) -> None:
        pass

    async def rated(self, user: User, answer: dict[str, Any]) -> None:
        pass


async def in_handoff(customer: Customer, stage: str = "retention") -> str:
    await customer.move_to(stage)
    await customer.say("/request_human")
    user = await customer.user()
    assert user.state.get("handoff") is not None
    return user.id


async def drained(services: Components, user_id: str) -> list[str]:
    replies: list[Reply] = await services.outbox.drain(user_id)
    return [reply.text for reply in replies]


async def test_stop_messages_during_a_handoff_is_applied_and_staff_told(
    customer: Customer, nlu: ScriptedNlu, services: Components
) -> None:
    await in_handoff(customer)
    staff = StaffSide()
    services.handoffs.relays.append(staff)
    nlu.reads("please stop sending me messages", "stop_messages")
    replies = await customer.say("please stop sending me messages")
    user = await customer.user()
    assert user.state.get("opted_out") is True and user.state.get("handoff") is not None
    assert any("won't message you on my own" in text for text in replies)
    assert any("opted out" in text for text in staff.told)


async def test_a_detractors_reason_written_during_the_handoff_is_recorded(
    customer: Customer, nlu: ScriptedNlu
) -> None:
    await customer.move_to("retention")
    replies = await customer.say('/nps{"score": 3}')
    assert any("What disappointed you?" in text for text in replies)
    assert (await customer.user()).state.get("handoff") is not None
    assert await customer.say("the printer keeps disconnecting") == []
    assert [c["text"] for c in await customer.events("feedback")] == [
        "the printer keeps disconnecting"
    ]


async def test_one_acknowledgement_after_a_silence_without_staff_reply(
    customer: Customer, clock: Clock
) -> None:
    await in_handoff(customer)
    assert await customer.say("hello?") == []
    clock.advance(11 * MINUTE)
    assert any(STILL_WAITING in text for text in await customer.say("anyone there?"))
    clock.advance(11 * MINUTE)
    assert await customer.say("hello??") == []


async def test_no_acknowledgement_once_staff_replied(
    customer: Customer, clock: Clock, services: Components
) -> None:
    user_id = await in_handoff(customer)
    await services.handoffs.staff_reply(user_id, "Hi, I'm Lan", author="lan")
    clock.advance(30 * MINUTE)
    assert await customer.say("thanks, one more thing") == []


async def test_closing_without_a_staff_reply_asks_no_csat_and_shows_the_step(
    customer: Customer, services: Components
) -> None:
    user_id = await in_handoff(customer, "onboarding")
    await drained(services, user_id)
    await services.handoffs.close(user_id, by="lan")
    texts = await drained(services, user_id)
    assert any("conversation with our support team has ended" in t for t in texts)
    assert any("Step 1/5" in t for t in texts)
    assert not any("How would you rate" in t for t in texts)


async def test_closing_after_a_staff_reply_asks_csat_after_the_step(
    customer: Customer, services: Components
) -> None:
    user_id = await in_handoff(customer, "onboarding")
    await services.handoffs.staff_reply(user_id, "Hi, I'm Lan", author="lan")
    await drained(services, user_id)
    await services.handoffs.close(user_id, by="lan")
    texts = await drained(services, user_id)
    assert "Step 1/5" in texts[1] and "How would you rate" in texts[-1]


async def test_taking_the_bot_back_shows_the_step(customer: Customer) -> None:
    await in_handoff(customer, "onboarding")
    replies = await customer.say(BACK_TO_BOT)
    assert any("Step 1/5" in text for text in replies)
    assert (await customer.user()).state.get("handoff") is None
