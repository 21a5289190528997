"""The full-stack Rasa project generated for `python -m bench.versus_rasa`."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bench.versus_rasa.project import (
    RULES_FILE,
    RedisTarget,
    endpoints,
    write_project,
    write_runtime,
)

ROOT = Path(__file__).resolve().parents[2]
NLU = ROOT / "nlu"


def load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("versus") / "project"
    write_project(NLU, out)
    return out


def test_every_intent_of_the_bot_is_answered_by_a_rule_with_its_own_response(
    project: Path,
) -> None:
    intents = load(NLU / "domain.yml")["intents"]
    domain = load(project / "domain.yml")
    rules = load(project / "data" / RULES_FILE)["rules"]
    answered = {rule["steps"][0]["intent"]: rule["steps"][1]["action"] for rule in rules}
    assert set(answered) == {*intents, "nlu_fallback"}
    for intent, action in answered.items():
        assert action == f"utter_{intent}"
        assert domain["responses"][action][0]["text"]
    assert all(len(rule["steps"]) == 2 for rule in rules)
    assert domain["intents"] == intents and domain["entities"] == ["plan"]


def test_the_nlu_is_the_bots_own_with_rule_policy_for_the_dialogue(project: Path) -> None:
    bot_config, config = load(NLU / "config.yml"), load(project / "config.yml")
    assert config["pipeline"] == bot_config["pipeline"]
    assert config["language"] == bot_config["language"]
    assert [policy["name"] for policy in config["policies"]] == ["RulePolicy"]
    data = sorted(p.name for p in (project / "data").iterdir())
    assert data == sorted([*(p.name for p in (NLU / "data").glob("*.yml")), RULES_FILE])
    # Folded like the NLU model's data: no diacritics reach Rasa.
    assert "chào" not in (project / "data" / "vi.yml").read_text(encoding="utf-8")


def test_the_hash_follows_the_training_content(tmp_path: Path) -> None:
    first = write_project(NLU, tmp_path / "a")
    assert write_project(NLU, tmp_path / "b") == first
    changed = tmp_path / "nlu"
    shutil.copytree(NLU, changed, ignore=shutil.ignore_patterns("models", "tests"))
    with (changed / "data" / "en.yml").open("a", encoding="utf-8") as data:
        data.write("\n# a comment changes nothing Rasa sees\n")
    assert write_project(changed, tmp_path / "c") == first
    domain = changed / "domain.yml"
    domain.write_text(domain.read_text().replace("60", "30"), encoding="utf-8")
    assert write_project(changed, tmp_path / "d") != first


def test_trackers_and_locks_go_to_redis_under_the_runs_prefix(tmp_path: Path) -> None:
    target = RedisTarget.from_url("redis://127.0.0.1:6380/3", "versus1a2b")
    assert target == RedisTarget("127.0.0.1", 6380, 3, "versus1a2b")
    credentials, endpoints_file = write_runtime(tmp_path, target)
    assert load(credentials) == {"rest": None}
    stores = load(endpoints_file)
    assert stores == endpoints(target)
    for name in ("tracker_store", "lock_store"):
        assert stores[name] == {
            "type": "redis",
            "url": "127.0.0.1",
            "port": 6380,
            "db": 3,
            "key_prefix": "versus1a2b",
        }


def test_a_prefix_rasa_would_silently_ignore_is_refused() -> None:
    with pytest.raises(ValueError, match="alphanumeric"):
        RedisTarget.from_url("redis://127.0.0.1:6379/0", "bench:versus")
