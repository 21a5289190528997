"""`checklist`: show the current step, mark it done, skip it, help with it, finish."""

from __future__ import annotations

import pytest

from actions.onboarding import ChecklistArgs, Step, checklist
from bot.effects import Button, MoveStage, Record, Reply, SetState
from bot.errors import BotError
from bot.lifecycle import Stage
from tests.actions.unit.factory import CHECKLIST, NOW, Customer

DONE_BUTTON = (Button("Done", "/step_done"),)


def onboarding(**state: object) -> Customer:
    return Customer(stage=Stage.ONBOARDING, checklist=CHECKLIST, state=dict(state))


def test_show_starts_at_the_first_step() -> None:
    assert onboarding().run(checklist, ChecklistArgs(do=Step.SHOW)) == [
        SetState("onboarding", {"done": [], "at": 0}),
        Reply("Step 1/2: Create your store (0 done)", DONE_BUTTON),
    ]


def test_done_records_the_step_and_shows_the_next() -> None:
    assert onboarding().run(checklist, ChecklistArgs(do=Step.DONE)) == [
        Record("onboarding_step_done", {"step": "store"}),
        SetState("onboarding", {"done": ["store"], "at": 1}),
        Reply("Step 2/2: Add a product (1 done)", DONE_BUTTON),
    ]


def test_next_skips_a_step_without_marking_it_done() -> None:
    assert onboarding().run(checklist, ChecklistArgs(do=Step.NEXT)) == [
        SetState("onboarding", {"done": [], "at": 1}),
        Reply("Step 2/2: Add a product (0 done)", DONE_BUTTON),
    ]


def test_help_explains_the_current_step() -> None:
    customer = onboarding(onboarding={"done": [], "at": 1})

    assert customer.run(checklist, ChecklistArgs(do=Step.HELP))[-1] == Reply(
        "Help with Add a product: How: Add a product", DONE_BUTTON
    )


def test_the_last_step_done_finishes_and_moves_on() -> None:
    customer = onboarding(onboarding={"done": ["store"], "at": 1})

    effects = customer.run(checklist, ChecklistArgs(do=Step.DONE))

    assert effects == [
        Record("onboarding_step_done", {"step": "product"}),
        SetState("onboarding", {"done": ["store", "product"], "at": 1, "finished": NOW}),
        Record("onboarding_finished", {}),
        Reply("All set!"),
        MoveStage(Stage.RETENTION, "rule:test"),
    ]
    assert customer.user.stage is Stage.RETENTION


def test_a_stage_without_a_checklist_is_an_error() -> None:
    with pytest.raises(BotError, match="has no checklist"):
        Customer(stage=Stage.RETENTION).run(checklist, ChecklistArgs(do=Step.SHOW))
