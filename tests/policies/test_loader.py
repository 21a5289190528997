"""The policy validator: the shipped set loads; broken files name every problem at its line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.lifecycle import Stage
from bot.nlu.parse import Parse
from bot.policies.conditions import TurnFacts
from bot.policies.loader import PolicyError, load_policies
from tests.conftest import ROOT


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "stage_policies", target)
    return target


def _facts(intent: str, previous: str | None = None) -> TurnFacts:
    return TurnFacts(Parse(intent, 1.0), {}, previous, None, free_text=False)


def test_shipped_policies_load_with_every_stage_and_the_catalog() -> None:
    policies = load_policies(ROOT / "stage_policies")
    assert set(policies.stages) == set(Stage)
    assert [p.id for p in policies.catalog.plans] == ["basic", "pro", "enterprise"]
    assert len(policies.revision) == 12


def test_stage_rules_then_transitions_then_common_then_fallback() -> None:
    policies = load_policies(ROOT / "stage_policies")
    assert policies.decide(Stage.CONSIDERATION, _facts("ask_price")).reason == "rule:prices"
    decision = policies.decide(Stage.AWARENESS, _facts("ask_price"))
    assert (decision.reason, decision.replay) == ("transition:wants_details", True)
    assert policies.decide(Stage.AWARENESS, _facts("greet")).reason == "rule:greet"
    assert policies.decide(Stage.AWARENESS, _facts("nlu_fallback")).reason == "fallback"
    again = policies.decide(Stage.AWARENESS, _facts("nlu_fallback", "nlu_fallback"))
    assert again.reason == "rule:still_lost"


def _problems(directory: Path) -> list[str]:
    with pytest.raises(PolicyError) as info:
        load_policies(directory)
    return [str(p).removeprefix(f"{directory}/") for p in info.value.problems]


def test_schema_problems_each_at_their_line_and_column(policy_dir: Path) -> None:
    (policy_dir / "decision.yml").write_text(
        "stage: decision\n"
        "rules:\n"
        "  - name: trial\n"
        "    when: {intent: request_trial}\n"
        "    do:\n"
        "      - teleport: 1\n"
        '      - reply: {text: {vi: "Chào"}}\n'
        "      - reply:\n"
        '          text: {vi: "{{ name", en: ok}\n'
        "          buttons:\n"
        f'            - {{title: {{vi: a, en: b}}, payload: "/{"x" * 70}"}}\n'
        "      - move_to: heaven\n"
        "  - name: weather\n"
        "    when: {intent: ask_weather}\n"
        "    do: [{reply: {text: {vi: a, en: b}}}]\n"
    )
    (policy_dir / "onboarding.yml").write_text("stage: onboarding\nrules:\n  - {name: x\n")
    (policy_dir / "advocacy.yml").write_text("stage: loyal\n")
    (policy_dir / "retention.yml").unlink()
    (policy_dir / "awarness.yml").write_text("stage: awareness\n")
    problems = _problems(policy_dir)
    assert problems == [
        "advocacy.yml:1:1: unknown stage 'loyal'; expected one of: awareness, consideration, "
        "decision, onboarding, retention, advocacy",
        "awarness.yml:1:1: unknown stage 'awarness': policy files are awareness.yml, "
        "consideration.yml, decision.yml, onboarding.yml, retention.yml, advocacy.yml, "
        "common.yml, catalog.yml, events.yml",
        "decision.yml:6:9: unknown action 'teleport'; known actions: "
        + ", ".join(__import__("actions").ACTIONS),
        "decision.yml:7:23: missing translation 'en'",
        "decision.yml:9:18: template syntax error: unexpected end of template, "
        "expected 'end of print statement'. (line 1)",
        "decision.yml:11:39: payload is 71 bytes; Telegram allows 64",
        "decision.yml:12:9: unknown stage 'heaven'; expected one of: awareness, consideration, "
        "decision, onboarding, retention, advocacy",
        "decision.yml:14:12: intent 'ask_weather' is not in nlu/domain.yml",
        "onboarding.yml:4:1: YAML syntax error: expected ',' or '}', but got '<stream end>'",
        "retention.yml:1:1: missing: every stage needs its file",
    ]


def test_template_variables_shadowed_rules_and_catalog_plans(policy_dir: Path) -> None:
    (policy_dir / "decision.yml").write_text(
        "stage: decision\n"
        "rules:\n"
        "  - name: trial\n"
        "    when: {intent: [request_trial, request_discount]}\n"
        "    do:\n"
        '      - reply: {text: {vi: "Chào {{ nam }}", en: "Hi {{ profile.name }}"}}\n'
        "  - name: trial_again\n"
        "    when: {intent: request_trial, entities: {plan: gold}}\n"
        "    do:\n"
        "      - discount:\n"
        "          coupon: X10\n"
        "          percent: 10\n"
        '          text: {vi: "{{ coupon }}", en: "{{ code }}"}\n'
        "          exhausted: {vi: a, en: b}\n"
        "transitions:\n"
        "  - name: buys\n"
        "    when: {intent: purchase}\n"
        "    to: onboarding\n"
    )
    problems = _problems(policy_dir)
    assert problems == [
        "decision.yml:6:24: unknown variable 'nam' in template; "
        "known here: catalog, locale, profile, stage",
        "decision.yml:8:5: rule 'trial_again' is never used: rule 'trial' before it "
        "matches whenever it does",
        "decision.yml:8:46: plan 'gold' is not in the catalog; plans: basic, enterprise, pro",
        "decision.yml:13:38: unknown variable 'code' in template; "
        "known here: catalog, coupon, left, locale, percent, profile, stage",
    ]


def test_a_stage_nothing_leads_to_is_reported(policy_dir: Path) -> None:
    decision = (policy_dir / "decision.yml").read_text()
    (policy_dir / "decision.yml").write_text(decision.replace("to: onboarding", "to: retention"))
    assert _problems(policy_dir) == [
        "onboarding.yml:2:1: stage 'onboarding' cannot be reached from 'awareness': "
        "no rule, transition or action moves a customer there"
    ]


def test_validate_command_exit_codes(policy_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policies", "validate", str(policy_dir)]) == 0
    assert "valid (6 stages" in capsys.readouterr().out
    (policy_dir / "common.yml").write_text("rules: [\n")
    assert main(["policies", "validate", str(policy_dir)]) == 1
    err = capsys.readouterr().err
    assert f"{policy_dir}/common.yml:2:1: YAML syntax error" in err
    assert err.endswith("1 problem found\n")


def test_follow_ups_are_validated_like_everything_else(policy_dir: Path) -> None:
    retention = (policy_dir / "retention.yml").read_text()
    broken = retention.replace("    after: 14d\n", "    after: soon\n    from: birthday\n")
    head, tail = broken.rsplit("      - nps_ask:\n", 1)  # the follow-up's, not the rule's
    broken = head + "      - reply: {text: {vi: '{{ score }}', en: x}}\n      - nps_ask:\n" + tail
    (policy_dir / "retention.yml").write_text(broken)
    after = broken.splitlines().index("    after: soon") + 1  # the policy text may grow
    problems = _problems(policy_dir)
    assert problems == [
        f"retention.yml:{after}:5: 'soon' is not a duration like 30m, 6h, 2d or -2d",
        f"retention.yml:{after + 1}:5: Input should be 'stage_entered', 'trial_expires', "
        "'last_seen' or 'event'",
    ]
    fixed = broken.replace("    after: soon\n    from: birthday\n", "    after: 14d\n")
    (policy_dir / "retention.yml").write_text(fixed)
    score = fixed.splitlines().index("      - reply: {text: {vi: '{{ score }}', en: x}}") + 1
    assert _problems(policy_dir) == [
        f"retention.yml:{score}:24: unknown variable 'score' in template; "
        "known here: catalog, locale, profile, stage"
    ]
