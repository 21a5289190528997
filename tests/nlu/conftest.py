"""NLU fixtures: an httpx client, the Rasa client as the bot builds it, a clock.

`nlu_settings` and the session's real Rasa server (`rasa`) live in tests/conftest.py,
shared with the conversation tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.config import Settings
from bot.nlu.client import RasaClient
from bot.nlu.server import RasaServer
from bot.nlu.vocabulary import load_vocabulary
from tests.fakes.clock import Clock


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


@pytest.fixture
def rasa_client(rasa: RasaServer, http: httpx.AsyncClient, nlu_settings: Settings) -> RasaClient:
    """The client as the bot builds it: with the vocabulary guard of the real project."""
    return RasaClient(
        [rasa.url],
        rasa.token,
        http,
        timeout_seconds=10.0,
        vocabulary=load_vocabulary(nlu_settings.nlu_dir),
    )


@pytest.fixture
def clock() -> Clock:
    """A monotonic clock for the breaker and the client, moved by hand."""
    return Clock(1000.0)
