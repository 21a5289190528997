"""The one rule for the ids customers are known by on a channel (sender, external id).

An external id is 1 to 256 characters after Unicode NFC normalisation, made of letters,
marks, digits, punctuation and symbols of any script (Vietnamese `Nguyễn`, `/`, `%`,
`{`, `@`, `+`) and inner spaces. Refused: control and format characters (zero-width,
bidirectional overrides), lone surrogates, private-use and unassigned code points, any
space but U+0020 and spaces at either end, and `.` and `..`, which URLs cannot carry
as a path segment. Every such id can be addressed in a URL path by percent-encoding it
(JavaScript's `encodeURIComponent`, Python's `quote(id, safe="")`).

Internal user ids are 32 hexadecimal digits; channel names are short lowercase words.
"""

from __future__ import annotations

import re
import unicodedata

MAX_ID_LENGTH = 256
# Route patterns: one path segment (aiohttp's default refuses `{` and `}`).
ID_SEGMENT = "[^/]+"
USER_ID_SEGMENT = "[0-9a-f]{32}"
CHANNEL = re.compile(r"[a-z][a-z0-9_]{0,31}")
USER_ID = re.compile(USER_ID_SEGMENT)
_ALLOWED_CATEGORIES = frozenset("L M N P S".split())


class BadId(ValueError):
    """An id that breaks the rule; the message says which part."""


def external_id(value: str, what: str = "id") -> str:
    """`value` normalised (NFC) when it is a valid external id.

    Raises:
        BadId: the rule of the module's documentation is broken.

    """
    if not value:
        raise BadId(f"{what} must not be empty")
    normal = unicodedata.normalize("NFC", value) if _is_unicode(value) else value
    if len(normal) > MAX_ID_LENGTH:
        raise BadId(f"{what} is longer than {MAX_ID_LENGTH} characters")
    if normal in (".", ".."):
        raise BadId(f"{what} cannot be {normal!r}")
    if normal != normal.strip(" "):
        raise BadId(f"{what} must not begin or end with a space")
    for char in normal:
        if char != " " and unicodedata.category(char)[0] not in _ALLOWED_CATEGORIES:
            raise BadId(f"{what} must not contain U+{ord(char):04X} ({_name(char)})")
    return normal


def is_user_id(value: str) -> bool:
    """Whether `value` has the form of an internal user id."""
    return USER_ID.fullmatch(value) is not None


def _is_unicode(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _name(char: str) -> str:
    return unicodedata.name(char, unicodedata.category(char))
