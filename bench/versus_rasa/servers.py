"""The servers under test: Rasa's full stack, the bot as its own process, Rasa's bare parse.

Each is a context manager that stops its process group and removes its scratch folder
however the block ends; the Redis keys of a run are deleted by the caller (one prefix
per server).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from bench.common import REDIS_URL, ROOT
from bench.versus_rasa.project import RedisTarget, write_runtime
from bot.config import Settings
from bot.errors import BotError
from bot.nlu.process import child_env, start_group, stop_group
from bot.nlu.server import HOST, RasaServer, free_port, rasa_server

BOT_STARTUP_SECONDS = 60.0
REST_PATH = "/webhooks/rest/webhook"


class BotStartError(BotError):
    """The bot process did not become healthy."""


@asynccontextmanager
async def rasa_full_stack(
    settings: Settings, model: Path, redis: RedisTarget
) -> AsyncIterator[RasaServer]:
    """`rasa run` on the full-stack model: REST channel, Redis tracker and lock stores."""
    work = settings.cache_dir.expanduser() / "work"
    work.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix="versus-run-", dir=work))
    try:
        credentials, endpoints = write_runtime(run_dir, redis)
        extra = ["--credentials", str(credentials), "--endpoints", str(endpoints)]
        async with rasa_server(settings, port=0, model=model, extra_args=extra) as server:
            yield server
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)


def bot_environment(parse: RasaServer, prefix: str, port: int, data_dir: Path) -> dict[str, str]:
    """The bot's settings: local Redis under `prefix`, NLU at `parse` with no parse cache."""
    return child_env(
        {
            "REDIS_URL": REDIS_URL,
            "REDIS_PREFIX": prefix,
            "RASA_URL": parse.url,
            "RASA_TOKEN": parse.token,
            "NLU_CACHE_SIZE": "0",  # every free-text turn reaches Rasa
            "NLU_DIR": str(ROOT / "nlu"),
            "POLICIES_DIR": str(ROOT / "stage_policies"),
            "DATA_DIR": str(data_dir),
            "ADMIN_TOKEN": "bench",
            "TELEGRAM_BOT_TOKEN": "",
            "SUPPORT_CHAT_ID": "",
            "HTTP_HOST": HOST,
            "HTTP_PORT": str(port),
            "LOG_LEVEL": "WARNING",
        }
    )


async def _wait_healthy(url: str, process: asyncio.subprocess.Process) -> None:
    deadline = time.monotonic() + BOT_STARTUP_SECONDS
    async with httpx.AsyncClient(timeout=2.0) as http:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise BotStartError(f"the bot exited with code {process.returncode}")
            try:
                if (await http.get(f"{url}/healthz")).status_code == httpx.codes.OK:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.3)
    raise BotStartError(f"the bot did not answer {url}/healthz within {BOT_STARTUP_SECONDS} s")


@asynccontextmanager
async def bot_process(parse: RasaServer, prefix: str) -> AsyncIterator[str]:
    """`python -m bot run` as a subprocess; yields its base URL.

    It runs in a scratch folder, so a `.env` of the clone does not change what is measured.
    """
    port = free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="versus-bot-"))
    process = await start_group(
        [sys.executable, "-m", "bot", "run"],
        cwd=data_dir,
        env=bot_environment(parse, prefix, port, data_dir),
        capture=False,
    )
    url = f"http://{HOST}:{port}"
    try:
        await _wait_healthy(url, process)
        yield url
    finally:
        await stop_group(process)
        shutil.rmtree(data_dir, ignore_errors=True)
