"""The NLU of `bot chat`: a running `make run`'s Rasa when one answers, else its own.

Why free text cannot be understood is said, not left to guess: NLU switched off, the
configured server silent, or a local server that did not start.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from bot.config import Settings
from bot.nlu import Nlu, RasaClient
from bot.nlu_wiring import advertised_server, nlu_session


@asynccontextmanager
async def chat_nlu(settings: Settings) -> AsyncIterator[tuple[Nlu | None, str]]:
    """`(nlu, why)`: `why` is empty when the NLU answers, else the reason it does not."""
    if not settings.nlu_enabled:
        yield None, "NLU_ENABLED=false in the settings"
        return
    running = advertised_server(settings)
    if running is not None and not settings.rasa_url:
        async with httpx.AsyncClient() as http:
            client = RasaClient.from_settings(settings, http, urls=[running[0]], token=running[1])
            if await client.check():
                print(f"[using the Rasa server of the running bot at {running[0]}]")
                yield client, ""
                return
    async with nlu_session(settings) as nlu:
        if nlu is None:
            yield None, "NLU is switched off"
        elif isinstance(nlu, RasaClient) and await nlu.check():
            yield nlu, ""
        elif settings.rasa_url:
            yield nlu, f"no Rasa server answers at RASA_URL={settings.rasa_url}"
        else:
            yield (
                nlu,
                "the local Rasa server did not start (see the log above); `make run` it first",
            )
