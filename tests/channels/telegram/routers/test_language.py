"""The customer's language: from the Telegram app, overridable with /language."""

from __future__ import annotations

from bot.channels.telegram.channel import TelegramChannel
from bot.wiring import Components
from tests.channels.telegram.conftest import Customer, stored_user
from tests.fakes.telegram_server import FakeTelegram


async def test_language_code_sets_a_new_customers_language(
    polling: TelegramChannel, telegram: FakeTelegram, tg_services: Components
) -> None:
    english = Customer(telegram, 7001, language_code="en-GB")
    vietnamese = Customer(telegram, 7002, language_code="vi")
    english.says("/greet")
    vietnamese.says("/greet")
    assert (await english.replies(1))[0].startswith("Hi An!")
    assert (await vietnamese.replies(1))[0].startswith("Chào An!")
    assert (await stored_user(tg_services, english)).locale == "en"


async def test_language_command_overrides_the_app_language(
    polling: TelegramChannel, telegram: FakeTelegram, tg_services: Components, customer: Customer
) -> None:
    customer.says("/greet")
    await customer.replies(1)
    customer.says("/language")
    texts = await customer.replies(2)
    assert texts[1] == "Bạn muốn mình nói tiếng nào?"
    customer.presses("English", on=customer.last_call())
    texts = await customer.replies(3)
    assert texts[2] == "I'll speak English from now on."
    assert (await stored_user(tg_services, customer)).locale == "en"
    # The Telegram app still says vi; the customer's choice stands.
    customer.says("/greet")
    texts = await customer.replies(4)
    assert texts[3].startswith("Hi An!")


async def test_a_new_customer_choosing_a_language_is_greeted_in_it(
    polling: TelegramChannel, telegram: FakeTelegram, tg_services: Components, customer: Customer
) -> None:
    customer.says("/language")
    await customer.replies(1)
    customer.presses("English", on=customer.last_call())
    texts = await customer.replies(2)
    assert texts[1].startswith("Hi An!")
    assert (await stored_user(tg_services, customer)).locale == "en"
