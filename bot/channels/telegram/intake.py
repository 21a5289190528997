"""Telegram updates into the durable ingest, and out of it into the dispatcher.

Webhook: the secret header is checked (401), the update is stored in its shard's stream
and only then answered 200; when Redis cannot store it Telegram gets a 503 and delivers
it again. Polling: `getUpdates` confirms every update before its `offset`, so the offset
moves past an update only once it is stored (aiogram's own polling moves it as soon as
an update is handed to a task, which loses updates whose turn then fails).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import GetUpdates
from aiogram.types import Update
from aiogram.types.update import UpdateTypeLookupError
from aiohttp import web
from pydantic import ValidationError

from bot import safe_json
from bot.channels.shared.pacing import Backoff
from bot.channels.telegram.customer import CHANNEL
from bot.errors import Unauthorized, UnreadableInput
from bot.ingest.answers import not_stored
from bot.ingest.queue import Entry, IngestUnavailable
from bot.ingest.workers import Ingest
from bot.safe_json import UnsafeJson
from bot.web.bodies import body_text

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
BACKOFF = Backoff(attempts=0, base=0.1, cap=5.0)


def ordering_key(update: dict[str, Any]) -> str:
    """Whose update it is: its chat (a private chat's id is the customer's), else its sender."""
    for name, content in update.items():
        if name == "update_id" or not isinstance(content, dict):
            continue
        chat = content.get("chat") or (content.get("message") or {}).get("chat")
        if isinstance(chat, dict) and "id" in chat:
            return f"{CHANNEL}:{chat['id']}"
        sender = content.get("from") or content.get("user")
        if isinstance(sender, dict) and "id" in sender:
            return f"{CHANNEL}:{sender['id']}"
    return f"{CHANNEL}:-"


class TelegramIntake:
    """Stores Telegram updates, and runs stored ones through the dispatcher."""

    def __init__(self, bot: Bot, dispatcher: Dispatcher, ingest: Ingest, secret: str) -> None:
        self._bot = bot
        self._dispatcher = dispatcher
        self._ingest = ingest
        self._secret = secret.encode()
        ingest.handle(CHANNEL, self.run)

    async def webhook(self, request: web.Request) -> web.Response:
        """`POST` of the webhook path: 200 once the update is stored.

        Refused before anything is stored: a wrong secret (401), and a body that is not
        bounded JSON (`bot/safe_json.py`) validating as an `Update` with an event (400).
        """
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            raise Unauthorized(f"missing or wrong {SECRET_HEADER}")
        body = await body_text(request)
        update = _checked_update(body)
        try:
            await self._ingest.push(CHANNEL, ordering_key(update), body)
        except IngestUnavailable as exc:
            log.warning("telegram: update %s not stored (%s); 503", update.get("update_id"), exc)
            return not_stored()
        return web.json_response({})

    async def run(self, entry: Entry) -> None:
        """One stored update through the routers; raises when it must run again."""
        update = Update.model_validate(json.loads(entry.body), context={"bot": self._bot})
        await self._dispatcher.feed_update(self._bot, update)

    async def poll(self, *, long_poll_seconds: int) -> None:
        """Long polling that confirms an update only after it was stored."""
        request = GetUpdates(
            timeout=long_poll_seconds, allowed_updates=self._dispatcher.resolve_used_update_types()
        )
        failures = 0
        while True:
            try:
                updates = await self._bot(request, request_timeout=long_poll_seconds + 30)
            except Exception as exc:  # any API or network failure: wait and poll again
                failures += 1
                log.warning("telegram: getUpdates failed (%s); polling again", exc)
                await asyncio.sleep(BACKOFF.delay(failures))
                continue
            failures = 0
            for update in updates:
                await self._store(update)
                request.offset = update.update_id + 1

    async def _store(self, update: Update) -> None:
        body = update.model_dump_json(exclude_none=True, by_alias=True)
        key = ordering_key(json.loads(body))
        failures = 0
        while True:
            try:
                await self._ingest.push(CHANNEL, key, body)
                return
            except IngestUnavailable as exc:
                failures += 1
                log.warning("telegram: update %s not stored (%s); retrying", update.update_id, exc)
                await asyncio.sleep(BACKOFF.delay(failures))


def _checked_update(body: str) -> dict[str, Any]:
    try:
        update = safe_json.loads(body)
        Update.model_validate(update).event_type  # noqa: B018 (raises with no event in it)
    except UnsafeJson as exc:
        raise UnreadableInput(f"the body is not acceptable JSON: {exc}") from None
    except ValidationError as exc:
        where = ".".join(map(str, exc.errors()[0]["loc"]))
        raise UnreadableInput(f"not a Telegram update ({where or 'update'})") from None
    except UpdateTypeLookupError:
        raise UnreadableInput("an update with no event in it") from None
    checked: dict[str, Any] = update
    return checked
