"""Training the NLU model, once per content hash of `nlu/`.

Models are kept in CACHE_DIR/models/nlu-<hash>.tar.gz, outside the clone, so a fresh
clone (CI) with an unchanged `nlu/` reuses the model instead of training for minutes.
The model is also placed in `nlu/models/`, where people expect to find it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from bot.config import Settings
from bot.errors import BotError
from bot.nlu.file_lock import file_lock
from bot.nlu.process import child_env, run_visible
from bot.nlu.project_hash import nlu_project_hash
from bot.nlu.rasa_env import RasaEnv, ensure_rasa_env, rasa_env_vars
from bot.nlu.training_data import prepare_training_data

_OUR_MODEL = re.compile(r"^nlu-[0-9a-f]{16}\.tar\.gz$")
CACHED_MODELS = 5

log = logging.getLogger(__name__)


class ModelTrainingError(BotError):
    """The NLU model could not be trained."""


def model_name(project_hash: str) -> str:
    """Name the model (file name without `.tar.gz`) trained for `project_hash`."""
    return f"nlu-{project_hash}"


def cached_model(settings: Settings, project_hash: str) -> Path:
    """Locate the model of `project_hash` in the cache outside the clone."""
    return settings.cache_dir.expanduser() / "models" / f"{model_name(project_hash)}.tar.gz"


def _place(source: Path, target: Path) -> None:
    """Put `source` at `target` atomically: a hard link when possible, else a copy."""
    if target.exists() and target.stat().st_size == source.stat().st_size:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        os.link(source, partial)
    except OSError:  # another filesystem, or links not allowed
        shutil.copyfile(source, partial)
    os.replace(partial, target)


def _prune_cache(cache_models: Path, keep: int = CACHED_MODELS) -> None:
    # The cache serves several clones and branches, so it keeps a few recent models,
    # not just the current one; each is tens of megabytes.
    models = sorted(
        (p for p in cache_models.glob("nlu-*.tar.gz") if _OUR_MODEL.match(p.name)),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in models[keep:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _prune_models(models_dir: Path, keep: Path) -> None:
    # Only our own nlu-<hash> files: anything else in nlu/models/ belongs to someone.
    for old in models_dir.glob("nlu-*.tar.gz"):
        if old != keep and _OUR_MODEL.match(old.name):
            with contextlib.suppress(OSError):
                old.unlink()


async def _train(settings: Settings, env: RasaEnv, project_hash: str, target: Path) -> None:
    nlu_dir = settings.nlu_dir.resolve()
    work_root = settings.cache_dir.expanduser() / "work"
    work_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"train-{project_hash}-", dir=work_root) as tmp:
        work = Path(tmp)
        prepare_training_data(nlu_dir, work / "data")
        argv = [
            str(env.rasa),
            "train",
            "nlu",
            "--config",
            str(nlu_dir / "config.yml"),
            "--domain",
            str(nlu_dir / "domain.yml"),
            "--nlu",
            str(work / "data"),
            "--out",
            str(work / "out"),
            "--fixed-model-name",
            model_name(project_hash),
        ]
        log.info("training the NLU model %s (a few minutes)...", model_name(project_hash))
        # cwd is the scratch folder: Rasa writes its .rasa/ training cache there.
        code = await run_visible(argv, cwd=work, env=child_env(rasa_env_vars()))
        trained = work / "out" / target.name
        if code != 0 or not trained.is_file():
            raise ModelTrainingError(
                f"`rasa train nlu` failed (exit code {code}); Rasa's output above says why"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(trained, target.with_name(f".{target.name}.partial"))
        os.replace(target.with_name(f".{target.name}.partial"), target)
    log.info("trained %s", target)


async def ensure_model(settings: Settings, env: RasaEnv | None = None) -> Path:
    """Return the model for the current content of NLU_DIR, training it first if needed.

    Args:
        settings: gives NLU_DIR, CACHE_DIR and the Rasa virtualenv.
        env: the Rasa virtualenv when the caller has it; created only if training is due.

    Returns:
        The model in NLU_DIR/models/ (a hard link to, or copy of, the cached one).

    Raises:
        ModelTrainingError: the project is incomplete or training failed.
        RasaSetupError: training is due and the Rasa virtualenv cannot be created.

    """
    # Absolute: the model path is handed to Rasa, which runs in another working folder.
    nlu_dir = settings.nlu_dir.resolve()
    for required in ("config.yml", "domain.yml"):
        if not (nlu_dir / required).is_file():
            raise ModelTrainingError(f"{nlu_dir / required} is missing: no Rasa project there")
    project_hash = nlu_project_hash(nlu_dir)
    cached = cached_model(settings, project_hash)
    placed = nlu_dir / "models" / cached.name
    if not cached.is_file():
        async with file_lock(cached.parent.parent / "locks" / f"{cached.name}.lock"):
            if cached.is_file():
                log.info("model %s was trained meanwhile by another process", cached.name)
            elif placed.is_file():  # trained by an older clone of the tooling: keep it
                _place(placed, cached)
            else:
                await _train(settings, env or await ensure_rasa_env(settings), project_hash, cached)
    else:
        log.info("NLU model up to date: %s", cached.name)
    os.utime(cached)  # recently used: the last to be pruned
    _place(cached, placed)
    _prune_models(placed.parent, keep=placed)
    _prune_cache(cached.parent)
    return placed
