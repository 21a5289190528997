"""aiogram's webhook handler, refusing what is not a Telegram update before it answers.

aiogram answers a body that is not JSON, or not an update, with a 500 (or, handling in
the background, with a 200 and a failure nobody sees). Here the secret token is checked
first (401), then the body must be bounded JSON (`bot/safe_json.py`) that validates as
an `Update` with an event in it (400 otherwise); only then does aiogram take it.
"""

from __future__ import annotations

from aiogram.types import Update
from aiogram.types.update import UpdateTypeLookupError
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import ValidationError

from bot import safe_json
from bot.errors import Unauthorized, UnreadableInput
from bot.safe_json import UnsafeJson
from bot.web.bodies import body_text

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class CheckedWebhook(SimpleRequestHandler):
    """`SimpleRequestHandler` with the checks of the module's documentation."""

    async def handle(self, request: web.Request) -> web.Response:
        """Check the secret and the update, then let aiogram handle it."""
        bot = await self.resolve_bot(request)
        if not self.verify_secret(request.headers.get(SECRET_HEADER, ""), bot):
            raise Unauthorized(f"missing or wrong {SECRET_HEADER}")
        try:
            update = Update.model_validate(
                safe_json.loads(await body_text(request)), context={"bot": bot}
            )
            update.event_type  # noqa: B018 (raises for an update with no event in it)
        except UnsafeJson as exc:
            raise UnreadableInput(f"the body is not acceptable JSON: {exc}") from None
        except ValidationError as exc:
            where = ".".join(map(str, exc.errors()[0]["loc"]))
            raise UnreadableInput(f"not a Telegram update ({where or 'update'})") from None
        except UpdateTypeLookupError:
            raise UnreadableInput("an update with no event in it") from None
        return await super().handle(request)
