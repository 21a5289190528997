"""A failing update is logged and apologised for; the bot goes on."""

from __future__ import annotations

import pytest

from bot.channels.telegram.channel import TelegramChannel
from bot.effects import Reply
from bot.inbound import Inbound
from bot.turn.decide import APOLOGY
from bot.wiring import Components
from tests.channels.telegram.conftest import Customer


async def test_a_failed_turn_gets_an_apology_and_the_next_one_works(
    polling: TelegramChannel,
    tg_services: Components,
    customer: Customer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    engine = tg_services.engine
    real_handle = engine.handle
    failures = [RuntimeError("Redis went away")]

    async def flaky(inbound: Inbound) -> list[Reply]:
        if failures:
            raise failures.pop()
        return await real_handle(inbound)

    monkeypatch.setattr(engine, "handle", flaky)
    customer.says("/greet")
    assert await customer.replies(1) == [APOLOGY["vi"]]
    assert "failed" in caplog.text and "Redis went away" in caplog.text
    customer.says("/greet")
    assert (await customer.replies(2))[1].startswith("Chào An!")
