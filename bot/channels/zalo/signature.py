"""The `X-ZEvent-Signature` of Zalo OA webhooks.

Zalo sends `mac=` followed by the hex SHA-256 (a plain hash, not an HMAC) of the app id,
the raw request body, the event's `timestamp` from that body and the OA secret key,
concatenated in this order. The OA secret key is the Official Account's, not the app's
secret. Sources (Zalo's own page was not available; docs/platforms.md has the details):
https://hainh.me/zalo-api-php-webhook-callback-official-account.html (the four parts, their
order, "OA Secret Key ... không phải là khóa bí mật của ứng dụng") and Chatwoot's
`app/jobs/webhooks/zalo_events_job.rb` (the same hash, compared with `mac=<hex>`).
"""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "mac="


def signature(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """The header value Zalo sends with `raw_body`."""
    digest = hashlib.sha256(
        app_id.encode() + raw_body + timestamp.encode() + oa_secret_key.encode()
    ).hexdigest()
    return PREFIX + digest


def matches(header: str, expected: str) -> bool:
    """Constant-time comparison; the `mac=` prefix and hex case are tolerated."""
    given = header.strip()
    if given[: len(PREFIX)].lower() == PREFIX:
        given = given[len(PREFIX) :]
    return hmac.compare_digest(given.lower().encode(), expected[len(PREFIX) :].encode())
