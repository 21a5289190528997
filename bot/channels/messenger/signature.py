"""Meta's webhook signatures and subscription check.

Every event notification carries `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of
the raw body keyed with the app secret. Setting the callback URL sends a GET with
`hub.mode=subscribe`, `hub.verify_token` and `hub.challenge`; echoing the challenge
confirms the URL.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from bot.channels.shared.events import WebhookRefused

HEADER = "X-Hub-Signature-256"


def signature(app_secret: str, raw_body: bytes) -> str:
    """The header value Meta sends with `raw_body`."""
    return "sha256=" + hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()


def verify(app_secret: str, raw_body: bytes, header: str | None) -> None:
    """Refuse a body whose signature is missing or wrong (constant-time).

    Raises:
        WebhookRefused: the signature does not match.

    """
    expected = signature(app_secret, raw_body).encode()
    if header is None or not hmac.compare_digest(header.strip().lower().encode(), expected):
        raise WebhookRefused("bad signature")


def challenge(params: Mapping[str, str], verify_token: str) -> str:
    """The `hub.challenge` to answer when the subscription request carries our token.

    Raises:
        WebhookRefused: not a subscription, or another token.

    """
    given = params.get("hub.verify_token", "")
    if params.get("hub.mode") != "subscribe" or not hmac.compare_digest(
        given.encode(), verify_token.encode()
    ):
        raise WebhookRefused("verification refused")
    return params.get("hub.challenge", "")
