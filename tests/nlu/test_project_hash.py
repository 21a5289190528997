from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.nlu.project_hash import HASH_LENGTH, nlu_project_hash


@pytest.fixture
def project(tmp_path: Path) -> Path:
    nlu_dir = tmp_path / "a" / "nlu"
    (nlu_dir / "data").mkdir(parents=True)
    (nlu_dir / "config.yml").write_text("pipeline: []\n")
    (nlu_dir / "domain.yml").write_text("intents: [greet]\n")
    (nlu_dir / "data" / "nlu.yml").write_text("nlu: []\n")
    return nlu_dir


def test_hash_is_short_hex_and_stable(project: Path) -> None:
    value = nlu_project_hash(project)
    assert len(value) == HASH_LENGTH
    int(value, 16)
    assert nlu_project_hash(project) == value


def test_same_content_elsewhere_has_the_same_hash(project: Path, tmp_path: Path) -> None:
    copy = tmp_path / "b" / "nlu"
    shutil.copytree(project, copy)
    assert nlu_project_hash(copy) == nlu_project_hash(project)


@pytest.mark.parametrize("name", ["config.yml", "domain.yml", "data/nlu.yml"])
def test_changing_a_project_file_changes_the_hash(project: Path, name: str) -> None:
    before = nlu_project_hash(project)
    with (project / name).open("a") as file:
        file.write("# changed\n")
    assert nlu_project_hash(project) != before


def test_adding_or_renaming_data_changes_the_hash(project: Path) -> None:
    before = nlu_project_hash(project)
    (project / "data" / "nlu.yml").rename(project / "data" / "other.yml")
    renamed = nlu_project_hash(project)
    (project / "data" / "extra.yml").write_text("nlu: []\n")
    assert len({before, renamed, nlu_project_hash(project)}) == 3


def test_models_and_tests_do_not_count(project: Path) -> None:
    before = nlu_project_hash(project)
    for folder in ("models", "tests"):
        (project / folder).mkdir()
        (project / folder / "x").write_text("anything")
    assert nlu_project_hash(project) == before
