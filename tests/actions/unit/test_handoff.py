"""`handoff`: the customer is told the wait, and a person is requested."""

from __future__ import annotations

from actions.handoff import HandoffArgs, handoff
from bot.effects import Button, Reply, RequestHandoff
from tests.actions.unit.factory import Customer, button, text


def test_handoff_tells_the_wait_and_requests_a_person_for_the_reason() -> None:
    args = HandoffArgs(
        text=text("A colleague replies within {wait_minutes} minutes."),
        reason="billing",
        buttons=[button("Back to the bot", "/greet")],
    )

    assert Customer().run(handoff, args) == [
        Reply("A colleague replies within 15 minutes.", (Button("Back to the bot", "/greet"),)),
        RequestHandoff("billing"),
    ]
