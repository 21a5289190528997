"""Who may speak as a REST sender, and read its outbox.

- A web chat sender (`webchat-` followed by a random id) exists only through
  `POST /webhooks/rest/session`, which answers a new sender and its session token:
  HMAC-SHA256 of the sender under `WEB_CHAT_SECRET`. Its messages and its outbox need
  `Authorization: Bearer <token>`; nobody else can read its staff replies.
- Any other sender is a server-to-server client (Rasa's `rest` connector). With
  `REST_TOKEN` set, it must send `Authorization: Bearer <REST_TOKEN>`; unset, the REST
  channel is open, as Rasa's is, and whoever knows a sender id can read its outbox:
  set the token whenever the channel is reachable from outside (see SECURITY.md).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from aiohttp import web

from bot.errors import Unauthorized
from bot.web.credentials import same_secret

WEB_CHAT_PREFIX = "webchat-"


class ChatAccess:
    """Mints web chat sessions and checks the credentials of REST requests."""

    def __init__(self, secret: str, rest_token: str | None) -> None:
        self._secret = secret.encode()
        self._rest_token = rest_token

    def new_session(self) -> tuple[str, str]:
        """A new web chat sender and its session token."""
        sender = WEB_CHAT_PREFIX + secrets.token_urlsafe(18)
        return sender, self.token(sender)

    def token(self, sender: str) -> str:
        """The session token of a web chat sender."""
        digest = hmac.new(self._secret, sender.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def check(self, request: web.Request, sender: str) -> None:
        """Refuse a request that may not act for `sender`.

        Raises:
            Unauthorized: the web chat session token, or `REST_TOKEN`, is missing or wrong.

        """
        given = _bearer(request)
        if sender.startswith(WEB_CHAT_PREFIX):
            if not same_secret(given, self.token(sender)):
                raise Unauthorized("a web chat sender needs its session token")
        elif self._rest_token is not None and not same_secret(given, self._rest_token):
            raise Unauthorized("missing or wrong REST token (Authorization: Bearer <REST_TOKEN>)")


def _bearer(request: web.Request) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""
