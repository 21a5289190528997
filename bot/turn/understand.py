"""The understand step: a button's payload, or the NLU's reading of free text."""

from __future__ import annotations

from bot.errors import NluUnavailable
from bot.nlu import Nlu
from bot.nlu.intents import KNOWN_INTENTS
from bot.nlu.parse import Parse
from bot.payload import is_payload, parse_payload


async def understand(nlu: Nlu | None, text: str) -> Parse | None:
    """The parse of `text`, or None when free text cannot be understood (NLU down)."""
    if is_payload(text):
        return parse_payload(text, KNOWN_INTENTS)
    if nlu is None:
        return None
    try:
        return await nlu.parse(text)
    except NluUnavailable:
        return None
