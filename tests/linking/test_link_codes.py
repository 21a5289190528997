"""Linking a web chat and a Telegram chat with a one-time code, as customers do it."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.linking.desk import start_command
from bot.wiring import Components
from tests.conftest import Chat
from tests.linking.conftest import code_in, customer, say

pytestmark = pytest.mark.usefixtures("morning")
EN = {"metadata": {"locale": "en"}}


async def test_a_code_from_the_web_chat_links_telegram_to_the_same_customer(
    client: TestClient[Any, Any], services: Components, chat: Chat
) -> None:
    await chat.send("/request_trial", **EN)
    before = await chat.user()
    issued = await chat.texts("/link")
    assert "t.me/" in issued[0] and "start=link_" in issued[0]
    code = code_in(issued)

    linked = await say(services, "telegram", "7001", f"/link {code}", locale="en")

    assert linked == [
        "Done: your chats are linked. Whichever channel you write on, we know it's you."
    ]
    on_telegram = await customer(services, "telegram", "7001")
    assert on_telegram.id == before["user_id"]
    assert set(on_telegram.identities) == {f"rest:{chat.sender}", "telegram:7001"}
    assert on_telegram.stage.value == "decision" and "trial" in on_telegram.state
    # Both channels now write into one conversation, each reply on its own channel.
    await say(services, "telegram", "7001", "/greet")
    await chat.send("/greet")
    log = await services.transcript.read(on_telegram.id)
    assert [e["channel"] for e in log if e["dir"] == "in"][-2:] == ["telegram", "rest"]
    replies = [e for e in log if e["dir"] == "out"]
    assert {e["channel"] for e in replies} == {"rest", "telegram"}


async def test_a_wrong_or_used_code_says_so_in_the_customers_language_and_changes_nothing(
    client: TestClient[Any, Any], services: Components, chat: Chat
) -> None:
    await chat.send("/greet", **EN)
    code = code_in(await chat.texts("/link"))
    assert await say(services, "telegram", "7002", "/greet", locale="vi")
    wrong = await say(services, "telegram", "7002", "/link ZZZZZZ", locale="vi")
    assert wrong[0].startswith("Mã liên kết không đúng hoặc đã hết hạn")
    assert (await customer(services, "telegram", "7002")).id != (await chat.user())["user_id"]

    assert await say(services, "telegram", "7002", f"/link {code}")  # used here
    again = await say(services, "telegram", "7003", f"/link {code}", locale="en")
    assert again[0].startswith("That link code is wrong or has expired; nothing has changed.")


async def test_the_bare_code_typed_in_the_web_chat_links_too(
    client: TestClient[Any, Any], services: Components, chat: Chat
) -> None:
    await say(services, "telegram", "7004", "/greet", locale="en")
    code = code_in(await say(services, "telegram", "7004", "/link"))
    texts = await chat.texts(code, **EN)
    assert texts[0].startswith("Done")
    assert (await chat.user())["user_id"] == (await customer(services, "telegram", "7004")).id


async def test_a_retried_link_message_gets_the_same_answer(
    client: TestClient[Any, Any], services: Components, chat: Chat
) -> None:
    await chat.send("/greet", **EN)
    code = code_in(await chat.texts("/link"))
    from bot.inbound import Inbound

    inbound = Inbound("telegram", "7005", f"/link {code}", message_id="tg:7005:1", locale="en")
    first = await services.engine.handle(inbound)
    second = await services.engine.handle(inbound)
    assert first == second and first[0].text.startswith("Done")


def test_telegram_start_deep_links_carry_the_code() -> None:
    assert start_command("link_AB3DEF") == "/link AB3DEF"
    assert start_command("ref_abc") is None and start_command(None) is None


async def test_a_code_still_works_after_its_customer_was_merged_into_another(
    client: TestClient[Any, Any], services: Components, chat: Chat
) -> None:
    await say(services, "zalo", "z1", "/greet", locale="en")  # the older customer
    await chat.send("/greet", **EN)
    code = code_in(await chat.texts("/link"))
    older = await customer(services, "zalo", "z1")
    web = (await chat.user())["user_id"]
    await services.customer_data.linking.merger.merge(older.id, web, by="lan")

    linked = await say(services, "telegram", "7006", f"/link {code}", locale="en")

    assert linked[0].startswith("Done")
    assert (await customer(services, "telegram", "7006")).id == older.id
    assert set((await customer(services, "telegram", "7006")).identities) == {
        "zalo:z1",
        f"rest:{chat.sender}",
        "telegram:7006",
    }
