"""Console forms (`application/x-www-form-urlencoded`), read strictly as UTF-8.

aiohttp's `request.post()` fails with a 500 on bytes that are not UTF-8 or on an unknown
charset; here both are a 4xx, and the form is parsed once per request (the role check
reads the CSRF token, then the page reads its fields).
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from aiohttp import web
from multidict import MultiDict, MultiDictProxy

from bot.errors import UnreadableInput
from bot.web.bodies import body_text

MAX_FIELDS = 100  # the policy form has one field per file and a few more
_FORM = web.RequestKey("form", MultiDictProxy[str])


async def read_form(request: web.Request) -> MultiDictProxy[str]:
    """The fields of the request's form body (empty without one).

    Raises:
        UnreadableInput: the body or a %-escape in it is not UTF-8, or too many fields.

    """
    if _FORM in request:
        return request[_FORM]
    text = await body_text(request) if request.body_exists else ""
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise UnreadableInput(f"the form cannot be read: {exc}") from None
    form = MultiDictProxy(MultiDict(pairs))
    request[_FORM] = form
    return form
