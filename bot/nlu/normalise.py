"""Text normalisation shared by NLU training and parsing.

Vietnamese customers write with and without diacritics and with chat abbreviations.
Folding every message to one form (lower case, no diacritics, abbreviations expanded)
lets one model serve all of them. The same function prepares the training data and
every text sent to Rasa, so training and parsing can never drift apart.
"""

from __future__ import annotations

import re
import unicodedata

# Only abbreviations that are unambiguous in both languages: "vs" or "r" would
# damage English messages ("basic vs pro", "r u there").
ABBREVIATIONS: dict[str, str] = {
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "khg": "khong",
    "hok": "khong",
    "hong": "khong",
    "dc": "duoc",
    "mk": "minh",
    "mik": "minh",
    "bn": "bao nhieu",
    "j": "gi",
    "sp": "san pham",
    "ad": "admin",
    "ntn": "nhu the nao",
    "nhiu": "nhieu",
}

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese (and other Latin) diacritics: "được" -> "duoc"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """Fold `text` to the form the NLU model is trained on."""
    folded = strip_diacritics(text.lower())
    expanded = _WORD.sub(lambda m: ABBREVIATIONS.get(m.group(0), m.group(0)), folded)
    return _SPACES.sub(" ", expanded).strip()
