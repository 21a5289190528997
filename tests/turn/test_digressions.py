"""While the bot waits for a comment, a clear request is answered; only answers are kept."""

from __future__ import annotations

from tests.turn.conftest import Customer, ScriptedNlu

LIKE_MOST = "What do you like most about SaleMate?"


async def promoter(customer: Customer) -> None:
    await customer.move_to("retention")
    replies = await customer.say('/nps{"score": 10}')
    assert any(LIKE_MOST in text for text in replies)


async def test_a_question_is_answered_and_the_comment_asked_once_more(
    customer: Customer, nlu: ScriptedNlu
) -> None:
    await promoter(customer)
    nlu.reads("how much is the enterprise plan?", "ask_price")
    replies = await customer.say("how much is the enterprise plan?")
    assert not any("reads every comment" in text for text in replies)
    assert replies[-1].endswith(LIKE_MOST)  # the pending question, once more
    nlu.reads("the stock reports", "give_feedback", 0.6)
    replies = await customer.say("the stock reports")
    assert any("reads every comment" in text for text in replies)
    assert "awaiting" not in (await customer.user()).state
    assert [c["text"] for c in await customer.events("feedback")] == ["the stock reports"]


async def test_a_statement_about_a_feature_is_the_comment(
    customer: Customer, nlu: ScriptedNlu
) -> None:
    await promoter(customer)
    # Read confidently as a help request, but worded as a statement: it is the answer.
    nlu.reads("The stock reports save me an hour every evening", "onboarding_help", 0.94)
    replies = await customer.say("The stock reports save me an hour every evening")
    assert any("reads every comment" in text for text in replies)
    assert len(await customer.events("feedback")) == 1


async def test_an_unsure_reading_is_the_comment(customer: Customer, nlu: ScriptedNlu) -> None:
    await promoter(customer)
    nlu.reads("gia ca hop ly", "ask_price", 0.55)
    replies = await customer.say("gia ca hop ly")
    assert any("reads every comment" in text for text in replies)


async def test_the_question_is_dropped_after_a_second_digression(
    customer: Customer, nlu: ScriptedNlu
) -> None:
    await promoter(customer)
    nlu.reads("what does pro include?", "ask_product_info")
    nlu.reads("can I get a discount?", "request_discount")
    first = await customer.say("what does pro include?")
    assert first[-1].endswith(LIKE_MOST)
    second = await customer.say("can I get a discount?")
    assert not any(LIKE_MOST in text for text in second)
    assert "awaiting" not in (await customer.user()).state


async def test_a_button_offered_with_the_question_answers_it(
    customer: Customer, nlu: ScriptedNlu
) -> None:
    await customer.move_to("retention")
    nlu.reads("I want to cancel my subscription", "cancel_service")
    asked = await customer.say("I want to cancel my subscription")
    assert "/request_discount" in customer.payloads()
    replies = await customer.say("/request_discount")
    assert any("LOYAL15" in text for text in replies)
    assert asked[-1] not in replies  # answered by the button: not asked again
