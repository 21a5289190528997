"""A fake Telegram Bot API server on 127.0.0.1 that speaks the real HTTP protocol.

aiogram posts every method as a form (urlencoded, or multipart with files) to
`/bot<token>/<method>`; JSON bodies are accepted too. The server records every call
with its arrival time, can fail calls on demand (429 with `retry_after`, 403, 5xx, a
dropped connection) and can deliver updates to a bot's webhook.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "123456:TEST-token"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "SaleMate", "username": "salemate_bot"}

# Values aiogram sends as plain text; every other form field is JSON (numbers, objects).
_TEXT_FIELDS = frozenset(
    {"text", "caption", "name", "url", "secret_token", "callback_query_id", "parse_mode"}
)
DISCONNECT = 0  # a `fail` status that drops the connection instead of answering


@dataclass(frozen=True, slots=True)
class Call:
    """One request the server received."""

    method: str
    params: dict[str, Any]
    at: float  # time.monotonic() on arrival
    status: int
    result: Any = None  # what the server answered, for calls that succeeded


@dataclass(slots=True)
class _Failure:
    method: str
    status: int
    chat_id: int | None
    times: int | None  # None: until removed
    retry_after: int | None = None


@dataclass(slots=True)
class FakeTelegram:
    """The fake server; use `async with FakeTelegram() as server`."""

    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    webhook_url: str | None = None
    webhook_secret: str | None = None
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _next_update_id: int = 1000
    _next_message_id: int = 1
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)
    _failures: list[_Failure] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    # Forum topics by chat: thread id -> {"name", "closed"}; deleted topics are removed.
    topics: dict[int, dict[int, dict[str, Any]]] = field(default_factory=dict)
    # Chat members by (chat id, user id) -> status; anyone else has "left".
    members: dict[tuple[int, int], str] = field(default_factory=dict)
    polls_started: int = 0  # getUpdates calls received, including those still waiting
    base: str = ""

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._arrived.set()  # wake long polls so the server can stop
        if self._runner is not None:
            await self._runner.cleanup()

    # --- test controls ---------------------------------------------------------

    def enqueue(self, update: dict[str, Any]) -> int:
        """Queue an update for `getUpdates`; returns its update id."""
        update = self._numbered(update)
        self._updates.append(update)
        self._arrived.set()
        self._arrived = asyncio.Event()
        return int(update["update_id"])

    def fail(
        self,
        method: str,
        status: int,
        *,
        chat_id: int | None = None,
        times: int | None = 1,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`) with `status`."""
        self._failures.append(_Failure(method.lower(), status, chat_id, times, retry_after))

    def block(self, chat_id: int) -> None:
        """The customer blocked the bot: every sendMessage to them gets 403."""
        self.fail("sendMessage", 403, chat_id=chat_id, times=None)

    def unblock(self, chat_id: int) -> None:
        """Undo `block`."""
        self._failures = [
            f for f in self._failures if not (f.status == 403 and f.chat_id == chat_id)
        ]

    def add_member(self, chat_id: int, user_id: int, status: str = "member") -> None:
        """`user_id` is in `chat_id` (for getChatMember): member, administrator, creator."""
        self.members[chat_id, user_id] = status

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """Someone deleted a forum topic in Telegram; sending into it fails from now on."""
        del self.topics[chat_id][thread_id]

    def topic_texts(self, chat_id: int, thread_id: int) -> list[str]:
        """The texts delivered into one forum topic, in order."""
        return [
            str(c.params["text"])
            for c in self.sent(chat_id)
            if c.params.get("message_thread_id") == thread_id
        ]

    async def deliver_webhook(
        self, update: dict[str, Any], *, url: str, secret: str | None
    ) -> tuple[int, int]:
        """POST `update` to a webhook like Telegram; returns (HTTP status, update id)."""
        update = self._numbered(update)
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, json=update, headers=headers) as response,
        ):
            await response.read()
            return response.status, int(update["update_id"])

    def calls_to(self, method: str, *, ok: bool | None = None) -> list[Call]:
        """The calls of one method, oldest first; `ok` keeps only (un)successful ones."""
        return [
            c
            for c in self.calls
            if c.method == method.lower() and (ok is None or (c.status == 200) == ok)
        ]

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Messages delivered (sendMessage answered 200), optionally to one chat."""
        return [
            c
            for c in self.calls_to("sendMessage", ok=True)
            if chat_id is None or c.params["chat_id"] == chat_id
        ]

    def texts(self, chat_id: int) -> list[str]:
        """The texts delivered to one chat, in order."""
        return [str(c.params["text"]) for c in self.sent(chat_id)]

    async def wait_for(
        self, condition: Callable[[], bool], *, within: float = 5.0, what: str = "condition"
    ) -> None:
        """Wait until `condition()` holds; fail the test after `within` seconds."""
        deadline = time.monotonic() + within
        while not condition():
            if time.monotonic() > deadline:
                methods = [c.method for c in self.calls]
                raise AssertionError(f"timed out waiting for {what}; calls: {methods}")
            await asyncio.sleep(0.01)

    # --- the Bot API -------------------------------------------------------------

    def _numbered(self, update: dict[str, Any]) -> dict[str, Any]:
        if "update_id" in update:
            return update
        self._next_update_id += 1
        return {"update_id": self._next_update_id, **update}

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"].lower()
        params = await _params(request)
        arrived = time.monotonic()
        if request.match_info["token"] != self.token:
            return self._record(method, params, arrived, _error(401, "Unauthorized"))
        failure = self._failure(method, params)
        if failure is not None:
            if failure.status == DISCONNECT:
                self.calls.append(Call(method, params, arrived, DISCONNECT))
                assert request.transport is not None
                request.transport.close()
                return web.Response()
            return self._record(method, params, arrived, _failure_response(failure))
        if method == "getupdates":
            # Long polls are recorded when they answer, so `calls` stays in answer order.
            response = await self._get_updates(params)
            return self._record(method, params, arrived, response)
        return self._record(method, params, arrived, self._answer(method, params))

    def _record(
        self, method: str, params: dict[str, Any], at: float, response: web.Response
    ) -> web.Response:
        result = None
        if response.status == 200 and isinstance(response.body, bytes):
            result = json.loads(response.body)["result"]
        self.calls.append(Call(method, params, at, response.status, result))
        return response

    def _failure(self, method: str, params: dict[str, Any]) -> _Failure | None:
        for failure in self._failures:
            if failure.method != method:
                continue
            if failure.chat_id is not None and failure.chat_id != params.get("chat_id"):
                continue
            if failure.times is not None:
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
            return failure
        return None

    async def _get_updates(self, params: dict[str, Any]) -> web.Response:
        self.polls_started += 1
        if self.webhook_url is not None:
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = params.get("offset")
        if offset is not None:
            self._updates = [u for u in self._updates if u["update_id"] >= int(offset)]
        timeout = float(params.get("timeout") or 0)
        if not self._updates and timeout > 0:
            with suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), timeout)
        limit = int(params.get("limit") or 100)
        return _ok(self._updates[:limit])

    def _answer(self, method: str, params: dict[str, Any]) -> web.Response:
        match method:
            case "getme":
                return _ok(BOT_USER)
            case "sendmessage":
                if not self._thread_exists(params):
                    return _error(400, "Bad Request: message thread not found")
                return _ok(self._message(params["chat_id"], params))
            case "editmessagetext" | "editmessagereplymarkup":
                return self._edit(params)
            case "answercallbackquery":
                return _ok(True)
            case "copymessage":
                self._next_message_id += 1
                return _ok({"message_id": self._next_message_id})
            case "createforumtopic":
                self._next_message_id += 1
                thread_id = self._next_message_id
                topic = {"name": params["name"], "closed": False}
                self.topics.setdefault(params["chat_id"], {})[thread_id] = topic
                return _ok(
                    {"message_thread_id": thread_id, "name": params["name"], "icon_color": 7322096}
                )
            case "closeforumtopic" | "reopenforumtopic" | "editforumtopic" | "deleteforumtopic":
                return self._topic_change(method, params)
            case "getchatmember":
                status = self.members.get((params["chat_id"], params["user_id"]), "left")
                member: dict[str, Any] = {
                    "status": status,
                    "user": {"id": params["user_id"], "is_bot": False, "first_name": "Someone"},
                }
                if status == "administrator":
                    member |= {
                        "can_be_edited": False,
                        "is_anonymous": False,
                        "can_manage_chat": True,
                        "can_delete_messages": True,
                        "can_manage_video_chats": True,
                        "can_restrict_members": True,
                        "can_promote_members": False,
                        "can_change_info": True,
                        "can_invite_users": True,
                        "can_post_stories": False,
                        "can_edit_stories": False,
                        "can_delete_stories": False,
                        "can_send_welcome_messages": False,
                    }
                elif status == "creator":
                    member["is_anonymous"] = False
                return _ok(member)
            case "setwebhook":
                self.webhook_url = str(params["url"])
                self.webhook_secret = params.get("secret_token")
                return _ok(True)
            case "deletewebhook":
                self.webhook_url = self.webhook_secret = None
                return _ok(True)
            case _:
                return _error(404, "Not Found: method not found")

    def _thread_exists(self, params: dict[str, Any]) -> bool:
        thread_id = params.get("message_thread_id")
        return thread_id is None or thread_id in self.topics.get(params["chat_id"], {})

    def _topic_change(self, method: str, params: dict[str, Any]) -> web.Response:
        topics = self.topics.get(params["chat_id"], {})
        topic = topics.get(params["message_thread_id"])
        if topic is None:
            return _error(400, "Bad Request: TOPIC_ID_INVALID")
        match method:
            case "closeforumtopic" | "reopenforumtopic":
                closed = method == "closeforumtopic"
                if topic["closed"] == closed:
                    return _error(400, "Bad Request: TOPIC_NOT_MODIFIED")
                topic["closed"] = closed
            case "editforumtopic":
                topic["name"] = params.get("name", topic["name"])
            case _:
                del topics[params["message_thread_id"]]
        return _ok(True)

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """A message the bot sent, as it is now (edits applied)."""
        return dict(self._messages[chat_id, message_id])

    def _edit(self, params: dict[str, Any]) -> web.Response:
        key = (params["chat_id"], params["message_id"])
        if key not in self._messages:
            return _error(400, "Bad Request: message to edit not found")
        message = self._messages[key]
        if "text" in params:
            message["text"] = params["text"]
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        else:
            message.pop("reply_markup", None)
        return _ok(message)

    def _message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        self._next_message_id += 1
        message: dict[str, Any] = {
            "message_id": self._next_message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": BOT_USER,
        }
        if "text" in params:
            message["text"] = params["text"]
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        if params.get("message_thread_id") is not None:
            message["message_thread_id"] = params["message_thread_id"]
            message["is_topic_message"] = True
        self._messages[chat_id, message["message_id"]] = message
        return dict(message)


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body) if isinstance(body, dict) else {}
    params: dict[str, Any] = {}
    form = await request.post()  # urlencoded or multipart, as aiogram sends them
    for key, value in form.items():
        if isinstance(value, web.FileField):
            params[key] = value.file.read()
        elif key in _TEXT_FIELDS:
            params[key] = value
        else:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
    return params


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(status: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


def _failure_response(failure: _Failure) -> web.Response:
    if failure.status == 429:
        retry_after = failure.retry_after or 1
        return _error(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
    if failure.status == 403:
        return _error(403, "Forbidden: bot was blocked by the user")
    if failure.status >= 500:
        return _error(failure.status, "Internal Server Error")
    return _error(failure.status, "Bad Request: injected failure")
