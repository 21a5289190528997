"""Referral codes in platform link parameters (`m.me/<page>?ref=ref_<code>`)."""

from __future__ import annotations

import re

_REFERRAL = re.compile(r"ref_(?P<code>[A-Za-z0-9_-]{1,60})")


def referral_code(ref: str | None) -> str | None:
    """The code of a `ref_<code>` parameter; None for any other value."""
    if not ref:
        return None
    match = _REFERRAL.fullmatch(ref.strip())
    return match.group("code") if match else None
