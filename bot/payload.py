"""Button payloads: `/intent` or `/intent{"key": value}` skip NLU."""

from __future__ import annotations

import re
from collections.abc import Set

from bot import safe_json
from bot.nlu.parse import FALLBACK_INTENT, Entity, Parse

_PAYLOAD = re.compile(r"/(?P<intent>[A-Za-z_][\w]*)(?P<entities>\{.*\})?", re.DOTALL)


def is_payload(text: str) -> bool:
    """Whether `text` is a payload rather than free text for the NLU."""
    return text.startswith("/")


def parse_payload(text: str, known_intents: Set[str]) -> Parse:
    """Understand a payload without NLU.

    A payload is the customer's message, never an API error: an unknown intent or a
    malformed `{...}` part yields `nlu_fallback` so the policy answers with its fallback.
    The `{...}` part is one flat object of finite numbers, strings and booleans
    (`bot/safe_json.py`): `{"score": 1e999}` or a nested one is malformed.
    """
    match = _PAYLOAD.fullmatch(text.strip())
    if match is None or match.group("intent") not in known_intents:
        return Parse(FALLBACK_INTENT, 1.0)
    entities: list[Entity] = []
    if match.group("entities"):
        try:
            values = safe_json.loads(match.group("entities"), max_depth=1)
        except ValueError:
            return Parse(FALLBACK_INTENT, 1.0)
        if not isinstance(values, dict):
            return Parse(FALLBACK_INTENT, 1.0)
        for key, value in values.items():
            if not _is_scalar(value):
                return Parse(FALLBACK_INTENT, 1.0)
            entities.append(Entity(str(key), value))
    intent = match.group("intent")
    return Parse(intent, 1.0, tuple(entities), ((intent, 1.0),))


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float | bool)
