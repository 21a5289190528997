"""Loading stage policies: the shipped set loads; broken files name every problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.lifecycle import Stage
from bot.nlu.parse import Parse
from bot.policies.loader import PolicyError, load_policies
from tests.conftest import ROOT


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "stage_policies", target)
    return target


def test_shipped_policies_load_with_every_stage() -> None:
    policies = load_policies(ROOT / "stage_policies")
    assert set(policies.stages) == set(Stage)
    assert len(policies.revision) == 12


def test_stage_rules_win_over_common_then_fallback() -> None:
    policies = load_policies(ROOT / "stage_policies")
    assert policies.decide(Stage.AWARENESS, Parse("ask_price", 1.0))[0] == "rule:wants_product_info"
    assert policies.decide(Stage.AWARENESS, Parse("greet", 1.0))[0] == "rule:greet"
    assert policies.decide(Stage.AWARENESS, Parse("nlu_fallback", 0.2))[0] == "fallback"


def _problems(directory: Path) -> list[str]:
    with pytest.raises(PolicyError) as info:
        load_policies(directory)
    return info.value.problems


def test_every_problem_is_reported_with_its_file(policy_dir: Path) -> None:
    (policy_dir / "decision.yml").write_text(
        "stage: decision\nrules:\n  - name: x\n    when: {intent: greet\n"
    )
    (policy_dir / "retention.yml").write_text(
        "stage: retention\nrules:\n  - name: x\n"
        "    when: {intent: greet}\n    do: [{teleport: 1}]\n"
    )
    (policy_dir / "advocacy.yml").write_text("stage: loyal\n")
    (policy_dir / "onboarding.yml").unlink()
    problems = _problems(policy_dir)
    assert len(problems) == 4, problems
    assert any(p.startswith(f"{policy_dir}/decision.yml:5:1: YAML syntax error") for p in problems)
    assert any(
        "retention.yml: rules.0.do.0" in p and "unknown action 'teleport'" in p for p in problems
    )
    assert any("advocacy.yml: stage" in p for p in problems)
    assert any("onboarding.yml: cannot read" in p for p in problems)


def test_missing_translation_bad_template_and_long_payload(policy_dir: Path) -> None:
    (policy_dir / "awareness.yml").write_text(
        "stage: awareness\n"
        "on_enter:\n"
        "  - reply: {text: {vi: 'Chào'}}\n"
        "  - reply: {text: {vi: '{{ name', en: 'x'}}\n"
        "  - reply:\n"
        "      text: {vi: a, en: b}\n"
        f"      buttons: [{{title: {{vi: a, en: b}}, payload: '/{'x' * 70}'}}]\n"
    )
    problems = "\n".join(_problems(policy_dir))
    assert "on_enter.0.reply" in problems or "on_enter.0" in problems
    assert "Field required" in problems
    assert "template syntax error" in problems
    assert "Telegram allows 64" in problems
