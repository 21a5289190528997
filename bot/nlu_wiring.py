"""Which NLU the bot runs with: the Rasa server at RASA_URL, or one started here."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx

from bot.config import Settings
from bot.errors import BotError
from bot.nlu import Nlu, RasaClient
from bot.nlu.server import rasa_server

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
            except BotError as exc:
                log.error("the local Rasa server did not start (%s); running in degraded mode", exc)
                client = RasaClient.from_settings(
                    settings, http, urls=[f"http://127.0.0.1:{settings.rasa_port}"]
                )
        await client.check()
        yield client


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
