"""Transitions chain: a message that moves the customer is answered where it leads."""

from __future__ import annotations

from tests.turn.conftest import Customer, ScriptedNlu


async def test_buying_in_the_first_message_lands_in_onboarding_via_decision(
    customer: Customer,
) -> None:
    replies = await customer.say("/purchase")
    user = await customer.user()
    assert user.stage.value == "onboarding"
    assert any("Thank you for choosing SaleMate" in text for text in replies)
    assert any("Step 1/5" in text for text in replies)
    history = await customer.services.users.stage_history(user.id)
    assert [t.to_stage.value for t in history] == ["awareness", "decision", "onboarding"]
    assert history[-1].reason == "transition:buys"


async def test_a_plan_named_while_buying_is_kept_in_the_profile(
    customer: Customer, nlu: ScriptedNlu
) -> None:
    nlu.reads("I'll take the pro plan", "purchase", plan="pro")
    await customer.say("I'll take the pro plan")
    user = await customer.user()
    assert (user.stage.value, user.profile.get("plan")) == ("onboarding", "pro")


async def test_a_customer_asking_prices_again_is_answered_by_consideration(
    customer: Customer,
) -> None:
    await customer.move_to("retention")
    replies = await customer.say("/compare_plans")
    assert (await customer.user()).stage.value == "consideration"
    assert replies and "Sorry, I didn't get that" not in replies[0]
