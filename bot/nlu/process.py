"""Child processes (pip, `rasa train`, `rasa run`), each in its own process group.

A process group lets one signal stop the child and anything it spawned, and keeps a
terminal's Ctrl-C away from the child so the parent decides how it stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

_PR_SET_PDEATHSIG = 1
_STDERR_FD = 2


def child_env(extra: Mapping[str, str]) -> dict[str, str]:
    """Build a child's environment: ours (PATH, HOME...) plus `extra`."""
    return {**os.environ, **extra}


def _parent_death_signal() -> Callable[[], None] | None:
    # If the parent is killed outright (SIGKILL, OOM), Linux still stops the child, so no
    # orphaned Rasa keeps holding a port. libc is loaded here, before the fork.
    if not sys.platform.startswith("linux"):
        return None
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return None
    libc = ctypes.CDLL(libc_name, use_errno=True)

    def set_signal() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)

    return set_signal


async def start_group(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    capture: bool,
) -> asyncio.subprocess.Process:
    """Start `argv` as the leader of a new process group.

    Args:
        argv: the program and its arguments.
        cwd: its working folder.
        env: its whole environment.
        capture: True pipes stdout and stderr (merged) to the caller; False lets the
            child write to our stderr so its progress is visible as it comes while our
            stdout stays clean for results (`nlu eval` prints JSON there).

    """
    return await asyncio.create_subprocess_exec(
        *argv,
        cwd=cwd,
        env=dict(env),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE if capture else _STDERR_FD,
        stderr=asyncio.subprocess.STDOUT if capture else None,
        start_new_session=True,
        preexec_fn=_parent_death_signal(),
    )


def _signal_group(pgid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)


async def stop_group(process: asyncio.subprocess.Process, grace_seconds: float = 10.0) -> None:
    """Stop the process group led by `process`: SIGTERM, then SIGKILL after the grace time."""
    if process.returncode is None:
        _signal_group(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), grace_seconds)
        except TimeoutError:
            _signal_group(process.pid, signal.SIGKILL)
            await process.wait()
    # Members that outlived the leader (workers, grandchildren) go too.
    _signal_group(process.pid, signal.SIGKILL)


async def run_visible(argv: Sequence[str], *, cwd: Path, env: Mapping[str, str]) -> int:
    """Run `argv` to completion with its output on our terminal; returns its exit code.

    If the caller is cancelled (Ctrl-C), the child's whole group is stopped first.
    """
    process = await start_group(argv, cwd=cwd, env=env, capture=False)
    try:
        return await process.wait()
    except BaseException:
        await asyncio.shield(stop_group(process))
        raise
