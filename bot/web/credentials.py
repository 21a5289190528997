"""Comparing a credential someone sent with the expected one."""

from __future__ import annotations

import hmac


def same_secret(given: str, expected: str) -> bool:
    """Whether `given` equals `expected`, in constant time; any text may be given.

    (`secrets.compare_digest` refuses non-ASCII strings with a TypeError: compared as
    bytes here, a token typed with `é` in it is simply wrong.)
    """
    return hmac.compare_digest(
        given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass")
    )
