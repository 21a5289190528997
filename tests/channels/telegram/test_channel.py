"""The Telegram channel end to end: polling and webhook, against the fake Bot API server."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bot.channels.telegram.channel import TelegramChannel, webhook_path, webhook_secret
from bot.config import Settings
from bot.inbound import Inbound
from bot.web.app import build_app
from bot.wiring import Components, build_components
from tests.channels.telegram.conftest import Customer, stored_user
from tests.conftest import admin_headers
from tests.fakes.telegram_server import FakeTelegram

WEBHOOK_URL = "https://bot.example.com/webhooks/telegram"


async def test_polling_conversation_with_buttons_and_a_deep_link(
    polling: TelegramChannel, telegram: FakeTelegram, tg_services: Components, customer: Customer
) -> None:
    referrer = Inbound(
        "rest", "referrer", "/ask_referral", locale="vi", profile={"first_name": "Bình"}
    )
    await tg_services.engine.handle(referrer)
    friend = await tg_services.users.find("rest", "referrer")
    assert friend is not None
    customer.says(f"/start ref_{friend.state['referral_code']}")
    welcome, greeting = await customer.replies(2)
    assert welcome.startswith("Chào mừng bạn của Bình!")  # the friend, by first name
    assert greeting.startswith("Chào An!")
    rows = customer.last_call().params["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for row in rows for b in row] == [
        "/ask_product_info",
        "/ask_price",
        "/request_trial",
    ]
    customer.presses("Bảng giá", on=customer.last_call())
    texts = await customer.replies(3)
    assert texts[2].startswith("Bảng giá SaleMate:")
    user = await stored_user(tg_services, customer)
    assert user.stage.value == "consideration"
    assert user.profile == {"first_name": "An"}
    assert user.state["referred_by"] == friend.id
    assert user.locale == "vi"


async def test_admin_api_finds_a_telegram_customer(
    polling: TelegramChannel, tg_services: Components, customer: Customer
) -> None:
    customer.says("/greet")
    await customer.replies(1)
    async with TestClient(TestServer(build_app(tg_services))) as client:
        response = await client.get(f"/api/users/telegram/{customer.id}", headers=admin_headers())
        assert response.status == 200
        assert (await response.json())["stage"] == "awareness"


async def test_polling_replaces_a_webhook_and_stops_cleanly(
    tg_services: Components, telegram: FakeTelegram
) -> None:
    telegram.webhook_url = "https://old.example.com/hook"
    channel = tg_services.telegram
    assert channel is not None
    await channel.start()
    await telegram.wait_for(lambda: telegram.polls_started > 0, what="a long poll")
    await channel.stop()
    assert telegram.webhook_url is None
    assert channel.bot.session._session is None or channel.bot.session._session.closed


async def test_without_a_token_there_is_no_telegram(services: Components) -> None:
    assert services.telegram is None


def webhook_settings(tg_settings: Settings) -> Settings:
    return tg_settings.model_copy(update={"telegram_webhook_url": WEBHOOK_URL})


async def test_webhook_mode_sets_the_webhook_and_checks_the_secret(
    tg_settings: Settings, redis: Any, telegram: FakeTelegram
) -> None:
    settings = webhook_settings(tg_settings)
    services = build_components(settings, redis, nlu=None)
    channel = services.telegram
    assert channel is not None
    secret = webhook_secret(settings)
    async with TestClient(TestServer(build_app(services))) as client:
        await channel.start()
        try:
            assert telegram.webhook_url == WEBHOOK_URL
            assert telegram.webhook_secret == secret
            assert "callback_query" in telegram.calls_to("setWebhook")[0].params["allowed_updates"]
            url = str(client.make_url(webhook_path(WEBHOOK_URL)))
            customer = Customer(telegram, 6001)
            for wrong in (None, "wrong-secret"):
                status, _ = await telegram.deliver_webhook(
                    customer.update(text="/greet"), url=url, secret=wrong
                )
                assert status == 401
            update = customer.update(text="/greet")
            status, _ = await telegram.deliver_webhook(update, url=url, secret=secret)
            assert status == 200
            [greeting] = await customer.replies(1)
            assert greeting.startswith("Chào An!")
            # Telegram redelivers when it missed our answer: the turn does not run again.
            status, _ = await telegram.deliver_webhook(update, url=url, secret=secret)
            assert status == 200
            status, _ = await telegram.deliver_webhook(
                customer.update(text="/ask_price"), url=url, secret=secret
            )
            texts = await customer.replies(2)
            assert texts[0] == greeting and texts[1].startswith("Bảng giá SaleMate:")
            assert not telegram.calls_to("getUpdates")
        finally:
            await channel.stop()
    user = await stored_user(services, customer)
    entries = await services.transcript.read(user.id)
    assert sum(e["text"] == "/greet" for e in entries) == 1


def test_webhook_secret_is_derived_from_the_token_unless_set(tg_settings: Settings) -> None:
    derived = webhook_secret(tg_settings)
    assert derived == webhook_secret(tg_settings.model_copy())
    assert len(derived) == 64 and derived.isalnum()
    other = tg_settings.model_copy(update={"telegram_bot_token": tg_settings.admin_token})
    assert webhook_secret(other) != derived
    assert webhook_path("https://x.example/") == "/webhooks/telegram"
    assert webhook_path("https://x.example/tg/hook") == "/tg/hook"
