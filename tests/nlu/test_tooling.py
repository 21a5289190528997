"""The tooling around Rasa that needs no Rasa: processes, model cache, setup errors."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.nlu.process import child_env, run_visible, start_group, stop_group
from bot.nlu.project_hash import nlu_project_hash
from bot.nlu.rasa_env import RasaSetupError, ensure_rasa_env, find_python310
from bot.nlu.server import RasaServerError, rasa_server
from bot.nlu.training import CACHED_MODELS, ModelTrainingError, cached_model, ensure_model


def settings_for(tmp_path: Path, **values: Any) -> Settings:
    defaults: dict[str, Any] = {"nlu_dir": tmp_path / "nlu", "cache_dir": tmp_path / "cache"}
    return Settings(_env_file=None, **{**defaults, **values})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    nlu_dir = tmp_path / "nlu"
    (nlu_dir / "data").mkdir(parents=True)
    (nlu_dir / "config.yml").write_text("pipeline: []\n")
    (nlu_dir / "domain.yml").write_text("intents: [greet]\n")
    (nlu_dir / "data" / "nlu.yml").write_text("nlu: []\n")
    return nlu_dir


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_run_visible_returns_the_exit_code(tmp_path: Path) -> None:
    assert await run_visible(["sh", "-c", "exit 3"], cwd=tmp_path, env=child_env({})) == 3


async def test_cancelling_run_visible_stops_the_whole_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    script = f"sleep 60 & echo $! > {pid_file}; wait"
    task = asyncio.create_task(run_visible(["sh", "-c", script], cwd=tmp_path, env=child_env({})))
    for _ in range(100):
        if pid_file.exists() and pid_file.read_text().strip():
            break
        await asyncio.sleep(0.02)
    grandchild = int(pid_file.read_text())
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(100):  # reaped by init shortly after the kill
        if not alive(grandchild):
            break
        await asyncio.sleep(0.02)
    assert not alive(grandchild)


async def test_stop_group_kills_what_ignores_sigterm(tmp_path: Path) -> None:
    process = await start_group(
        ["sh", "-c", "trap '' TERM; echo ready; sleep 60"],
        cwd=tmp_path,
        env=child_env({}),
        capture=True,
    )
    assert process.stdout is not None
    assert await process.stdout.readline() == b"ready\n"
    started = time.monotonic()
    await stop_group(process, grace_seconds=0.3)
    assert process.returncode is not None
    assert time.monotonic() - started < 5


async def test_cached_model_is_reused_without_training(project: Path, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, rasa_venv=tmp_path / "no-venv")
    cached = cached_model(settings, nlu_project_hash(project))
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"model")
    stale = project / "models" / "nlu-0123456789abcdef.tar.gz"
    stale.parent.mkdir()
    stale.write_bytes(b"old model")
    (project / "models" / "theirs.tar.gz").write_bytes(b"someone else's")

    placed = await ensure_model(settings)

    assert placed == project / "models" / cached.name
    assert placed.read_bytes() == b"model"
    assert not stale.exists()
    assert (project / "models" / "theirs.tar.gz").exists()
    assert not (tmp_path / "no-venv").exists()  # nothing was set up or trained


async def test_model_in_the_clone_seeds_the_cache(project: Path, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, rasa_venv=tmp_path / "no-venv")
    name = cached_model(settings, nlu_project_hash(project)).name
    (project / "models").mkdir()
    (project / "models" / name).write_bytes(b"model")
    await ensure_model(settings)
    assert cached_model(settings, nlu_project_hash(project)).read_bytes() == b"model"


async def test_missing_project_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelTrainingError, match=r"config\.yml is missing"):
        await ensure_model(settings_for(tmp_path))


async def test_missing_python_is_a_clear_error(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path, rasa_python=tmp_path / "python3.10", rasa_venv=tmp_path / "venv"
    )
    with pytest.raises(RasaSetupError, match=r"needs Python 3\.10.*RASA_PYTHON"):
        await find_python310(settings)
    with pytest.raises(RasaSetupError):
        await ensure_rasa_env(settings)
    assert not (tmp_path / "venv").exists()


async def test_port_in_use_is_refused_before_any_setup(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(RasaServerError, match=f"port {port} .* already in use"):
            async with rasa_server(settings_for(tmp_path), port=port):
                pass


async def test_model_path_is_absolute_for_a_relative_project(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rasa runs in its own working folder: a relative model path would load no model.
    monkeypatch.chdir(tmp_path)
    settings = settings_for(tmp_path, nlu_dir=Path("nlu"))
    cached = cached_model(settings, nlu_project_hash(project))
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"model")
    placed = await ensure_model(settings)
    assert placed.is_absolute()
    assert placed == project / "models" / cached.name


async def test_cache_keeps_the_most_recent_models(project: Path, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    current = cached_model(settings, nlu_project_hash(project))
    current.parent.mkdir(parents=True)
    current.write_bytes(b"model")
    os.utime(current, (1, 1))  # the oldest file, but the one in use
    others = [current.with_name(f"nlu-{n:016x}.tar.gz") for n in range(CACHED_MODELS + 2)]
    for age, other in enumerate(others):
        other.write_bytes(b"older model")
        os.utime(other, (1000 - age, 1000 - age))
    await ensure_model(settings)
    kept = sorted(p.name for p in current.parent.iterdir())
    assert kept == sorted([current.name] + [o.name for o in others[: CACHED_MODELS - 1]])
