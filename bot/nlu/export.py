"""The Rasa project as Rasa must see it: folded training data, for a Rasa container.

The bot folds text (bot/nlu/normalise.py) before every parse, so Rasa must be trained on
folded examples. `python -m bot nlu export DIR` writes `config.yml`, `domain.yml`, the
folded `data/` and `HASH` (the project's content hash, which names the model) into DIR;
the Rasa container of docker-compose.yml trains from there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.nlu.project_hash import nlu_project_hash
from bot.nlu.training_data import prepare_training_data


def export_project(nlu_dir: Path, out_dir: Path) -> str:
    """Write the trainable project into `out_dir`; returns its content hash.

    Raises:
        TrainingDataError: the training data is missing or not valid YAML.

    """
    out_dir.mkdir(parents=True, exist_ok=True)
    prepare_training_data(nlu_dir, out_dir / "data")
    for name in ("config.yml", "domain.yml"):
        shutil.copyfile(nlu_dir / name, out_dir / name)
    project_hash = nlu_project_hash(nlu_dir)
    (out_dir / "HASH").write_text(project_hash + "\n")
    return project_hash
