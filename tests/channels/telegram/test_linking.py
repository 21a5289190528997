"""Opening the web chat's "continue on Telegram" deep link links the two chats."""

from __future__ import annotations

from bot.channels.telegram.channel import TelegramChannel
from bot.inbound import Inbound
from bot.wiring import Components
from tests.channels.telegram.conftest import Customer, stored_user
from tests.linking.conftest import code_in


async def test_start_link_code_from_the_web_chat_joins_the_customer(
    polling: TelegramChannel, tg_services: Components, customer: Customer
) -> None:
    web = Inbound("rest", "web-5001", "/greet", locale="vi")
    await tg_services.engine.handle(web)
    issued = await tg_services.engine.handle(Inbound("rest", "web-5001", "/link"))
    code = code_in([r.text for r in issued])
    assert f"https://t.me/salemate_bot?start=link_{code}" in issued[0].text

    customer.says(f"/start link_{code}")
    [linked] = await customer.replies(1)

    assert linked.startswith("Xong: các cuộc trò chuyện của bạn đã được liên kết.")
    user = await stored_user(tg_services, customer)
    on_web = await tg_services.users.find("rest", "web-5001")
    assert on_web is not None and user.id == on_web.id
    assert set(user.identities) == {"rest:web-5001", f"telegram:{customer.id}"}
    customer.says("/greet")
    texts = await customer.replies(2)
    assert texts[1].startswith("Chào An!")  # the Telegram profile joined the customer's
