"""The content hash of the Rasa project: a model is trained once per hash.

It covers everything that shapes the model: `config.yml`, `domain.yml`, every file under
`data/`, the source of the text folding applied to the training data, and the Rasa
version. It leaves out `models/` and `tests/`, which do not change what is trained.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from bot.nlu import normalise, training_data
from bot.nlu.rasa_env import RASA_VERSION

HASH_LENGTH = 16


def _project_files(nlu_dir: Path) -> list[Path]:
    files = [nlu_dir / "config.yml", nlu_dir / "domain.yml"]
    data_dir = nlu_dir / "data"
    if data_dir.is_dir():
        files += sorted(p for p in data_dir.rglob("*") if p.is_file())
    return [f for f in files if f.is_file()]


def nlu_project_hash(nlu_dir: Path) -> str:
    """Hash everything in `nlu_dir` that shapes the trained model (short hex digest)."""
    digest = hashlib.sha256(f"rasa=={RASA_VERSION}\n".encode())
    for path in _project_files(nlu_dir):
        # Relative names, so two clones in different folders share one model.
        name = path.relative_to(nlu_dir).as_posix()
        digest.update(f"{len(name)}:{name}\n".encode())
        content = path.read_bytes()
        digest.update(f"{len(content)}\n".encode() + content)
    for module in (normalise, training_data):
        source = Path(module.__file__ or "").read_bytes()
        digest.update(f"module:{module.__name__}:{len(source)}\n".encode() + source)
    return digest.hexdigest()[:HASH_LENGTH]
