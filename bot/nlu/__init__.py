"""Natural-language understanding through a Rasa server."""

from __future__ import annotations

from typing import Any, Protocol

from bot.errors import NluUnavailable
from bot.nlu.client import RasaClient
from bot.nlu.parse import Entity, Parse


class Nlu(Protocol):
    """What the turn engine needs of the NLU."""

    async def parse(self, text: str) -> Parse:
        """Understand `text`; raises `NluUnavailable` when no server can answer."""
        ...

    def health(self) -> dict[str, Any]:
        """State for `/healthz`: `{"state": "up" | "down" | ..., ...}`."""
        ...


__all__ = ["Entity", "Nlu", "NluUnavailable", "Parse", "RasaClient"]
