"""Running a local Rasa server (`rasa run --enable-api`) for as long as a block runs.

Used by `python -m bot nlu serve`, by the bot's `run` command when RASA_URL is unset,
by `nlu eval` and by the tests. The server binds to 127.0.0.1, requires a token, and is
stopped with its whole process group when the block ends, however it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import shutil
import socket
import tempfile
import time
from collections import deque
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.config import Settings
from bot.errors import BotError
from bot.nlu.process import child_env, start_group, stop_group
from bot.nlu.rasa_env import ensure_rasa_env, rasa_env_vars
from bot.nlu.training import ensure_model

HOST = "127.0.0.1"
_LOG_TAIL_LINES = 40
_POLL_SECONDS = 0.5
_PROGRESS_SECONDS = 15.0
_OUR_POLLING = "No agent loaded"

log = logging.getLogger(__name__)
rasa_log = logging.getLogger("bot.nlu.rasa")


class RasaServerError(BotError):
    """The Rasa server could not be started."""


@dataclass(slots=True)
class RasaServer:
    """A running Rasa server: where it is, its token and its model."""

    url: str
    token: str
    model: Path
    process: asyncio.subprocess.Process
    output: deque[str] = field(default_factory=lambda: deque(maxlen=_LOG_TAIL_LINES))

    @property
    def pid(self) -> int:
        """Process id (and process group id) of the server."""
        return self.process.pid

    def log_tail(self) -> str:
        """Return the last lines the server printed."""
        return "\n".join(self.output)


def free_port() -> int:
    """Pick a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _check_port_free(port: int) -> None:
    # Without this, a server already on the port would answer our readiness probe and
    # be taken for the one we started.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError as exc:
            raise RasaServerError(
                f"port {port} on {HOST} is already in use ({exc.strerror}); is a Rasa server "
                "running there? Point RASA_URL at it, or choose another port."
            ) from exc


async def _pump_output(server: RasaServer) -> None:
    stream = server.process.stdout
    if stream is None:
        return
    # The pipe must be drained for the whole life of the server, or Rasa blocks on a
    # full pipe: an over-long line is skipped, never allowed to end the loop.
    while True:
        try:
            raw = await stream.readline()
        except ValueError:
            continue
        if not raw:
            return
        line = raw.decode(errors="replace").rstrip()
        if _OUR_POLLING in line:
            # Rasa logs our own readiness probes as errors; they would bury its real lines.
            rasa_log.debug("%s", line)
        elif line:
            server.output.append(line)
            rasa_log.info("%s", line)


async def _model_loaded(http: httpx.AsyncClient, server: RasaServer) -> bool:
    try:
        response = await http.get(f"{server.url}/status", params={"token": server.token})
    except httpx.HTTPError:
        return False
    # 409 means "up, but the model is still loading".
    return response.status_code == httpx.codes.OK


async def _wait_until_ready(server: RasaServer, limit_seconds: float) -> None:
    started = time.monotonic()
    next_progress = started + _PROGRESS_SECONDS
    async with httpx.AsyncClient(timeout=httpx.Timeout(2.0)) as http:
        while not await _model_loaded(http, server):
            now = time.monotonic()
            if server.process.returncode is not None:
                raise RasaServerError(
                    f"the Rasa server exited with code {server.process.returncode} before "
                    f"it was ready; its last lines:\n{server.log_tail()}"
                )
            if now - started > limit_seconds:
                raise RasaServerError(
                    f"the Rasa server did not load its model within {limit_seconds:.0f} s; "
                    f"its last lines:\n{server.log_tail()}"
                )
            if now >= next_progress:
                log.info("still waiting for Rasa to load its model (%.0f s)...", now - started)
                next_progress = now + _PROGRESS_SECONDS
            await asyncio.sleep(_POLL_SECONDS)
    log.info("Rasa server ready at %s (%.1f s)", server.url, time.monotonic() - started)


@asynccontextmanager
async def rasa_server(
    settings: Settings,
    *,
    port: int | None = None,
    token: str | None = None,
    startup_timeout: float = 300.0,
    model: Path | None = None,
    extra_args: Sequence[str] = (),
) -> AsyncIterator[RasaServer]:
    """Run a Rasa server on the current model of NLU_DIR for the duration of the block.

    The model is trained first if `nlu/` changed, and the Rasa virtualenv created first
    if it is missing; both show their progress. `port` None means RASA_PORT, 0 any free
    port; `token` None means RASA_TOKEN or a random one; `model` is a model trained
    elsewhere (None: NLU_DIR's); `extra_args` are more `rasa run` options with absolute
    paths (the server runs in a scratch folder).

    Yields:
        The running server; give its `url` and `token` to the `RasaClient`.

    Raises:
        RasaServerError: the port is taken, or the server died or hung while starting.
        ModelTrainingError: training was due and failed.
        RasaSetupError: the Rasa virtualenv cannot be created.

    """
    chosen_port = (settings.rasa_port if port is None else port) or free_port()
    _check_port_free(chosen_port)  # fail before minutes of setup, not after
    env = await ensure_rasa_env(settings)
    model = model or await ensure_model(settings, env)
    _check_port_free(chosen_port)
    token = _token(settings) if token is None else token
    work_root = settings.cache_dir.expanduser() / "work"
    work_root.mkdir(parents=True, exist_ok=True)
    # Rasa may write files in its working folder: keep them out of the clone.
    work = Path(tempfile.mkdtemp(prefix="serve-", dir=work_root))
    log.info("starting the Rasa server on %s:%d with %s...", HOST, chosen_port, model.name)
    argv = [*_serve_argv(env.rasa, chosen_port, model, token), *extra_args]
    process = await start_group(argv, cwd=work, env=child_env(rasa_env_vars()), capture=True)
    server = RasaServer(f"http://{HOST}:{chosen_port}", token, model, process)
    pump = asyncio.create_task(_pump_output(server), name="rasa-output")
    try:
        await _wait_until_ready(server, startup_timeout)
        yield server
    finally:
        await _stop(server, pump)
        shutil.rmtree(work, ignore_errors=True)


def _token(settings: Settings) -> str:
    """RASA_TOKEN, or a random token for this run."""
    configured = settings.rasa_token
    return configured.get_secret_value() if configured else secrets.token_urlsafe(24)


def _serve_argv(rasa: Path, port: int, model: Path, token: str) -> list[str]:
    return [
        str(rasa),
        "run",
        "--enable-api",
        "--interface",
        HOST,
        "--port",
        str(port),
        "--model",
        str(model),
        # One argument: a token starting with "-" (token_urlsafe gives one in 64) would
        # otherwise be read as an option, and Rasa would refuse to start.
        f"--auth-token={token}",
    ]


async def _stop(server: RasaServer, pump: asyncio.Task[None]) -> None:
    log.info("stopping the Rasa server (pid %d)", server.process.pid)
    await asyncio.shield(stop_group(server.process))
    # With the whole group gone the pipe reaches its end; reading it to the end
    # closes it cleanly (no unclosed-transport warning).
    try:
        await asyncio.wait_for(pump, 5.0)
    except TimeoutError:
        pump.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pump
