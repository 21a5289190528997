"""What the bot did not understand, kept in Redis for a person to label.

After each turn the engine calls `MisunderstoodLog.keep(...)`; free text that ended in
the generic fallback, was read as `nlu_fallback` or `out_of_scope`, or whose intent came
with less confidence than NLU_REVIEW_CONFIDENCE is appended to one Redis stream, capped
at the latest NLU_REVIEW_LIMIT messages. `python -m bot nlu review` reads the stream and
removes what a person labelled or ignored.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

from redis.asyncio import Redis

from bot.config import Settings
from bot.lifecycle import Locale, Stage
from bot.nlu.parse import FALLBACK_INTENT, Parse
from bot.payload import is_payload
from bot.store.keys import Keys

OUT_OF_SCOPE = "out_of_scope"
TOP_INTENTS = 3


def why_misunderstood(parse: Parse, *, fallback: bool, threshold: float) -> str | None:
    """Why this parse needs a person's look, or None when the bot understood it.

    Args:
        parse: what the NLU read.
        fallback: whether the policy answered with the generic fallback.
        threshold: NLU_REVIEW_CONFIDENCE.

    """
    if fallback:
        return "fallback"
    if parse.intent in (FALLBACK_INTENT, OUT_OF_SCOPE):
        return parse.intent
    if parse.confidence < threshold:
        return "low_confidence"
    return None


def top_intents(parse: Parse) -> tuple[tuple[str, float], ...]:
    """The three likeliest real intents (Rasa ranks `nlu_fallback` first when unsure)."""
    ranking = [(name, conf) for name, conf in parse.ranking if name != FALLBACK_INTENT]
    if not ranking and parse.intent != FALLBACK_INTENT:
        ranking = [(parse.intent, parse.confidence)]
    return tuple(ranking[:TOP_INTENTS])


@dataclass(frozen=True, slots=True)
class Misunderstood:
    """One kept message: who, where, what they wrote, what the NLU thought, what the bot said."""

    id: str
    user_id: str
    stage: str
    locale: Locale
    text: str
    intent: str
    confidence: float
    top: tuple[tuple[str, float], ...]
    reply: str
    at: float
    why: str

    @property
    def closest(self) -> str:
        """The likeliest real intent, or "" when the NLU had no idea at all."""
        return self.top[0][0] if self.top else ""

    def to_fields(self) -> dict[str, str]:
        """Stream fields."""
        return {
            "user": self.user_id,
            "stage": self.stage,
            "locale": self.locale,
            "text": self.text,
            "intent": self.intent,
            "confidence": repr(self.confidence),
            "top": json.dumps(self.top),
            "reply": self.reply,
            "at": repr(self.at),
            "why": self.why,
        }

    @classmethod
    def from_fields(cls, entry_id: str, fields: dict[str, str]) -> Misunderstood:
        """Inverse of `to_fields`."""
        return cls(
            id=entry_id,
            user_id=fields["user"],
            stage=fields["stage"],
            locale=cast(Locale, fields["locale"]),
            text=fields["text"],
            intent=fields["intent"],
            confidence=float(fields["confidence"]),
            top=tuple((str(n), float(c)) for n, c in json.loads(fields["top"])),
            reply=fields["reply"],
            at=float(fields["at"]),
            why=fields["why"],
        )


class MisunderstoodLog:
    """The review queue: bounded, oldest first."""

    def __init__(self, redis: Redis, keys: Keys, *, threshold: float, limit: int) -> None:
        self._redis = redis
        self._key = keys.misunderstood()
        self._untrained = keys.misunderstood_untrained()
        self._threshold = threshold
        self._limit = limit

    @classmethod
    def from_settings(cls, redis: Redis, settings: Settings) -> MisunderstoodLog:
        """The log configured by NLU_REVIEW_CONFIDENCE, NLU_REVIEW_LIMIT and REDIS_PREFIX."""
        return cls(
            redis,
            Keys(settings.redis_prefix),
            threshold=settings.nlu_review_confidence,
            limit=settings.nlu_review_limit,
        )

    async def keep(
        self,
        *,
        user_id: str,
        stage: Stage,
        locale: Locale,
        text: str,
        parse: Parse,
        replies: Sequence[str],
        now: float,
        fallback: bool = False,
    ) -> str | None:
        """Keep the customer's message if the bot did not understand it.

        Call it after a turn whose free text the NLU parsed (payloads are left out here
        anyway; with the NLU down there is nothing to learn from). `stage` is the stage
        the customer wrote in, `replies` the texts the bot answered with, `fallback`
        whether the generic fallback answered (decision reason `fallback`).

        Returns:
            The kept message's id, or None when it was understood (or was a payload).

        """
        why = why_misunderstood(parse, fallback=fallback, threshold=self._threshold)
        if why is None or is_payload(text) or not text.strip():
            return None
        item = Misunderstood(
            id="",
            user_id=user_id,
            stage=stage.value,
            locale=locale,
            text=text.strip(),
            intent=parse.intent,
            confidence=parse.confidence,
            top=top_intents(parse),
            reply="\n".join(replies),
            at=now,
            why=why,
        )
        entry_id = await self._redis.xadd(
            self._key,
            item.to_fields(),  # type: ignore[arg-type]
            maxlen=self._limit,
            approximate=False,
        )
        return str(entry_id)

    async def items(self) -> list[Misunderstood]:
        """Every kept message, oldest first."""
        # The bot's Redis clients decode responses (bot.store.connection).
        entries = await self._redis.xrange(self._key)
        return [Misunderstood.from_fields(i, f) for i, f in entries]

    async def remove(self, ids: Sequence[str]) -> int:
        """Take reviewed messages out of the queue; returns how many were still there."""
        if not ids:
            return 0
        removed: int = await self._redis.xdel(self._key, *ids)
        return removed

    async def count(self) -> int:
        """How many messages wait for review."""
        length: int = await self._redis.xlen(self._key)
        return length

    async def labelled(self, texts: Sequence[str]) -> None:
        """Note texts that became training examples, until a model is trained on them."""
        if texts:
            await self._redis.sadd(self._untrained, *texts)  # type: ignore[misc]

    async def awaiting_training(self, *, trained: bool) -> int:
        """How many labelled texts the next training adds; none once the model is current."""
        if trained:
            await self._redis.delete(self._untrained)
            return 0
        waiting: int = await self._redis.scard(self._untrained)  # type: ignore[misc]
        return waiting
