"""Short answers mean what the bot's last message asked.

A policy reply may say what "yes" and "no" mean next (`yes: /request_trial`); the
customer's next affirm or deny is then read as that payload, for one turn only.
"""

from __future__ import annotations

from typing import Any

from bot.nlu.intents import KNOWN_INTENTS
from bot.nlu.parse import Parse
from bot.payload import parse_payload

MEANINGS = {"affirm": "yes", "deny": "no"}


def expectation(yes: str | None, no: str | None) -> dict[str, str] | None:
    """What the state keeps for a reply's meanings, or None when it gives none."""
    meant = {key: value for key, value in (("yes", yes), ("no", no)) if value}
    return meant or None


def reinterpret(parse: Parse, expects: Any) -> Parse:
    """The parse an affirm or deny stands for after a reply that gave it a meaning."""
    answer = MEANINGS.get(parse.intent)
    if answer is None or not isinstance(expects, dict):
        return parse
    payload = expects.get(answer)
    if not isinstance(payload, str):
        return parse
    return parse_payload(payload, KNOWN_INTENTS)
