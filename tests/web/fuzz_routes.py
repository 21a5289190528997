"""Every route of the bot as a Hypothesis strategy of requests (see `fuzz_requests.py`)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from tests.web.fuzz_requests import (
    JSON,
    MESSAGE,
    STAGES,
    TEXT,
    Known,
    Request,
    form,
    json_body,
    maybe,
    query,
    rest_message,
    segment,
    telegram_update,
)

# What http.client can put in a header: Latin-1 without controls.
HEADER_VALUE = st.text(
    st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f"), max_size=60
)
HEX32 = st.text("0123456789abcdef", min_size=32, max_size=32)
BAD_POLICIES = ["- " * 900, "a: &a [1]\nb: *a", "{" * 500, "\x00", "stage: [", "x: \ud800"]


def ids(known: Known) -> st.SearchStrategy[str]:
    """External ids: the known customer's, nasty ones, anything."""
    return st.one_of(st.just(known.sender), TEXT)


def user_ids(known: Known) -> st.SearchStrategy[str]:
    """Internal user ids: the known one, well-formed unknown ones, anything."""
    return st.one_of(st.just(known.user_id), HEX32, TEXT)


@st.composite
def headers(draw: st.DrawFn, base: dict[str, str], body: bytes | None) -> dict[str, str]:
    """The route's credentials (sometimes dropped), charsets, encodings, ids, origins."""
    chosen = dict(base) if draw(st.integers(0, 9)) else {}
    content_type = draw(
        st.sampled_from(
            [
                None,
                "application/json",
                "application/json; charset=utf-8",
                "application/json; charset=nonexistent",
                "application/json; charset=latin-1",
                "application/json; charset=utf-16",
                "application/x-www-form-urlencoded",
                "application/x-www-form-urlencoded; charset=koi8-r",
                "text/plain; charset=",
                'application/json; charset="',
                "multipart/form-data; boundary=x",
                "*/*;;=;",
            ]
        )
    )
    if content_type is not None and body is not None:
        chosen["Content-Type"] = content_type
    if body is not None and not draw(st.integers(0, 15)):
        chosen["Content-Encoding"] = draw(st.sampled_from(["gzip", "deflate", "br", "x-zip"]))
    if not draw(st.integers(0, 7)):
        chosen["X-Request-Id"] = draw(st.text("abc-_.:/ \t", max_size=80))
    if not draw(st.integers(0, 7)):
        chosen["Origin"] = draw(st.sampled_from(["https://evil.example", "null", "http://x"]))
    if not draw(st.integers(0, 7)):
        name = draw(
            st.sampled_from(
                [
                    "Origin",
                    "Referer",
                    "Host",
                    "Cookie",
                    "Authorization",
                    "X-Forwarded-Proto",
                    "Accept-Language",
                    "Content-Length",
                ]
            )
        )
        chosen[name] = draw(HEADER_VALUE)
    return chosen


def admin(known: Known) -> dict[str, str]:
    """The admin API's credential."""
    return {"Authorization": f"Bearer {known.admin_token}"}


def console(known: Known) -> dict[str, str]:
    """A logged-in admin's cookie."""
    return {"Cookie": f"engagebot_console={known.cookie}"}


def csrf_form(known: Known, fields: st.SearchStrategy[dict[str, str]]) -> st.SearchStrategy[bytes]:
    """A console form with the session's CSRF token (or none), or raw bytes."""
    token = st.one_of(
        st.just({"csrf": known.csrf}), st.just({}), st.builds(lambda t: {"csrf": t}, TEXT)
    )
    built = st.builds(lambda f, t: form({**f, **t}), fields, token)
    return st.one_of(built, built, built, st.binary(max_size=64))


def studio_save(known: Known) -> st.SearchStrategy[dict[str, str]]:
    """The studio's save: a file name, and its YAML (shipped, broken, anything) or a form."""
    names = st.one_of(st.sampled_from(sorted(known.policy_files)), TEXT)
    shipped = st.sampled_from(sorted(known.policy_files)).map(known.policy_files.__getitem__)
    texts = st.one_of(shipped, st.sampled_from(BAD_POLICIES), TEXT)
    return st.fixed_dictionaries(
        {"file": names}, optional={"yaml": texts, "form": st.one_of(TEXT, JSON.map(json.dumps))}
    )


