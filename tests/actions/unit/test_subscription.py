"""`opt_out` / `opt_in`: proactive messages stop and start again."""

from __future__ import annotations

from actions.messaging import ReplyArgs
from actions.subscription import OPTED_OUT, opt_in, opt_out
from bot.effects import Button, Record, Reply, SetState
from tests.actions.unit.factory import Customer, button, text


def test_opt_out_stops_proactive_messages_and_offers_the_way_back() -> None:
    args = ReplyArgs(text=text("No more messages."), buttons=[button("Resume", "/resume_messages")])

    assert Customer().run(opt_out, args) == [
        SetState(OPTED_OUT, True),
        Record("opted_out", {}),
        Reply("No more messages.", (Button("Resume", "/resume_messages"),)),
    ]


def test_opt_in_resumes_proactive_messages() -> None:
    customer = Customer(state={OPTED_OUT: True})

    effects = customer.run(opt_in, ReplyArgs(text=text("Welcome back.")))

    assert effects == [SetState(OPTED_OUT, False), Record("opted_in", {}), Reply("Welcome back.")]
    assert customer.user.state[OPTED_OUT] is False
