"""The churn-save flow: cancelling is not opting out; the customer is flagged and asked why."""

from __future__ import annotations

from bot.analytics.report import report
from bot.scheduler.segment import Segment
from tests.turn.conftest import Customer, ScriptedNlu

CANCEL = "please stop our SaleMate plan from next month"


async def test_a_customer_who_wants_to_cancel_is_flagged_and_asked_why(
    customer: Customer, nlu: ScriptedNlu
) -> None:
    await customer.move_to("retention")
    nlu.reads(CANCEL, "cancel_service")
    replies = await customer.say(CANCEL)
    assert any("why you'd like to cancel" in text for text in replies)
    assert {"/request_discount", "/request_human"} <= set(customer.payloads())
    user = await customer.user()
    assert "churn_risk" in user.state["flags"]
    assert not user.state.get("opted_out")
    reason = "it's too slow on my old tablet"
    replies = await customer.say(reason)
    assert any("Settings > Plan > Cancel renewal" in text for text in replies)
    assert [c["text"] for c in await customer.events("feedback")] == [reason]
    assert [e["flag"] for e in await customer.events("flagged")] == ["churn_risk"]


async def test_flagged_customers_are_a_segment_and_counted(
    customer: Customer, nlu: ScriptedNlu
) -> None:
    other = Customer(customer.services)
    await other.move_to("retention")
    await customer.move_to("retention")
    nlu.reads(CANCEL, "cancel_service")
    await customer.say(CANCEL)
    at_risk = Segment(flags=["churn_risk"])
    now = customer.services.engine._clock()
    assert at_risk.matches(await customer.user(), now)
    assert not at_risk.matches(await other.user(), now)
    records = [r async for r in customer.services.records.read()]
    figures = report(records, now - 60, now + 60)
    assert figures["flags"]["churn_risk"] == {"now": 1, "new": 1}


async def test_a_fan_who_wants_to_cancel_goes_back_to_retention(
    customer: Customer, nlu: ScriptedNlu
) -> None:
    await customer.move_to("advocacy")
    nlu.reads(CANCEL, "cancel_service")
    replies = await customer.say(CANCEL)
    user = await customer.user()
    assert (user.stage.value, "churn_risk" in user.state["flags"]) == ("retention", True)
    assert any("why you'd like to cancel" in text for text in replies)


async def test_a_prospect_has_nothing_to_cancel_and_is_not_flagged(
    customer: Customer, nlu: ScriptedNlu
) -> None:
    nlu.reads(CANCEL, "cancel_service")
    replies = await customer.say(CANCEL)
    assert any("nothing to cancel" in text for text in replies)
    assert "/stop_messages" in customer.payloads()
    assert "flags" not in (await customer.user()).state


async def test_stop_messages_opts_out_without_a_save_flow(
    customer: Customer, nlu: ScriptedNlu
) -> None:
    await customer.move_to("retention")
    nlu.reads("stop sending me messages", "stop_messages")
    await customer.say("stop sending me messages")
    user = await customer.user()
    assert user.state.get("opted_out") and "flags" not in user.state


async def test_a_reason_that_sounds_like_cancelling_again_is_the_reason(
    customer: Customer, nlu: ScriptedNlu
) -> None:
    await customer.move_to("retention")
    nlu.reads(CANCEL, "cancel_service")
    nlu.reads("we are closing the shop, so cancel it", "cancel_service")
    await customer.say(CANCEL)
    replies = await customer.say("we are closing the shop, so cancel it")
    assert any("Settings > Plan > Cancel renewal" in text for text in replies)
    assert [c["text"] for c in await customer.events("feedback")] == [
        "we are closing the shop, so cancel it"
    ]