SIMULATE_FORM = st.fixed_dictionaries(
    {},
    optional={
        "message": MESSAGE,
        "stage": STAGES,
        "locale": TEXT,
        "sim": TEXT,
        "old": TEXT,
        "source": st.sampled_from(["live", "draft", ""]),
    },
)


Route = Callable[[Known], st.SearchStrategy[Request]]


def _get(
    path: st.SearchStrategy[str], base: Callable[[Known], dict[str, str]] | None = None
) -> Route:
    def route(known: Known) -> st.SearchStrategy[Request]:
        return path.flatmap(
            lambda p: headers({} if base is None else base(known), None).map(
                lambda h: Request("GET", p, h)
            )
        )

    return route


def _send(
    method: str,
    path: Callable[[Known], st.SearchStrategy[str]],
    body: Callable[[Known], st.SearchStrategy[bytes]],
    base: Callable[[Known], dict[str, str]] | None = None,
) -> Route:
    def route(known: Known) -> st.SearchStrategy[Request]:
        @st.composite
        def build(draw: st.DrawFn) -> Request:
            raw = draw(body(known))
            chosen = draw(headers({} if base is None else base(known), raw))
            if chosen.get("Content-Encoding") == "gzip" and draw(st.booleans()):
                raw = gzip.compress(raw)
            return Request(method, draw(path(known)), chosen, raw)

        return build()

    return route


def _fixed(path: str) -> Callable[[Known], st.SearchStrategy[str]]:
    return lambda known: st.just(path)


def _queries(**values: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.fixed_dictionaries({}, optional=values).map(query)


DATES = st.one_of(st.sampled_from(["2026-11-01", "2026-11-30", "9999-12-31"]), TEXT)
LIMITS = st.one_of(st.sampled_from(["1", "²", "99999999999999999999", "0", "-1"]), TEXT)
SEGMENT_KEYS = st.sampled_from(["stage", "locale", "tags", "seen_within", "silent_for"])
CONSOLE_PAGES = [
    "/console",
    "/console/login",
    "/console/inbox",
    "/console/team",
    "/console/policies",
    "/console/studio",
    "/console/studio/common",
    "/console/studio/history",
    "/console/campaigns",
    "/console/campaigns/progress",
    "/console/review",
    "/console/webhooks",
]
PUBLIC_PAGES = ["/chat", "/chat?lang=en", "/chat/widget.js", "/healthz", "/metrics"]


def _body(shape: st.SearchStrategy[Any]) -> Callable[[Known], st.SearchStrategy[bytes]]:
    return lambda known: json_body(shape)


def _fields(required: dict[str, Any], **optional: Any) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {k: maybe(v) for k, v in required.items()},
        optional={k: maybe(v) for k, v in optional.items()},
    )


def _user_path(known: Known) -> st.SearchStrategy[str]:
    tails = st.sampled_from(["", "/transcript", "/events", "/timeline"])
    where = st.tuples(TEXT | st.just("rest"), ids(known), tails, _queries(limit=LIMITS))
    return where.map(lambda w: f"/api/users/{segment(w[0])}/{segment(w[1])}{w[2]}{w[3]}")


def _inbox_action(known: Known) -> st.SearchStrategy[str]:
    actions = st.sampled_from(["reply", "close", "stage"])
    return st.tuples(user_ids(known), actions).map(
        lambda p: f"/console/inbox/{segment(p[0])}/{p[1]}"
    )


def _broadcast(known: Known) -> st.SearchStrategy[bytes]:
    message = st.fixed_dictionaries({"text": maybe(st.dictionaries(TEXT, TEXT, max_size=2))})
    segment_ = st.dictionaries(SEGMENT_KEYS, JSON)
    fields = _fields({"message": message}, segment=segment_, dry_run=st.just(True), author=TEXT)
    return json_body(fields)


def _telegram_secret(known: Known) -> dict[str, str]:
    return {"X-Telegram-Bot-Api-Secret-Token": known.telegram_secret}


def _path(make: Callable[[str], str], values: Callable[[Known], st.SearchStrategy[str]]) -> Any:
    return lambda known: values(known).map(make)


def _text(known: Known) -> st.SearchStrategy[str]:
    return TEXT


def _form(fields: st.SearchStrategy[dict[str, str]]) -> Callable[[Known], st.SearchStrategy[bytes]]:
    return lambda known: csrf_form(known, fields)


