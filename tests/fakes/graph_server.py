"""A fake Graph API (Messenger Send API) on 127.0.0.1 speaking the real HTTP protocol.

`POST /<version>/me/messages?access_token=<page token>` answers `{"recipient_id",
"message_id"}` or an error object like Meta's: 190 for a wrong token, 100 for a message
over the limits (text, quick replies, button templates, payloads), 10/2018278 outside the
24-hour window (7 days with the HUMAN_AGENT tag), 551/1545041 for a customer who blocked
the page. Rate limiting and other failures can be injected; the clock is injectable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.local_http import post_raw, serve

PAGE_TOKEN = "EAAG-page-token"
VERSION = "v25.0"
DAY = 86400.0


@dataclass(frozen=True, slots=True)
class Sent:
    """A message the Send API accepted."""

    psid: str
    message: dict[str, Any]
    messaging_type: str
    tag: str | None
    at: float


@dataclass(slots=True)
class _Failure:
    times: int
    code: int
    status: int
    retry_after: int | None


@dataclass(slots=True)
class FakeGraph:
    """The fake Send API; `async with FakeGraph() as graph`, base `graph.api_base`."""

    clock: Callable[[], float] = time.time
    sent: list[Sent] = field(default_factory=list)
    actions: list[tuple[str, str]] = field(default_factory=list)  # (psid, sender_action)
    calls: int = 0
    blocked: set[str] = field(default_factory=set)
    inbound: dict[str, float] = field(default_factory=dict)  # psid -> last message time
    api_base: str = ""
    _failures: list[_Failure] = field(default_factory=list)
    _runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeGraph:
        app = web.Application()
        app.router.add_post("/{version}/{node}/messages", self._messages)
        self._runner, base = await serve(app)
        self.api_base = f"{base}/{VERSION}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # --- test controls ---------------------------------------------------------------

    def wrote(self, psid: str, *, at: float | None = None) -> None:
        """The customer messaged the page at `at` (now by default): opens the window."""
        self.inbound[psid] = self.clock() if at is None else at

    def fail(
        self, code: int, *, times: int = 1, status: int = 400, retry_after: int | None = None
    ) -> None:
        """The next `times` calls fail with Graph error `code` (613: rate limited, 2: ...)."""
        self._failures.append(_Failure(times, code, status, retry_after))

    def texts(self, psid: str) -> list[str]:
        """Texts delivered to one customer (a template's text counts), in order."""
        return [_text(s.message) for s in self.sent if s.psid == psid]

    async def deliver(self, url: str, raw: bytes, headers: dict[str, str]) -> int:
        """POST a notification (see `messenger_events.signed`) to the bot; its HTTP status."""
        return await post_raw(url, raw, headers)

    # --- the API ---------------------------------------------------------------------

    async def _messages(self, request: web.Request) -> web.Response:
        self.calls += 1
        if request.query.get("access_token") != PAGE_TOKEN:
            return _error(190, "Invalid OAuth access token - Cannot parse access token")
        if self._failures:
            return self._injected()
        body = await request.json()
        psid = str(body.get("recipient", {}).get("id", ""))
        if not psid:
            return _error(100, "The parameter recipient is required")
        if psid in self.blocked:
            return _error(551, "This person isn't available right now.", 1545041)
        if "sender_action" in body:
            self.actions.append((psid, str(body["sender_action"])))
            return web.json_response({"recipient_id": psid})
        problem = _invalid(body)
        if problem:
            return _error(100, problem)
        if not self._in_window(psid, body):
            return _error(10, "This message is sent outside of allowed window.", 2018278)
        message = body["message"]
        self.sent.append(Sent(psid, message, body["messaging_type"], body.get("tag"), self.clock()))
        return web.json_response({"recipient_id": psid, "message_id": f"m_out{len(self.sent)}"})

    def _in_window(self, psid: str, body: dict[str, Any]) -> bool:
        last = self.inbound.get(psid)
        length = 7 * DAY if body.get("tag") == "HUMAN_AGENT" else DAY
        return last is not None and self.clock() - last <= length

    def _injected(self) -> web.Response:
        failure = self._failures[0]
        failure.times -= 1
        if failure.times <= 0:
            self._failures.pop(0)
        headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
        messages = {
            613: "Calls to this api have exceeded the rate limit.",
            2: "Service unavailable",
        }
        text = messages.get(failure.code, "An unexpected error has occurred.")
        return _error(failure.code, text, status=failure.status, headers=headers)


def _invalid(body: dict[str, Any]) -> str:
    kind = body.get("messaging_type")
    if kind not in ("RESPONSE", "UPDATE", "MESSAGE_TAG"):
        return "(#100) messaging_type is required"
    if (kind == "MESSAGE_TAG") != ("tag" in body) or body.get(
        "tag", "HUMAN_AGENT"
    ) != "HUMAN_AGENT":
        return "(#100) Invalid tag"
    message = body.get("message") or {}
    if "attachment" in message:
        return _invalid_template(message["attachment"].get("payload", {}))
    text = message.get("text")
    if not isinstance(text, str) or not text:
        return "(#100) message must have text or an attachment"
    if len(text) > 2000:
        return "(#100) Length of param message[text] must be less than or equal to 2000"
    replies = message.get("quick_replies", [])
    if len(replies) > 13:
        return "(#100) param message[quick_replies] must have at most 13 elements"
    return next(filter(None, (_invalid_button(r) for r in replies)), "")


def _invalid_template(payload: dict[str, Any]) -> str:
    if len(str(payload.get("text", ""))) > 640:
        return "(#100) Length of param message[attachment][payload][text] must be <= 640"
    buttons = payload.get("buttons", [])
    if not 1 <= len(buttons) <= 3:
        return "(#100) param message[attachment][payload][buttons] must have 1 to 3 elements"
    return next(filter(None, (_invalid_button(b) for b in buttons)), "")


def _invalid_button(button: dict[str, Any]) -> str:
    if len(str(button.get("title", ""))) > 20:
        return "(#100) Title has more than 20 characters"
    if len(str(button.get("payload", ""))) > 1000:
        return "(#100) Payload has more than 1000 characters"
    return ""


def _text(message: dict[str, Any]) -> str:
    if "attachment" in message:
        return str(message["attachment"]["payload"].get("text", ""))
    return str(message.get("text", ""))


def _error(
    code: int,
    message: str,
    subcode: int | None = None,
    *,
    status: int = 400,
    headers: dict[str, str] | None = None,
) -> web.Response:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = "AbCdEfGh123"
    return web.json_response({"error": error}, status=status, headers=headers)
