"""The one error path of the web app: every failure becomes a JSON answer (or a console page).

- `InputError` (bad input: 400, 401, 403, 404, 408, 409, 413, 415, 422, 429) and aiohttp's
  own 4xx (unknown route, wrong method) answer `{"error": {"message", "field"?}}`;
- Redis unreachable answers 503 with `Retry-After`: the request may be repeated as is;
- anything else is a defect: it is logged with the request id and answered 500 with the
  same shape and that id, never a traceback.

Under `/console` the same answers are a page in the visitor's language with a way back.
Every response carries `X-Request-Id` (the client's, if it sent a sane one).
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp.web_protocol import RequestPayloadError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.console.error_page import console_error_page
from bot.errors import InputError, TooManyRequests
from bot.store.ordering import LockLost

log = logging.getLogger(__name__)

REQUEST_ID = "X-Request-Id"
REQUEST_ID_KEY = web.RequestKey("request_id", str)
RETRY_AFTER_SECONDS = 5  # Redis answers again after a restart or failover in about this
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Redis unreachable, timing out, loading its data after a restart, or cut mid-answer; or a
# turn whose lease ran out meanwhile (nothing was written, the request may be repeated).
OUTAGE = (RedisConnectionError, RedisTimeoutError, ConnectionRefusedError, LockLost)


def error_response(
    status: int,
    message: str,
    field: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> web.Response:
    """`{"error": {"message": ..., "field": ...}}` with `status`."""
    error: dict[str, Any] = {"message": message, **extra}
    if field is not None:
        error["field"] = field
    return web.json_response({"error": error}, status=status, headers=headers)


def request_id(request: web.Request) -> str:
    """The id logs and answers name this request by."""
    given = request.headers.get(REQUEST_ID, "")
    return given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex


CONSOLE_JSON_PREFIX = "/console/studio/api/"


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer every failure of a handler (or an inner middleware) as the module says."""
    rid = request_id(request)
    request[REQUEST_ID_KEY] = rid
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            exc.headers[REQUEST_ID] = rid
            raise
        response = _answer(request, exc.status, exc.reason if exc.text is None else exc.text)
        for name in ("Allow", "Retry-After"):
            if name in exc.headers:
                response.headers[name] = exc.headers[name]
    except InputError as exc:
        response = _answer(request, exc.status, exc.message, exc.field)
        if isinstance(exc, TooManyRequests):
            response.headers["Retry-After"] = str(exc.retry_after)
    except OUTAGE as exc:
        log.warning(
            "request %s %s %s: Redis unavailable: %s", rid, request.method, request.path, exc
        )
        response = _answer(request, 503, "the service is briefly unavailable; retry soon")
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    except RequestPayloadError as exc:
        response = _answer(request, 400, f"the body could not be read: {exc}")
    except (asyncio.CancelledError, ConnectionResetError):
        raise  # the client went away: nobody to answer
    except Exception:
        log.exception("request %s %s %s failed", rid, request.method, request.path)
        response = _answer(request, 500, "internal error; it was logged", request_id=rid)
    if not response.prepared:
        response.headers[REQUEST_ID] = rid
    return response


def _answer(
    request: web.Request, status: int, message: str, field: str | None = None, **extra: Any
) -> web.Response:
    # The console's pages answer with a page; its JSON calls (the studio's) with JSON.
    console = request.path == "/console" or request.path.startswith("/console/")
    if console and not request.path.startswith(CONSOLE_JSON_PREFIX):
        return console_error_page(request, status, message)
    return error_response(status, message, field, **extra)
