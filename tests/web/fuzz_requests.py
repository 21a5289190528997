"""Hypothesis strategies for whole HTTP requests to every route of the bot.

Bodies (JSON of any shape, deep nesting, NaN and 1e999, lone surrogates, raw bytes,
urlencoded forms that are not UTF-8), headers (charsets, compressed bodies, missing or
wrong credentials), query strings, path segments (ids with `/`, `%`, `{`, spaces,
Vietnamese letters, invalid UTF-8) and the texts customers send (`/nps{"score": 1e999}`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from hypothesis import strategies as st

NASTY = [
    "",
    " ",
    ".",
    "..",
    "{x}",
    "{",
    "}",
    "a/b",
    "%",
    "%2F",
    "%FF",
    "Nguyễn Văn Ánh",
    "e\u0301",
    "\u202e",
    "\u200b",
    "\x00",
    "\ud800",
    "\udfff",
    "\U0001f600",
    "9" * 40,
    "²",
    "٣",
    "-1",
    "0",
    "1e999",
    "NaN",
    "Infinity",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "$",
    "0-0",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "' OR 1=1 --",
    "\r\nX-Injected: 1",
    "a" * 300,
    "retention",
    "awareness",
    "heaven",
    "vi",
    "en",
    "true",
    "null",
]
ANY_CHAR = st.characters(exclude_categories=())  # surrogates and controls included
TEXT = st.one_of(st.sampled_from(NASTY), st.text(ANY_CHAR, max_size=40))
LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXT,
)
JSON = st.recursive(
    LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
DEEP = st.integers(min_value=1, max_value=3000).flatmap(
    lambda n: st.sampled_from(["[" * n + "]" * n, '{"a":' * n + "1" + "}" * n, "[" * n])
)
TRICKY = [
    '{"score": 1e999}',
    '{"score": NaN}',
    '{"score": 99999999999999999999}',
    '{"score": -0.0}',
    '{"plan": "\\ud800"}',
    '{"score": "9"}',
    "{",
    '{"a": [1]}',
]
FRAGMENTS = st.one_of(st.just(""), JSON.map(json.dumps), DEEP, st.sampled_from(TRICKY))
INTENTS = st.sampled_from(
    ["nps", "csat", "greet", "request_trial", "choose_plan", "ask_price", "x"]
)
MESSAGE = st.one_of(TEXT, st.builds(lambda i, f: f"/{i}{f}", INTENTS, FRAGMENTS))
STAGES = st.one_of(st.sampled_from(["awareness", "retention", "advocacy"]), TEXT)


@dataclass
class Known:
    """What exists on the server under test, so requests also reach real things."""

    sender: str
    user_id: str
    cookie: str
    csrf: str
    admin_token: str
    telegram_path: str
    telegram_secret: str
    policy_files: dict[str, str] = field(repr=False)


@dataclass
class Request:
    """One HTTP request, ready for `http.client`."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


def segment(value: str) -> str:
    """`value` as one path segment; lone surrogates become invalid UTF-8 escapes."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def query(pairs: dict[str, str]) -> str:
    """A query string; lone surrogates become invalid UTF-8 escapes."""
    encoded = {k: v.encode("utf-8", "surrogatepass") for k, v in pairs.items()}
    return "?" + urlencode(encoded) if encoded else ""


def dumps(value: Any) -> bytes:
    """JSON with Python's liberties (NaN, Infinity, lone surrogate escapes)."""
    return json.dumps(value).encode()


def form(fields: dict[str, str]) -> bytes:
    """An urlencoded form; lone surrogates become invalid UTF-8 escapes."""
    return urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in fields.items()}).encode()


@st.composite
def json_body(draw: st.DrawFn, shaped: st.SearchStrategy[Any]) -> bytes:
    """A JSON body: mostly of the route's shape, sometimes anything at all."""
    kind = draw(st.sampled_from(["shaped", "shaped", "shaped", "any", "deep", "bytes"]))
    if kind == "shaped":
        return dumps(draw(shaped))
    if kind == "any":
        return dumps(draw(JSON))
    if kind == "deep":
        return draw(DEEP).encode()
    return draw(st.binary(max_size=64))


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value of `strategy`, or a leaf of any type instead."""
    return st.one_of(strategy, strategy, LEAF)


def rest_message(known: Known) -> st.SearchStrategy[dict[str, Any]]:
    """Bodies of `POST /webhooks/rest/webhook`."""
    metadata = st.fixed_dictionaries(
        {},
        optional={
            "locale": maybe(st.sampled_from(["vi", "en"])),
            "profile": maybe(st.dictionaries(TEXT, JSON, max_size=3)),
            "ref": maybe(TEXT),
        },
    )
    return st.fixed_dictionaries(
        {"sender": maybe(st.one_of(TEXT, st.just(known.sender))), "message": maybe(MESSAGE)},
        optional={"message_id": maybe(TEXT), "metadata": maybe(metadata)},
    )


def telegram_update() -> st.SearchStrategy[dict[str, Any]]:
    """Bodies shaped like Telegram updates, with wrong types here and there."""
    user = st.fixed_dictionaries(
        {
            "id": maybe(st.integers(1, 2**40)),
            "is_bot": maybe(st.just(False)),
            "first_name": maybe(TEXT),
        },
        optional={"language_code": maybe(TEXT)},
    )
    message = st.fixed_dictionaries(
        {
            "message_id": maybe(st.integers(1, 2**31)),
            "date": maybe(st.integers(0, 2**32)),
            "chat": maybe(
                st.fixed_dictionaries(
                    {"id": maybe(st.integers(1, 2**40)), "type": maybe(st.just("private"))}
                )
            ),
            "from": maybe(user),
        },
        optional={"text": maybe(MESSAGE)},
    )
    return st.fixed_dictionaries(
        {"update_id": maybe(st.integers(0, 2**31))}, optional={"message": maybe(message)}
    )
