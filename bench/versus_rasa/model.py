"""Training the full-stack model once per content hash, in the bot's model cache.

The model is CACHE_DIR/models/versus-<hash>.tar.gz and the generated project stays in
CACHE_DIR/versus/<hash>/ for inspection; both outside the clone. Training is file-locked
like the NLU model's, so two runs never train the same project twice.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

from bench.versus_rasa.project import write_project
from bot.config import Settings
from bot.errors import BotError
from bot.nlu.file_lock import file_lock
from bot.nlu.process import child_env, run_visible
from bot.nlu.rasa_env import RasaEnv, rasa_env_vars

KEPT_MODELS = 2

log = logging.getLogger(__name__)


class StackTrainingError(BotError):
    """`rasa train` of the full-stack project failed."""


def model_name(project_hash: str) -> str:
    """Name of the full-stack model of `project_hash` (file name without `.tar.gz`)."""
    return f"versus-{project_hash}"


async def _train(env: RasaEnv, project: Path, name: str, target: Path) -> None:
    argv = [
        str(env.rasa),
        "train",
        "--config",
        str(project / "config.yml"),
        "--domain",
        str(project / "domain.yml"),
        "--data",
        str(project / "data"),
        "--out",
        str(project.parent / "out"),
        "--fixed-model-name",
        name,
    ]
    log.info("training the full-stack Rasa model %s (NLU and rules; a few minutes)...", name)
    # cwd is the scratch folder: Rasa writes its .rasa/ training cache there.
    code = await run_visible(argv, cwd=project.parent, env=child_env(rasa_env_vars()))
    trained = project.parent / "out" / target.name
    if code != 0 or not trained.is_file():
        raise StackTrainingError(f"`rasa train` failed (exit code {code}); see its output above")
    partial = target.with_name(f".{target.name}.partial")
    shutil.move(trained, partial)
    os.replace(partial, target)
    log.info("trained %s", target)


def _keep_project(project: Path, kept: Path) -> None:
    if not kept.is_dir():
        kept.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(project, kept)


def _prune(cache: Path) -> None:
    # Only this benchmark's own models; the NLU models are pruned by bot.nlu.training.
    models = cache / "models"
    ours = sorted(models.glob("versus-*.tar.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in ours[KEPT_MODELS:]:
        with contextlib.suppress(OSError):
            old.unlink()
    for project in (cache / "versus").glob("*"):
        if not (models / f"{model_name(project.name)}.tar.gz").exists():
            shutil.rmtree(project, ignore_errors=True)


async def ensure_stack_model(settings: Settings, env: RasaEnv) -> Path:
    """Return the full-stack model for the current nlu/, training it first if needed.

    Raises:
        StackTrainingError: training was due and failed.
        TrainingDataError: nlu/data cannot be read.

    """
    cache = settings.cache_dir.expanduser()
    (cache / "work").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="versus-", dir=cache / "work") as tmp:
        project = Path(tmp) / "project"
        project_hash = write_project(settings.nlu_dir.resolve(), project)
        name = model_name(project_hash)
        target = cache / "models" / f"{name}.tar.gz"
        if not target.is_file():
            async with file_lock(cache / "locks" / f"{name}.lock"):
                if not target.is_file():  # else another run trained it while we waited
                    target.parent.mkdir(parents=True, exist_ok=True)
                    await _train(env, project, name, target)
        else:
            log.info("full-stack model up to date: %s", target.name)
        _keep_project(project, cache / "versus" / project_hash)
    os.utime(target)  # recently used: the last to be pruned
    _prune(cache)
    return target
