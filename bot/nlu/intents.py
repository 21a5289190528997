"""The fixed intent set of `nlu/domain.yml`; other parts of the product rely on these names."""

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
        "out_of_scope",
    }
)

KNOWN_INTENTS: frozenset[str] = INTENTS | {FALLBACK_INTENT}
