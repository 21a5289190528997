"""Short answers mean what the last message asked."""

from __future__ import annotations

from tests.turn.conftest import Customer, ScriptedNlu


async def test_yes_after_would_you_like_a_person_opens_a_handoff(
    customer: Customer, nlu: ScriptedNlu
) -> None:
    await customer.say("asdf qwer")
    asked = await customer.say("zxcv uiop")
    assert any("Would you like to talk to a person?" in text for text in asked)
    nlu.reads("yes please", "affirm")
    await customer.say("yes please")
    assert (await customer.user()).state.get("handoff") is not None


async def test_no_after_that_question_shows_the_menu(customer: Customer, nlu: ScriptedNlu) -> None:
    await customer.say("asdf qwer")
    await customer.say("zxcv uiop")
    nlu.reads("no thanks", "deny")
    await customer.say("no thanks")
    assert "/ask_product_info" in customer.payloads()  # the greeting's menu
    assert (await customer.user()).state.get("handoff") is None


async def test_a_meaning_holds_for_one_turn_only(customer: Customer, nlu: ScriptedNlu) -> None:
    await customer.say("asdf qwer")
    await customer.say("zxcv uiop")
    await customer.say("/greet")
    nlu.reads("ok", "affirm")
    await customer.say("ok")
    assert (await customer.user()).state.get("handoff") is None


async def test_done_in_the_checklist_advances_it(customer: Customer, nlu: ScriptedNlu) -> None:
    await customer.move_to("onboarding")
    nlu.reads("xong roi", "affirm")
    replies = await customer.say("xong roi")
    assert any("Step 2/5" in text for text in replies)