INBOX_FORM = st.fixed_dictionaries({}, optional={"text": MESSAGE, "stage": STAGES})
LOGIN_FORM = st.fixed_dictionaries({"name": TEXT, "password": TEXT})
NOTHING: st.SearchStrategy[dict[str, str]] = st.just({})
CAMPAIGN_FORM = st.fixed_dictionaries(
    {},
    optional={
        "stage": STAGES,
        "locale": st.one_of(st.sampled_from(["vi", "en", ""]), TEXT),
        "tags": TEXT,
        "churn_risk": TEXT,
        "seen_within": st.one_of(LIMITS, st.just("7")),
        "silent_for": LIMITS,
        "text_vi": MESSAGE,
        "text_en": MESSAGE,
        "button_vi": TEXT,
        "button_en": TEXT,
        "button_payload": st.one_of(st.just("/ask_price"), TEXT),
        "when": st.sampled_from(["now", "later", ""]),
        "at": st.one_of(st.sampled_from(["2099-01-01T10:00", "2000-01-01T10:00"]), TEXT),
    },
)
REVIEW_FORM = st.fixed_dictionaries(
    {}, optional={"item": TEXT, "label": st.one_of(st.just("ask_price"), TEXT), "ignore": TEXT}
)
FILE_FORM = st.fixed_dictionaries({"file": TEXT})
ENDPOINT_FORM = st.fixed_dictionaries(
    {},
    optional={
        "url": st.one_of(st.sampled_from(["https://crm.example/x", "http://localhost:1/x"]), TEXT),
        "description": TEXT,
        "events": st.one_of(st.sampled_from(["*", "stage.changed"]), TEXT),
    },
)
ENDPOINT_IDS = st.one_of(st.just("we_0123456789abcdef"), TEXT)


def _endpoint_path(base: str, end: str) -> Callable[[Known], st.SearchStrategy[str]]:
    return lambda known: ENDPOINT_IDS.map(lambda e: f"{base}/{segment(e)}/{end}")


