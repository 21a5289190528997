"""`reply`: a text with buttons in the customer's language; what yes and no mean next."""

from __future__ import annotations

from actions.messaging import ReplyArgs, reply
from bot.effects import Button, Reply, SetState
from bot.turn.meanings import EXPECTS
from tests.actions.unit.factory import Customer, button, text


def test_reply_renders_the_text_and_buttons_in_the_customers_language() -> None:
    args = ReplyArgs(text=text("Hello", "Xin chào"), buttons=[button("Prices", "/ask_price")])

    assert Customer(locale="vi").run(reply, args) == [
        Reply("Xin chào", (Button("Prices", "/ask_price"),))
    ]


def test_reply_that_asks_yes_or_no_remembers_what_each_answer_means() -> None:
    args = ReplyArgs(text=text("Try it free?"), yes="/request_trial", no="/greet")
    customer = Customer()

    effects = customer.run(reply, args)

    assert effects == [
        Reply("Try it free?"),
        SetState(EXPECTS, {"yes": "/request_trial", "no": "/greet"}),
    ]


def test_reply_with_only_a_yes_meaning_leaves_no_to_the_nlu() -> None:
    args = ReplyArgs(text=text("Shall I show the plans?"), yes="/ask_price")

    assert Customer().run(reply, args)[1] == SetState(EXPECTS, {"yes": "/ask_price"})
