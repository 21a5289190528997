"""Which NLU the bot runs with: the Rasa server at RASA_URL, or one started here."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx

from bot.config import Settings
from bot.errors import BotError
from bot.nlu import Nlu, RasaClient
from bot.nlu.server import RasaServer, rasa_server

log = logging.getLogger(__name__)


@asynccontextmanager
async def nlu_session(settings: Settings) -> AsyncIterator[Nlu | None]:
    """The NLU client for the settings, with the local Rasa server it needs, if any.

    A local server that cannot start (no Python 3.10, training failed) does not stop the
    bot: it runs in degraded mode and recovers once a server answers on RASA_PORT.
    None means NLU is switched off (`NLU_ENABLED=false`).
    """
    if not settings.nlu_enabled:
        log.warning("NLU_ENABLED=false: free text gets the degraded reply")
        yield None
        return
    async with AsyncExitStack() as stack:
        http = await stack.enter_async_context(httpx.AsyncClient())
        if settings.rasa_url:
            client = RasaClient.from_settings(settings, http)
        else:
            try:
                server = await stack.enter_async_context(rasa_server(settings))
                client = RasaClient.from_settings(
                    settings, http, urls=[server.url], token=server.token
                )
                stack.callback(_advertise(settings, server).unlink, missing_ok=True)
            except BotError as exc:
                log.error("the local Rasa server did not start (%s); running in degraded mode", exc)
                client = RasaClient.from_settings(
                    settings, http, urls=[f"http://127.0.0.1:{settings.rasa_port}"]
                )
        await client.check()
        yield client


def _advertised(settings: Settings) -> Path:
    return settings.data_dir / "rasa-server.json"


def _advertise(settings: Settings, server: RasaServer) -> Path:
    """Say where this process's Rasa server is, so `bot chat` beside it can use it too."""
    path = _advertised(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the token is a secret
    with os.fdopen(fd, "w") as file:
        json.dump({"url": server.url, "token": server.token}, file)
    return path


def advertised_server(settings: Settings) -> tuple[str, str] | None:
    """`(url, token)` of the Rasa server a running bot started, if it said so."""
    try:
        with open(_advertised(settings)) as file:
            found = json.load(file)
        return str(found["url"]), str(found["token"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


@asynccontextmanager
async def answering_nlu(settings: Settings) -> AsyncIterator[RasaClient]:
    """For tools: the Rasa server at RASA_URL if it answers, else one started for the block.

    Raises:
        BotError: no server answers and none could be started.

    """
    async with httpx.AsyncClient() as http:
        if settings.rasa_url:
            client = RasaClient.from_settings(settings, http)
            if await client.check():
                log.info("using the Rasa server at %s", settings.rasa_url)
                yield client
                return
            log.warning("no answer from %s: starting a Rasa server for this run", settings.rasa_url)
        async with rasa_server(settings, port=0) as server:
            yield RasaClient.from_settings(settings, http, urls=[server.url], token=server.token)
