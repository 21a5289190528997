"""The merge rules on their own: what the merged customer's state keeps of each."""

from __future__ import annotations

from typing import Any

from bot.customer_state import customer_state
from bot.lifecycle import Stage, Transition
from bot.linking.rules import merged_state, winning_stage
from bot.user import User


def state(**values: Any) -> Any:
    return customer_state(values)


def test_two_handoffs_keep_the_older_and_note_the_other() -> None:
    notes: list[str] = []
    older = {"id": "h1", "started": 10.0, "reason": "asked", "by": "bot", "stage": "decision",
             "first_response": None}  # fmt: skip
    newer = {**older, "id": "h2", "started": 20.0}
    merged = merged_state(state(handoff=newer), state(handoff=older), notes)
    assert merged["handoff"]["id"] == "h1"
    assert len(notes) == 1 and '"h2"' in notes[0]


def test_two_trials_keep_the_earlier_one_opt_outs_stay_and_flags_combine() -> None:
    early = {"code": "TRIAL-A", "started": 1.0, "expires": 2.0}
    late = {"code": "TRIAL-B", "started": 5.0, "expires": 9.0}
    flag = {"at": 1.0, "stage": "retention"}
    merged = merged_state(
        state(trial=late, awaiting="nps_record", flags={"vip": flag}),
        state(trial=early, opted_out=True, flags={"churn_risk": flag}),
        [],
    )
    assert merged["trial"]["code"] == "TRIAL-A"
    assert merged.get("opted_out") is True
    assert set(merged["flags"]) == {"vip", "churn_risk"}
    assert merged.get("awaiting") == "nps_record"  # the survivor's conversation goes on


def test_nothing_to_combine_leaves_no_empty_keys() -> None:
    assert merged_state(state(last_seen=3.0), state(), []) == {"last_seen": 3.0}


def test_the_stage_a_person_set_last_wins_over_a_more_advanced_one() -> None:
    def user(stage: Stage) -> User:
        return User("x", 0.0, "en", stage, 1.0)

    bot_moved = [Transition(Stage.AWARENESS, Stage.DECISION, 5.0, "intent:request_trial")]
    staff_moved = [Transition(Stage.AWARENESS, Stage.CONSIDERATION, 9.0, "manual:lan")]
    survivor, absorbed = user(Stage.DECISION), user(Stage.CONSIDERATION)
    assert winning_stage(survivor, absorbed, (bot_moved, staff_moved))[0] is Stage.CONSIDERATION
    older_staff = [Transition(Stage.AWARENESS, Stage.CONSIDERATION, 2.0, "manual:lan")]
    assert winning_stage(survivor, absorbed, (bot_moved, older_staff))[0] is Stage.DECISION
