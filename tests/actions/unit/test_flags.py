"""`flag` / `unflag`: a mark for the team, kept from its first time, cleared once."""

from __future__ import annotations

from actions.flags import FLAGS, FlagArgs, flag, unflag
from bot.effects import Record, SetState
from bot.lifecycle import Stage
from tests.actions.unit.factory import DAY, NOW, Customer

CHURN = FlagArgs(name="churn_risk")


def test_flag_marks_the_customer_with_when_and_where() -> None:
    customer = Customer(stage=Stage.RETENTION, state={FLAGS: {"vip": {"at": 1.0}}})

    assert customer.run(flag, CHURN) == [
        SetState(FLAGS, {"vip": {"at": 1.0}, "churn_risk": {"at": NOW, "stage": "retention"}}),
        Record("flagged", {"flag": "churn_risk", "reason": "rule:test"}),
    ]


def test_flag_set_again_keeps_its_first_time_and_records_nothing() -> None:
    customer = Customer(stage=Stage.RETENTION)
    customer.run(flag, CHURN)
    customer.clock.advance(DAY)

    assert customer.run(flag, CHURN) == []
    assert customer.user.state[FLAGS]["churn_risk"]["at"] == NOW


def test_unflag_clears_the_mark_and_records_it() -> None:
    customer = Customer(state={FLAGS: {"churn_risk": {"at": NOW}, "vip": {"at": 1.0}}})

    assert customer.run(unflag, CHURN) == [
        SetState(FLAGS, {"vip": {"at": 1.0}}),
        Record("unflagged", {"flag": "churn_risk", "reason": "rule:test"}),
    ]


def test_unflag_without_the_mark_does_nothing() -> None:
    assert Customer(state={FLAGS: "corrupt"}).run(unflag, CHURN) == []
