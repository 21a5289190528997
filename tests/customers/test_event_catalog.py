"""The validator knows the events marketers declared in `events.yml`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.policies.loader import PolicyError, load_policies
from tests.conftest import ROOT


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "stage_policies", target)
    return target


def problems(directory: Path) -> list[str]:
    with pytest.raises(PolicyError) as info:
        load_policies(directory)
    return [str(p).removeprefix(f"{directory}/") for p in info.value.problems]


def test_an_undeclared_event_or_property_is_a_problem_at_its_line(policy_dir: Path) -> None:
    decision = policy_dir / "decision.yml"
    text = decision.read_text()
    text = text.replace("when: {event: invoice_paid}", "when: {event: invoce_paid}")
    decision.write_text(text)
    retention = policy_dir / "retention.yml"
    text = retention.read_text().replace(
        "when: {event: inactive_14_days}",
        "when: {event: inactive_14_days, properties: {days: 14}}",
    )
    retention.write_text(text)
    found = problems(policy_dir)
    assert len(found) == 2, found
    assert (
        found[0].startswith("decision.yml:")
        and "event 'invoce_paid' is not in events.yml" in found[0]
    )
    assert found[1].startswith("retention.yml:")
    assert "event 'inactive_14_days' declares no property 'days'" in found[1]


def test_the_catalog_itself_is_checked(policy_dir: Path) -> None:
    catalog = policy_dir / "events.yml"
    shipped = catalog.read_text()
    catalog.write_text(shipped + "  - name: Invoice Paid\n    description: x\n")
    found = problems(policy_dir)
    line = shipped.count("\n") + 1  # the appended entry's name
    assert found[0].startswith(f"events.yml:{line}:") and "pattern" in found[0], found


def test_property_conditions_need_an_event(policy_dir: Path) -> None:
    retention = policy_dir / "retention.yml"
    text = retention.read_text().replace(
        "when: {event: inactive_14_days}", "when: {intent: greet, properties: {plan: pro}}"
    )
    retention.write_text(text)
    [problem] = problems(policy_dir)
    assert "properties are conditions on an event" in problem
