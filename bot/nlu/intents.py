"""The fixed intent set of `nlu/domain.yml`; other parts of the product rely on these names."""

from pathlib import Path

import yaml

from bot.nlu.parse import FALLBACK_INTENT

INTENTS: frozenset[str] = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "ask_product_info",
        "ask_price",
        "compare_plans",
        "request_trial",
        "request_discount",
        "purchase",
        "onboarding_help",
        "report_problem",
        "give_feedback",
        "ask_referral",
        "request_human",
        "stop_messages",
        "cancel_service",
        "out_of_scope",
    }
)

BUTTON_INTENTS: frozenset[str] = frozenset(
    {"step_done", "step_next", "nps", "csat", "resume_messages"}
)
"""Intents only buttons send (`/nps{"score": 9}`); the NLU never predicts them."""

KNOWN_INTENTS: frozenset[str] = INTENTS | {FALLBACK_INTENT} | BUTTON_INTENTS


def domain_intents(nlu_dir: Path) -> frozenset[str]:
    """The intents a policy may name: those of `nlu_dir/domain.yml`, plus the button ones.

    Falls back to the built-in set when the Rasa project is not there (a deployed bot
    that only talks to a remote Rasa).
    """
    try:
        domain = yaml.safe_load((nlu_dir / "domain.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return KNOWN_INTENTS
    names = {str(i) if not isinstance(i, dict) else str(next(iter(i))) for i in domain["intents"]}
    return frozenset(names) | {FALLBACK_INTENT} | BUTTON_INTENTS
