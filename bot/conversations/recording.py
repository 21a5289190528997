"""The NLU the bot under test uses, remembering what it read of each text."""

from __future__ import annotations

from typing import Any

from bot.nlu import Nlu
from bot.nlu.intents import KNOWN_INTENTS
from bot.nlu.parse import Parse
from bot.payload import is_payload, parse_payload


class RecordingNlu:
    """Wraps the real NLU: every parse goes through unchanged and is kept by its text."""

    def __init__(self, nlu: Nlu) -> None:
        self._nlu = nlu
        self._parses: dict[str, Parse] = {}

    async def parse(self, text: str) -> Parse:
        """Parse with the real NLU, and remember the result."""
        parse = await self._nlu.parse(text)
        self._parses[text] = parse
        return parse

    def health(self) -> dict[str, Any]:
        """The real NLU's health."""
        return self._nlu.health()

    def read(self, message: str) -> Parse | None:
        """What the NLU read of `message`, if it was asked."""
        return self._parses.get(message.strip(), self._parses.get(message))


def understood(message: str, nlu: RecordingNlu | None) -> Parse | None:
    """What the bot understood of `message`: a button payload needs no NLU."""
    if is_payload(message.strip()):
        return parse_payload(message.strip(), KNOWN_INTENTS)
    return nlu.read(message) if nlu is not None else None
