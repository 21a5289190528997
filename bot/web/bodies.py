"""Request bodies and query values parsed into pydantic models, or an `InputError`."""

from __future__ import annotations

import codecs
from typing import Any, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from bot import safe_json
from bot.errors import InputError, UnreadableInput, UnsupportedMedia
from bot.safe_json import UnsafeJson

M = TypeVar("M", bound=BaseModel)


async def parse_body(request: web.Request, model: type[M]) -> M:
    """The JSON body of `request` as `model`.

    Raises:
        UnreadableInput: the body is not UTF-8, not JSON within the bounds of
            `bot/safe_json.py`, or not a JSON object (400).
        InputError: a field breaks the model's rules (422), named like `metadata.locale`.

    """
    return validated(model, await json_object(request))


async def json_object(request: web.Request) -> dict[str, Any]:
    """The JSON body of `request` as a dict, not yet checked against any model.

    Raises:
        UnreadableInput: the body is not UTF-8, not JSON within the bounds of
            `bot/safe_json.py`, or not a JSON object (400).

    """
    try:
        body = safe_json.loads(await body_text(request))
    except UnsafeJson as exc:
        raise UnreadableInput(f"the body is not acceptable JSON: {exc}") from None
    if not isinstance(body, dict):
        raise UnreadableInput("the body must be a JSON object")
    return body


async def body_text(request: web.Request) -> str:
    """The body as text: UTF-8 is the one charset the bot reads (`intake` checks the header).

    Raises:
        UnreadableInput: the bytes are not UTF-8.

    """
    try:
        return (await request.read()).decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableInput("the body is not UTF-8 text") from None


def check_charset(request: web.Request) -> None:
    """Refuse a body whose Content-Type names a charset other than UTF-8 (or ASCII).

    Raises:
        UnsupportedMedia: another charset, or one nobody knows (415).

    """
    charset = request.charset
    if charset is None:
        return
    try:
        known = codecs.lookup(charset).name
    except LookupError:
        raise UnsupportedMedia(f"unknown charset {charset[:40]!r}; send UTF-8") from None
    if known not in ("utf-8", "ascii"):
        raise UnsupportedMedia(f"charset {known} is not accepted; send UTF-8")


def validated(model: type[M], value: object, field: str | None = None) -> M:
    """`value` as `model`; the error's field is prefixed with `field`.

    Raises:
        InputError: the first rule `value` breaks.

    """
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise input_error(exc, field) from None


def input_error(exc: ValidationError, field: str | None = None) -> InputError:
    """The first error of `exc`, with our own message where a validator raised one."""
    error = exc.errors()[0]
    where = ".".join([*([field] if field else []), *map(str, error["loc"])])
    cause = (error.get("ctx") or {}).get("error")
    message = str(cause) if error["type"] == "value_error" and cause else error["msg"]
    return InputError(where or None, message)
