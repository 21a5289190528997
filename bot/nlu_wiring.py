"""Which NLU the bot runs with: none yet (NLU marked unavailable)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import Settings
from bot.nlu import Nlu


@asynccontextmanager
async def nlu_session(settings: Settings) -> AsyncIterator[Nlu | None]:
    """The NLU client for the settings; None runs the bot in degraded mode."""
    yield None
