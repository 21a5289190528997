"""`move_to`: a move to another lifecycle stage, recorded with the turn's reason."""

from __future__ import annotations

from actions.stage import MoveArgs, move_to
from bot.effects import MoveStage
from bot.lifecycle import Stage
from tests.actions.unit.factory import Customer


def test_move_to_moves_the_customer_and_says_why() -> None:
    customer = Customer(stage=Stage.CONSIDERATION)

    effects = customer.run(move_to, MoveArgs(stage=Stage.DECISION))

    assert effects == [MoveStage(Stage.DECISION, "rule:test")]
    assert customer.user.stage is Stage.DECISION


def test_move_to_tells_the_validator_where_it_leads() -> None:
    assert move_to.moves(MoveArgs(stage=Stage.DECISION)) == {Stage.DECISION}
    assert move_to.shorthand == "stage"
