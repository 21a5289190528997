"""Request bodies and query values parsed into pydantic models, or an `InputError`."""

from __future__ import annotations

import json
from typing import TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from bot.errors import InputError, UnreadableInput

M = TypeVar("M", bound=BaseModel)


async def parse_body(request: web.Request, model: type[M]) -> M:
    """The JSON body of `request` as `model`.

    Raises:
        UnreadableInput: the body is not JSON, or not a JSON object (400).
        InputError: a field breaks the model's rules (422), named like `metadata.locale`.

    """
    try:
        body = await request.json(loads=json.loads)
    except (ValueError, UnicodeDecodeError):
        raise UnreadableInput("the body is not valid JSON") from None
    if not isinstance(body, dict):
        raise UnreadableInput("the body must be a JSON object")
    return validated(model, body)


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
