"""The generic fallback's texts as one customer would get them, to recognise them in replies."""

from __future__ import annotations

from typing import Any

from bot.errors import BotError
from bot.lifecycle import Locale
from bot.policies.render import Renderer
from bot.policies.schema import ActionCallBase, PolicySet
from bot.policies.texts import LocalizedText


def fallback_texts(
    policies: PolicySet, locale: Locale, user: dict[str, Any], renderer: Renderer
) -> frozenset[str]:
    """The `reply` texts of every fallback (common, per stage) and of `nlu_unavailable`."""
    calls: list[ActionCallBase] = [*policies.common.fallback, *policies.common.nlu_unavailable]
    for policy in policies.stages.values():
        calls += policy.fallback or []
    context = {
        "profile": user.get("profile") or {},
        "stage": user.get("stage"),
        "locale": locale,
        "catalog": policies.catalog.view(locale),
    }
    texts = set()
    for call in calls:
        text = getattr(call.args, "text", None)
        if call.name == "reply" and isinstance(text, LocalizedText):
            try:
                texts.add(renderer.render(text.source(locale), context))
            except BotError:  # a text needing more than these variables cannot be matched
                continue
    return frozenset(texts)
