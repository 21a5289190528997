"""Every action declares itself next to its code, and has its unit tests here."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest

from actions import ACTIONS, messaging
from actions.context import ActionContext
from actions.messaging import ReplyArgs, reply
from actions.spec import action, collect
from bot.effects import Effect
from bot.errors import BotError

HERE = Path(__file__).parent


def test_the_registry_holds_every_action_in_its_order() -> None:
    assert list(ACTIONS) == [
        "reply",
        "move_to",
        "plan_info",
        "plan_compare",
        "trial_offer",
        "discount",
        "checklist",
        "nps_ask",
        "nps_record",
        "csat_ask",
        "csat_record",
        "await_comment",
        "save_comment",
        "referral_link",
        "handoff",
        "flag",
        "unflag",
        "opt_out",
        "opt_in",
    ]


@pytest.mark.parametrize("name", list(ACTIONS))
def test_every_action_is_run_by_a_unit_test_of_its_module(name: str) -> None:
    spec = ACTIONS[name]
    module = spec.run.__module__.removeprefix("actions.")
    tests = HERE / f"test_{module}.py"
    assert tests.exists(), f"{name}: add {tests.relative_to(HERE.parents[2])}"
    run = re.compile(rf"\.run\(\s*{spec.run.__name__}\b")
    assert run.search(tests.read_text(encoding="utf-8")), f"{name}: no Customer().run of it"


def test_a_name_declared_twice_is_refused() -> None:
    twice = ModuleType("actions.twice")

    def again(args: ReplyArgs, ctx: ActionContext) -> list[Effect]:
        return []

    again.__module__ = twice.__name__
    vars(twice).update(again=action("reply", ReplyArgs)(again))

    with pytest.raises(BotError, match="reply is declared twice"):
        collect(messaging, twice)


def test_an_action_imported_elsewhere_counts_where_it_is_declared() -> None:
    elsewhere = ModuleType("actions.elsewhere")
    vars(elsewhere).update(reply=reply)

    assert collect(elsewhere) == {}


def test_a_shorthand_must_be_an_argument() -> None:
    with pytest.raises(BotError, match="'stage' is no field of ReplyArgs"):
        action("say", ReplyArgs, shorthand="stage")
