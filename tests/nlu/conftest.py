"""NLU fixtures: settings for the real `nlu/` project and a real Rasa server per session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from bot.nlu.client import RasaClient
from bot.nlu.server import RasaServer, rasa_server
from bot.nlu.vocabulary import load_vocabulary
from tests.fakes.clock import Clock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def nlu_settings() -> Settings:
    # The real project; CACHE_DIR keeps its default, so the Rasa virtualenv and the models
    # trained on this machine are reused across runs and clones.
    return Settings(
        _env_file=None,
        nlu_dir=ROOT / "nlu",
        rasa_url=None,
        rasa_token=None,
    )


@pytest.fixture(scope="session")
async def rasa(nlu_settings: Settings) -> AsyncIterator[RasaServer]:
    """A real Rasa server on a free port, trained from `nlu/` if that model is new."""
    # Generous: on a fresh machine this includes creating the virtualenv and training.
    async with rasa_server(nlu_settings, port=0, startup_timeout=600) as server:
        yield server


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
