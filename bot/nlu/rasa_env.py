"""The Rasa virtualenv: Python 3.10 with `rasa==3.6.21`, in a cache folder outside the clone.

Rasa 3.6 needs Python 3.10 and pins libraries that clash with the bot's own, so it lives
in its own virtualenv. Creating it takes minutes, so it is made once per machine and
found again by every clone.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.errors import BotError
from bot.nlu.file_lock import file_lock
from bot.nlu.process import child_env, run_visible

RASA_VERSION = "3.6.21"
_VERSION_CHECK = "import importlib.metadata as m; print(m.version('rasa'))"
_PYTHON_CHECK = "import sys; print('%d.%d' % sys.version_info[:2])"

log = logging.getLogger(__name__)


class RasaSetupError(BotError):
    """The Rasa virtualenv is missing and cannot be created."""


@dataclass(frozen=True, slots=True)
class RasaEnv:
    """A ready Rasa virtualenv."""

    venv: Path

    @property
    def rasa(self) -> Path:
        """Path of the `rasa` command of the virtualenv."""
        return self.venv / "bin" / "rasa"

    @property
    def python(self) -> Path:
        """Path of the virtualenv's Python 3.10."""
        return self.venv / "bin" / "python"


def venv_dir(settings: Settings) -> Path:
    """Locate the Rasa virtualenv (existing or not): RASA_VENV, else CACHE_DIR/rasa-<version>."""
    return (settings.rasa_venv or settings.cache_dir / f"rasa-{RASA_VERSION}").expanduser()


def rasa_env_vars() -> dict[str, str]:
    """Return variables for every Rasa command: no telemetry, quieter TensorFlow."""
    return {
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONUNBUFFERED": "1",
    }


async def _output_of(argv: list[str]) -> str | None:
    """Run a quick command; return its stdout, or None if it cannot run or fails."""
    try:
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
    except OSError:
        return None
    stdout, _ = await process.communicate()
    return stdout.decode(errors="replace").strip() if process.returncode == 0 else None


async def _is_ready(venv: Path) -> bool:
    rasa = RasaEnv(venv)
    if not rasa.rasa.is_file():
        return False
    return await _output_of([str(rasa.python), "-c", _VERSION_CHECK]) == RASA_VERSION


async def find_python310(settings: Settings) -> Path:
    """Find Python 3.10: RASA_PYTHON, else `python3.10` on PATH or under pyenv.

    Raises:
        RasaSetupError: none of them is a working Python 3.10.

    """
    if settings.rasa_python is not None:
        candidates = [settings.rasa_python.expanduser()]
    else:
        on_path = shutil.which("python3.10")
        pyenv = sorted((Path.home() / ".pyenv" / "versions").glob("3.10*/bin/python"))
        candidates = [Path(p) for p in (on_path, *reversed(pyenv)) if p is not None]
        candidates += [Path("/usr/local/bin/python3.10"), Path("/usr/bin/python3.10")]
    for candidate in candidates:
        if await _output_of([str(candidate), "-c", _PYTHON_CHECK]) == "3.10":
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise RasaSetupError(
        f"Rasa {RASA_VERSION} needs Python 3.10, and none was found (tried {tried}). "
        "Install it (e.g. `pyenv install 3.10`) or set RASA_PYTHON to its path."
    )


async def _create(venv: Path, settings: Settings) -> None:
    python = await find_python310(settings)
    log.info("creating Rasa virtualenv in %s (about 3 minutes, 2.7 GB)...", venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    env = child_env({"PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    pip = str(venv / "bin" / "pip")
    steps: list[tuple[str, list[str]]] = [
        ("create the virtualenv", [str(python), "-m", "venv", str(venv)]),
        ("upgrade pip", [pip, "install", "--upgrade", "pip"]),
        (f"install rasa=={RASA_VERSION}", [pip, "install", f"rasa=={RASA_VERSION}"]),
    ]
    for what, argv in steps:
        log.info("Rasa virtualenv: %s...", what)
        code = await run_visible(argv, cwd=venv.parent, env=env)
        if code != 0:
            raise RasaSetupError(
                f"could not {what} in {venv} (exit code {code}); see the output above. "
                "Running the same command again resumes the installation."
            )
    if not await _is_ready(venv):
        raise RasaSetupError(f"{venv} was created but `rasa` {RASA_VERSION} does not run in it")
    log.info("Rasa virtualenv ready: %s", venv)


async def ensure_rasa_env(settings: Settings) -> RasaEnv:
    """Return the Rasa virtualenv, creating it first if it is missing or broken.

    Raises:
        RasaSetupError: Python 3.10 is missing or the installation failed.

    """
    venv = venv_dir(settings)
    if await _is_ready(venv):
        return RasaEnv(venv)
    async with file_lock(settings.cache_dir.expanduser() / "locks" / f"{venv.name}.lock"):
        if await _is_ready(venv):  # another process created it while we waited
            return RasaEnv(venv)
        if venv.exists() and await _output_of([str(RasaEnv(venv).python), "-V"]) is None:
            log.warning("removing the broken Rasa virtualenv %s", venv)
            shutil.rmtree(venv)
        await _create(venv, settings)
    return RasaEnv(venv)