DELIVERY_IDS = st.one_of(st.just("wd_0123456789abcdef0123"), TEXT)
MESSAGE_FORM = st.fixed_dictionaries({}, optional={"message": TEXT})
CUSTOMER = _fields({}, id=HEX32, channel=TEXT, external_id=TEXT, email=TEXT, phone=TEXT)
EVENT = _fields(
    {"event_id": TEXT, "customer": CUSTOMER, "name": TEXT}, properties=JSON, at=TEXT | st.floats()
)
ROUTES: list[Route] = [
    _send("POST", _fixed("/webhooks/rest/webhook"), lambda k: json_body(rest_message(k))),
    _get(st.just("/webhooks/rest/webhook")),
    lambda k: _get(ids(k).map(lambda s: f"/webhooks/rest/outbox/{segment(s)}"))(k),
    _send("POST", _fixed("/webhooks/rest/session"), lambda k: st.just(b"") | json_body(JSON)),
    _get(st.sampled_from(PUBLIC_PAGES)),
    _get(TEXT.map(lambda t: "/" + segment(t))),
    _send("POST", lambda k: st.just(k.telegram_path), _body(telegram_update()), _telegram_secret),
    lambda k: _get(_user_path(k), admin)(k),
    _send(
        "PUT",
        _path(lambda s: f"/api/users/rest/{segment(s)}/stage", ids),
        _body(_fields({"stage": STAGES}, reason=TEXT)),
        admin,
    ),
    _send(
        "POST",
        _path(lambda s: f"/api/users/rest/{segment(s)}/handoff", ids),
        _body(_fields({"by": TEXT}, reason=TEXT)),
        admin,
    ),
    _get(st.just("/api/handoffs"), admin),
    _send(
        "POST",
        _path(lambda u: f"/api/handoffs/{segment(u)}/messages", user_ids),
        _body(_fields({"text": MESSAGE, "author": TEXT})),
        admin,
    ),
    _send(
        "POST",
        _path(lambda u: f"/api/handoffs/{segment(u)}/close", user_ids),
        _body(_fields({}, by=TEXT)),
        admin,
    ),
    _send("POST", _fixed("/api/broadcasts"), _broadcast, admin),
    _send(
        "POST",
        _fixed("/api/events"),
        _body(EVENT | st.fixed_dictionaries({"events": st.lists(EVENT)})),
        admin,
    ),
    _send(
        "POST",
        _fixed("/api/webhooks"),
        _body(_fields({"url": TEXT, "events": st.lists(TEXT)}, secret=TEXT)),
        admin,
    ),
    _get(TEXT.map(lambda t: f"/api/webhooks/{segment(t)}/deliveries"), admin),
    _send(
        "PATCH",
        lambda k: ENDPOINT_IDS.map(lambda e: f"/api/webhooks/{segment(e)}"),
        _body(_fields({"enabled": st.booleans()})),
        admin,
    ),
    *(
        _send(
            "POST",
            _endpoint_path("/api/webhooks", end),
            _body(JSON),
            admin,
        )
        for end in ("rotate", "test")
    ),
    lambda k: _get(user_ids(k).map(lambda u: f"/api/customers/{segment(u)}/export"), admin)(k),
    _send(
        "DELETE",
        _path(lambda u: f"/api/customers/{segment(u)}", user_ids),
        _body(_fields({"by": TEXT})),
        admin,
    ),
    _send(
        "POST",
        _path(lambda t: f"/api/webhooks/deliveries/{segment(t)}/replay", _text),
        _body(JSON),
        admin,
    ),
    _get(TEXT.map(lambda t: f"/api/broadcasts/{segment(t)}"), admin),
    _get(_queries(**{"from": DATES, "to": DATES}).map(lambda q: f"/api/analytics{q}"), admin),
    _get(st.sampled_from(["/api/export/customers.csv", "/api/export/events.csv"]), admin),
    _get(st.sampled_from(CONSOLE_PAGES), console),
    _get(
        _queries(**{"from": DATES, "to": DATES, "lang": TEXT}).map(
            lambda q: f"/console/analytics{q}"
        ),
        console,
    ),
    _get(_queries(a=TEXT, b=TEXT).map(lambda q: f"/console/studio/history{q}"), console),
    _get(TEXT.map(lambda t: f"/console/studio/{segment(t)}"), console),
    lambda k: _get(user_ids(k).map(lambda u: f"/console/inbox/{segment(u)}"), console)(k),
    _send("POST", _fixed("/console/login"), _form(LOGIN_FORM)),
    _send(
        "POST", _fixed("/console/studio/api/save"), lambda k: csrf_form(k, studio_save(k)), console
    ),
    _send(
        "POST",
        _fixed("/console/studio/api/discard"),
        _form(FILE_FORM),
        console,
    ),
    _send(
        "POST",
        _fixed("/console/studio/api/publish"),
        _form(MESSAGE_FORM),
        console,
    ),
    *(
        _send("POST", _fixed(f"/console/studio/api/simulate{end}"), _form(SIMULATE_FORM), console)
        for end in ("", "/customer", "/reset")
    ),
    _send(
        "POST",
        _path(lambda n: f"/console/studio/history/rollback/{segment(n)}", _text),
        _form(MESSAGE_FORM),
        console,
    ),
    _send("POST", _inbox_action, _form(INBOX_FORM), console),
    *(
        _send("POST", _fixed(path), _form(CAMPAIGN_FORM), console)
        for path in ("/console/campaigns", "/console/campaigns/audience")
    ),
    _send("POST", _fixed("/console/review"), _form(REVIEW_FORM), console),
    _get(
        st.one_of(st.sampled_from(["per_stage", "funnel", "time_in_stage", "nps"]), TEXT).map(
            lambda c: f"/console/analytics/{segment(c)}.csv"
        ),
        console,
    ),
    _send(
        "POST",
        _path(lambda n: f"/console/team/{segment(n)}/remove", _text),
        _form(NOTHING),
        console,
    ),
    _send("POST", _fixed("/console/webhooks"), _form(ENDPOINT_FORM), console),
    _get(ENDPOINT_IDS.map(lambda e: f"/console/webhooks/{segment(e)}"), console),
    *(
        _send(
            "POST",
            _endpoint_path("/console/webhooks", end),
            _form(NOTHING),
            console,
        )
        for end in ("rotate", "enable", "disable", "delete", "test")
    ),
    _send(
        "POST",
        lambda k: DELIVERY_IDS.map(lambda d: f"/console/webhooks/deliveries/{segment(d)}/replay"),
        _form(NOTHING),
        console,
    ),
]


def any_request(known: Known) -> st.SearchStrategy[Request]:
    """A request to any route."""
    return st.integers(0, len(ROUTES) - 1).flatmap(lambda i: ROUTES[i](known))
