"""A referred newcomer is welcomed as the referrer's friend and gets no link of their own."""

from __future__ import annotations

from tests.turn.conftest import Customer


async def referral_code(referrer: Customer) -> str:
    await referrer.say("/greet", profile={"first_name": "Lan"})
    await referrer.move_to("advocacy")
    await referrer.say("/ask_referral")
    code = (await referrer.user()).state.get("referral_code")
    assert isinstance(code, str)
    return code


async def test_the_welcome_names_the_friend(customer: Customer) -> None:
    code = await referral_code(Customer(customer.services))
    replies = await customer.say("/greet", referral=code)
    assert any("friend of Lan" in text for text in replies)
    assert not any("ref_" in text for text in replies)


async def test_no_own_link_before_advocacy(customer: Customer) -> None:
    code = await referral_code(Customer(customer.services))
    await customer.say("/greet", referral=code)
    for stage in ("awareness", "consideration", "onboarding", "retention"):
        await customer.move_to(stage)
        replies = await customer.say("/ask_referral")
        assert not any("ref_" in text for text in replies), stage
        assert any("already on a friend's referral offer" in text for text in replies), stage
        assert "referral_code" not in (await customer.user()).state
    await customer.move_to("advocacy")
    assert any("ref_" in text for text in await customer.say("/ask_referral"))


async def test_a_customer_who_came_without_a_code_gets_a_link_any_time(
    customer: Customer,
) -> None:
    replies = await customer.say("/ask_referral")
    assert any("ref_" in text for text in replies)
