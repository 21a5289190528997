"""Coverage: every intent the NLU knows gets a deliberate answer in every stage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.lifecycle import Stage
from bot.nlu.intents import domain_intents
from bot.policies.coverage import Coverage, nlu_intents
from bot.policies.loader import load_policies
from tests.conftest import ROOT

INTENTS = domain_intents(ROOT / "nlu")


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "stage_policies", target)
    return target


@pytest.fixture
def nlu_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the real domain the CLI reads through NLU_DIR."""
    target = tmp_path / "nlu"
    target.mkdir()
    shutil.copyfile(ROOT / "nlu" / "domain.yml", target / "domain.yml")
    monkeypatch.setenv("NLU_DIR", str(target))
    return target


def _coverage(directory: Path) -> Coverage:
    return Coverage.of(load_policies(directory, INTENTS), INTENTS)


def test_shipped_policies_pass_strict_validation_with_the_real_domain(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NLU_DIR", str(ROOT / "nlu"))
    assert main(["policies", "validate", "--strict", str(ROOT / "stage_policies")]) == 0
    captured = capsys.readouterr()
    assert "valid (6 stages" in captured.out
    assert captured.err == ""


def test_the_matrix_has_every_nlu_intent_but_no_button_or_fallback_intent() -> None:
    coverage = _coverage(ROOT / "stage_policies")
    assert coverage.stages == list(Stage)
    assert set(coverage.intents) == set(nlu_intents(INTENTS))
    assert "nlu_fallback" not in coverage.intents
    assert not {"step_done", "nps", "csat"} & set(coverage.intents)
    assert {"greet", "purchase", "out_of_scope"} <= set(coverage.intents)


def test_each_cell_names_what_answers_it() -> None:
    cells = _coverage(ROOT / "stage_policies").cells
    assert cells[Stage.CONSIDERATION, "ask_price"].describe() == "rule:prices"
    assert cells[Stage.AWARENESS, "greet"].describe() == "common:greet"
    assert cells[Stage.AWARENESS, "ask_price"].describe() == (
        "transition:wants_details->consideration (rule:prices)"
    )
    assert cells[Stage.DECISION, "purchase"].describe() == "transition:buys->onboarding"


def test_a_retained_customers_discount_is_a_renewal_one_not_a_move_back() -> None:
    cell = _coverage(ROOT / "stage_policies").cells[Stage.RETENTION, "request_discount"]
    assert cell.describe() == "rule:loyalty_discount"


def test_a_rule_needing_more_than_the_intent_does_not_cover_the_cell(policy_dir: Path) -> None:
    advocacy = (policy_dir / "advocacy.yml").read_text()
    narrowed = advocacy.replace(
        "when: {intent: ask_referral}", "when: {intent: ask_referral, profile: {vip: true}}"
    )
    (policy_dir / "advocacy.yml").write_text(narrowed)
    coverage = _coverage(policy_dir)
    # The common rule still answers the intent alone, so the cell moves to it.
    assert coverage.cells[Stage.ADVOCACY, "ask_referral"].describe() == "common:referral"
    common = (policy_dir / "common.yml").read_text()
    (policy_dir / "common.yml").write_text(
        common.replace(
            "when: {intent: ask_referral}",
            "when: {intent: ask_referral, previous_intent: greet}",
        )
    )
    assert _coverage(policy_dir).gaps(Stage.ADVOCACY) == ["ask_referral"]


def test_a_replay_into_a_stage_that_falls_back_is_a_gap(policy_dir: Path) -> None:
    retention = (policy_dir / "retention.yml").read_text()
    (policy_dir / "retention.yml").write_text(
        retention.replace(
            "when: {intent: [ask_price, compare_plans]}",
            "when: {intent: [ask_price, compare_plans, goodbye]}",
        )
    )
    common = (policy_dir / "common.yml").read_text()
    (policy_dir / "common.yml").write_text(
        common.replace("when: {intent: goodbye}", "when: {intent: goodbye, previous_intent: thank}")
    )
    coverage = _coverage(policy_dir)
    cell = coverage.cells[Stage.RETENTION, "goodbye"]
    assert cell.describe() == "transition:shopping_again->consideration (fallback)"
    assert cell.short() == "→ consideration ✗"
    assert coverage.gaps(Stage.RETENTION) == ["goodbye"]


def test_gaps_are_warnings_at_the_rules_key_and_errors_when_strict(
    policy_dir: Path, nlu_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    onboarding = (policy_dir / "onboarding.yml").read_text()
    start = onboarding.index('  # "chưa"')
    end = onboarding.index("checklist:\n  then:")
    (policy_dir / "onboarding.yml").write_text(onboarding[:start] + onboarding[end:])
    rules_line = onboarding.splitlines().index("rules:") + 1
    expected = (
        f"{policy_dir}/onboarding.yml:{rules_line}:1: 6 intents would get the generic fallback "
        "in stage 'onboarding': ask_price, ask_product_info, compare_plans, purchase, "
        "request_discount, request_trial (answer them with a rule, a transition or a common rule)"
    )
    assert main(["policies", "validate", str(policy_dir)]) == 0
    err = capsys.readouterr().err
    assert f"warning: {expected}\n" in err
    assert main(["policies", "validate", "--strict", str(policy_dir)]) == 1
    err = capsys.readouterr().err
    assert err == f"{expected}\n1 problem found\n"


def test_a_new_intent_in_the_domain_shows_as_a_gap_in_every_stage_that_has_no_answer(
    policy_dir: Path, nlu_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    domain = (nlu_dir / "domain.yml").read_text()
    (nlu_dir / "domain.yml").write_text(
        domain.replace("  - out_of_scope\n", "  - out_of_scope\n  - ask_invoice\n")
    )
    assert main(["policies", "validate", "--strict", str(policy_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("ask_invoice") == len(Stage)
    assert main(["policies", "coverage", str(policy_dir), "--format", "tsv"]) == 0
    rows = {
        line.split("\t")[0]: line.split("\t")[1:] for line in capsys.readouterr().out.splitlines()
    }
    assert rows["intent"] == [s.value for s in Stage]
    assert rows["ask_invoice"] == ["fallback"] * len(Stage)
    assert rows["greet"] == ["common:greet"] * len(Stage)


def test_coverage_table_for_a_terminal(
    policy_dir: Path, nlu_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["policies", "coverage", str(policy_dir)]) == 0
    out = capsys.readouterr().out
    header, _line, *rest = out.splitlines()
    assert header.split() == ["intent", *(s.value for s in Stage)]
    purchase = next(line for line in rest if line.startswith("purchase "))
    assert purchase.split("  ")[0] == "purchase"
    assert "→ decision" in purchase and "→ onboarding" in purchase
    assert "renew_or_upgrade" in purchase
    assert "0 gaps in 6 stages" in out
    assert max(len(line) for line in (header, *rest[:18])) <= 20 + 17 * len(Stage)


def test_coverage_of_a_broken_folder_points_at_validate(
    policy_dir: Path, nlu_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (policy_dir / "common.yml").write_text("rules: [\n")
    assert main(["policies", "coverage", str(policy_dir)]) == 1
    assert "policies validate" in capsys.readouterr().err
