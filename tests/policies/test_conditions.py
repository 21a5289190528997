"""Rule conditions: intents, entity and profile values, the previous intent, awaited answers."""

from __future__ import annotations

from typing import Any

from bot.nlu.parse import Entity, Parse
from bot.policies.conditions import TurnFacts, When


def _facts(
    intent: str = "ask_price",
    plan: str | None = None,
    profile: dict[str, Any] | None = None,
    previous: str | None = None,
    awaiting: str | None = None,
    free_text: bool = True,
) -> TurnFacts:
    entities = (Entity("plan", plan),) if plan else ()
    return TurnFacts(Parse(intent, 1.0, entities), profile or {}, previous, awaiting, free_text)


def test_every_given_condition_must_hold() -> None:
    when = When.model_validate(
        {
            "intent": "ask_price",
            "entities": {"plan": ["pro", "enterprise"]},
            "profile": {"shops": 3},
        }
    )
    assert when.matches(_facts(plan="pro", profile={"shops": 3}))
    assert not when.matches(_facts(plan="basic", profile={"shops": 3}))
    assert not when.matches(_facts(plan="pro", profile={"shops": 1}))
    assert not when.matches(_facts(plan="pro"))
    assert not when.matches(_facts("compare_plans", plan="pro", profile={"shops": 3}))


def test_any_value_previous_intent_and_awaited_free_text() -> None:
    assert When.model_validate({"entities": {"plan": "*"}}).matches(_facts(plan="basic"))
    assert not When.model_validate({"entities": {"plan": "*"}}).matches(_facts())
    again = When.model_validate({"intent": "nlu_fallback", "previous_intent": "nlu_fallback"})
    assert again.matches(_facts("nlu_fallback", previous="nlu_fallback"))
    assert not again.matches(_facts("nlu_fallback", previous="greet"))
    awaited = When.model_validate({"awaiting": "nps_comment"})
    assert awaited.matches(_facts(awaiting="nps_comment"))
    assert not awaited.matches(_facts(awaiting="nps_comment", free_text=False))
    assert not awaited.matches(_facts(awaiting="feedback"))


def test_covers_finds_rules_an_earlier_rule_always_wins() -> None:
    broad = When.model_validate({"intent": ["ask_price", "compare_plans"]})
    narrow = When.model_validate({"intent": "ask_price", "entities": {"plan": "pro"}})
    assert broad.covers(narrow)
    assert not narrow.covers(broad)
    other = When.model_validate({"intent": "ask_price", "profile": {"vip": True}})
    assert not other.covers(narrow)
    assert not When.model_validate({"entities": {"plan": "pro"}}).covers(broad)
