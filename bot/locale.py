"""Guessing a new customer's language from their first words."""

from __future__ import annotations

import re

from bot.lifecycle import Locale
from bot.nlu.normalise import normalise

# Frequent Vietnamese words that survive diacritic stripping and rarely occur in English.
_VIETNAMESE = frozenset(
    (
        "toi minh ban khong duoc muon gia goi cho xin chao cam on la co gi nao bao nhieu em "
        "anh chi oi nhe roi thi dung thu mua shop admin san pham phan mem ah vay sao"
    ).split()
)
_ENGLISH = frozenset(
    (
        "i you the a is are what how much price plan hello hi hey thanks thank please want "
        "can do does trial buy need help my your it to of and for"
    ).split()
)
_VIETNAMESE_LETTERS = re.compile(
    r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]"
)


def guess_locale(text: str, default: Locale) -> Locale:
    """`vi` or `en` for `text`; `default` when the words say neither."""
    if _VIETNAMESE_LETTERS.search(text.lower()):
        return "vi"
    vi = sum(w in _VIETNAMESE for w in re.findall(r"\w+", normalise(text)))
    en = sum(w in _ENGLISH for w in re.findall(r"\w+", text.lower()))
    if vi == en:
        return default
    return "vi" if vi > en else "en"


def page_locale(value: object) -> Locale:
    """The language a page asks for (`?lang=en`, a form's `locale`): English or Vietnamese.

    Anything but `en` is Vietnamese, the language of the shops this bot is for.
    """
    return "en" if value == "en" else "vi"
