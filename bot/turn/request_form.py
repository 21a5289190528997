"""Whether a message is worded as a question or a request.

While the bot waits for a comment, a statement about a feature ("the stock reports save
me an hour") is easily read by the NLU as a question about that feature. Customers who
actually ask something word it as a question or a request, in either language and with
or without diacritics; this tells the two apart for the topic intents.
"""

from __future__ import annotations

import re

from bot.nlu.normalise import normalise

# Matched on the normalised text (lower case, no diacritics, abbreviations expanded).
_ANYWHERE = (
    # Vietnamese: how much, how, why, where, what, want, let me, help, guide, ask, advise.
    "bao nhieu|the nao|nhu nao|lam sao|tai sao|vi sao|o dau|cai gi|la gi|muon|"
    "cho minh|cho toi|cho em|cho hoi|giup|huong dan|xin|tu van|"
    # English.
    "how much|how many|how do|how can|how to|can i|can you|could you|i want|i wanna|"
    "i d like|i would like|i need|tell me|show me|help me|do you|is there|are there|"
    "what is|what s|whats"
)
_FIRST = (
    "what|how|why|when|where|which|who|can|could|would|will|do|does|is|are|should|may|please|help"
)
# Sentence-final question particles (Vietnamese) and "please".
_LAST = "khong|chua|nao|gi|sao|vay|nhi|ha|please|pls|plz"

_PATTERN = re.compile(rf"\b(?:{_ANYWHERE})\b|^(?:{_FIRST})\b|\b(?:{_LAST})$")
_TRAILING = re.compile(r"[\s\W_]+$")


def asks(text: str) -> bool:
    """Whether `text` is worded as a question or a request."""
    if "?" in text:
        return True
    words = _TRAILING.sub("", normalise(text.replace("'", " ").replace("’", " ")))
    return _PATTERN.search(words) is not None
