"""Each bad input the testers found answers a 4xx (or the fallback reply), writes nothing.

Issue 16's examples, one test each, plus the id rule's round trips and the last-resort
answer to a defect (a logged 500 with the request id, in the JSON shape).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.console.accounts import Role
from bot.web.app import build_app
from bot.wiring import Components
from tests.conftest import Chat, admin_headers

WEBHOOK = "/webhooks/rest/webhook"
PASSWORD = "correct horse battery"


async def post_raw(client: TestClient[Any, Any], body: bytes, content_type: str) -> Any:
    return await client.post(WEBHOOK, data=body, headers={"Content-Type": content_type})


BAD_BODIES = [
        (b'{"sender": "s1", "message": "hi \\ud800"}', "application/json", 400),
        (b'{"sender": "s1\\udfff", "message": "hi"}', "application/json", 400),
        (b"[" * 1000 + b"]" * 1000, "application/json", 400),
        (b'{"sender": "s1", "message": "hi", "metadata": ' + b"[" * 900 + b"]" * 900 + b"}",
         "application/json", 400),
        (b'{"sender": "s1", "message": "hi"}', "application/json; charset=nonexistent", 415),
        (b'{"sender": "s1", "message": "hi"}', "application/json; charset=latin-1", 415),
        (b'{"sender": "s1", "message": NaN}', "application/json", 400),
        (b'{"sender": 1e999, "message": "hi"}', "application/json", 400),
        (b'{"sender": "s1", "message": "\xff"}', "application/json", 400),
        (b'{"sender": "s1", "message": "hi", "message_id": 99999999999999999999}',
         "application/json", 400),
        (b'{"sender": "\\u202eevil", "message": "hi"}', "application/json", 422),
        (b'{"sender": "..", "message": "hi"}', "application/json", 422),
]  # fmt: skip


async def test_bad_bodies_are_refused_and_claim_no_customer(
    client: TestClient[Any, Any], services: Components
) -> None:
    for body, content_type, status in BAD_BODIES:
        response = await post_raw(client, body, content_type)
        assert response.status == status, body[:60]
        assert response.content_type == "application/json"
        assert (await response.json())["error"]["message"]
        assert response.headers["X-Request-Id"]
    assert await services.users.count() == 0  # no identity claimed, no customer
    assert await services.users.find_id("rest", "s1") is None


PAYLOADS = [
    '/nps{"score": 1e999}',
    '/nps{"score": NaN}',
    '/nps{"score": 99999999999999999999}',
    "/greet" + '{"a":' * 600 + "1" + "}" * 600,
    '/nps{"score": -1e400}',
]


async def test_payloads_with_impossible_numbers_or_depth_get_the_fallback(
    client: TestClient[Any, Any],
) -> None:
    for n, payload in enumerate(PAYLOADS):
        chat = Chat(client, f"customer {n}")
        await chat.send("/greet", metadata={"locale": "en"})
        texts = await chat.texts(payload)
        assert texts and texts[0].startswith("Sorry"), payload[:40]
        assert "nps" not in await chat.state()


async def test_huge_or_odd_limits_and_dates_are_422(client: TestClient[Any, Any]) -> None:
    await Chat(client, "an").send("/greet")
    for limit in ("²", "99999999999999999999", "0", "-1", "1.5", "٣"):
        response = await client.get(
            f"/api/users/rest/an/transcript?limit={quote(limit)}", headers=admin_headers()
        )
        assert response.status == 422, limit
        assert (await response.json())["error"]["field"] == "limit"
    ok = await client.get("/api/users/rest/an/transcript?limit=1", headers=admin_headers())
    assert ok.status == 200 and len((await ok.json())["messages"]) == 1
    for query in ("to=9999-12-31", "from=0001-01-01", "from=2026-02-30", "to=%FF"):
        response = await client.get(f"/api/analytics?{query}", headers=admin_headers())
        assert response.status == 422, query


SENDERS = [
    "a/b",
    "100%",
    "Nguyễn Văn Ánh",
    "{x}",
    "with space",
    "a?b#c",
    "%2F",
    "e\u0301",
    "+84 90",
]


async def test_every_accepted_sender_is_reachable_on_every_route(
    client: TestClient[Any, Any],
) -> None:
    for sender in SENDERS:
        await _reachable(client, sender)


async def _reachable(client: TestClient[Any, Any], sender: str) -> None:
    replies = await Chat(client, sender).send("/request_human", metadata={"locale": "en"})
    normal = replies[0]["recipient_id"]  # NFC: "e\u0301" is kept as "é"
    path = quote(normal, safe="")
    user = await client.get(f"/api/users/rest/{path}", headers=admin_headers())
    assert user.status == 200
    user_id = (await user.json())["user_id"]
    assert (
        await client.get(f"/api/users/rest/{quote(sender, safe='')}", headers=admin_headers())
    ).status == 200
    reply = await client.post(
        f"/api/handoffs/{user_id}/messages",
        json={"text": "hello", "author": "lan"},
        headers=admin_headers(),
    )
    assert reply.status == 200
    outbox = await client.get(f"/webhooks/rest/outbox/{path}")
    assert [m["text"] for m in await outbox.json()] == ["hello"]
    moved = await client.put(
        f"/api/users/rest/{path}/stage", json={"stage": "retention"}, headers=admin_headers()
    )
    assert moved.status == 200
    closed = await client.post(
        f"/api/handoffs/{user_id}/close", json={"by": "lan"}, headers=admin_headers()
    )
    assert closed.status == 200


async def test_unknown_ids_in_paths_are_404(client: TestClient[Any, Any]) -> None:
    for method, path in [
        ("GET", "/api/users/rest/nobody"),
        ("GET", "/api/users/REST/x"),
        ("GET", "/api/users/rest/%E2%80%AE"),
        ("POST", "/api/handoffs/" + "0" * 32 + "/close"),
        ("POST", "/api/handoffs/not-an-id/close"),
        ("GET", "/api/broadcasts/abc"),
        ("GET", "/webhooks/rest/outbox/%E2%80%AE"),
    ]:
        response = await client.request(method, path, json={}, headers=admin_headers())
        assert response.status == 404, path
        assert (await response.json())["error"]["message"], path


@pytest.fixture
async def staff(services: Components) -> AsyncIterator[tuple[TestClient[Any, Any], str]]:
    await services.accounts.add("boss", Role.ADMIN, PASSWORD, by="test")
    await services.follower.seed(services.settings.policies_dir)
    async with TestClient(TestServer(build_app(services))) as client:
        form = await (await client.get("/console/login")).text()
        token = re.search(r'name="csrf" value="([^"]+)"', form)
        assert token
        data = {"name": "boss", "password": PASSWORD, "csrf": token.group(1)}
        assert (await client.post("/console/login", data=data, allow_redirects=False)).status == 302
        page = await (await client.get("/console/team")).text()
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf
        yield client, csrf.group(1)


async def test_console_refusals_are_pages_in_the_visitors_language(
    staff: tuple[TestClient[Any, Any], str], services: Components
) -> None:
    client, csrf = staff
    unknown = "0" * 32
    stage = await client.post(
        f"/console/inbox/{unknown}/stage?lang=en", data={"csrf": csrf, "stage": "retention"}
    )
    assert stage.status == 404
    html = await stage.text()
    assert "No such page or customer." in html and 'href="/console?lang=en"' in html
    vi = await client.post(f"/console/inbox/{unknown}/stage", data={"csrf": csrf})
    assert vi.status == 404 and "Không tìm thấy" in await vi.text()
    assert (await client.post("/console/inbox/abc/stage", data={"csrf": csrf})).status == 404
    rollback = await client.post(
        "/console/studio/history/rollback/abc", data={"csrf": csrf, "message": "x"}
    )
    assert rollback.status == 404
    raw = f"csrf={csrf}&text=%FF%FE".encode()
    bad_form = await client.post(
        "/console/inbox",
        data=raw,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert bad_form.status in (400, 405)
    not_utf8 = await client.post(
        "/console/studio/history/rollback/1?lang=en",
        data=b"csrf=" + csrf.encode() + b"&x=\xff",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert not_utf8.status == 400 and "not UTF-8" in await not_utf8.text()
    koi8 = await client.post(
        "/console/studio/history/rollback/1",
        data=f"csrf={csrf}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=koi8-r"},
    )
    assert koi8.status == 415
    assert await services.users.count() == 0
    long_reply = await client.post(
        f"/console/inbox/{unknown}/reply", data={"csrf": csrf, "text": "a" * 5000}
    )
    assert long_reply.status == 422


async def test_the_studio_refuses_unknown_stages_long_messages_and_yaml_bombs(
    staff: tuple[TestClient[Any, Any], str], services: Components
) -> None:
    client, csrf = staff
    await services.follower.seed(services.settings.policies_dir)
    simulate = await client.post(
        "/console/studio/api/simulate?lang=en",
        data={"csrf": csrf, "stage": "heaven", "message": "hi", "source": "live"},
    )
    assert simulate.status == 400 and "heaven" in (await simulate.json())["error"]["message"]
    long_line = await client.post(
        "/console/studio/api/simulate?lang=en",
        data={"csrf": csrf, "message": "a" * 5000, "source": "live"},
    )
    assert long_line.status == 400
    for bomb in ("- " * 900, "a: &a [1, 2]\nb: [*a, *a]", "{" * 5000):
        answer = await client.post(
            "/console/studio/api/save?lang=en",
            data={"csrf": csrf, "file": "awareness.yml", "yaml": bomb},
        )
        assert answer.status < 500
        problems = (await answer.json()).get("problems", [])
        assert answer.status == 409 or any(p["severity"] == "error" for p in problems), problems


async def test_a_defect_is_a_logged_500_in_the_json_shape(
    services: Components, caplog: pytest.LogCaptureFixture
) -> None:
    app = build_app(services)

    async def broken(request: web.Request) -> web.Response:
        raise RuntimeError("a bug")

    app.router.add_get("/broken", broken)
    async with TestClient(TestServer(app)) as client:
        with caplog.at_level(logging.ERROR, logger="bot.web.errors"):
            response = await client.get("/broken", headers={"X-Request-Id": "req-42"})
        assert response.status == 500
        body = await response.json()
        assert body["error"]["request_id"] == "req-42" == response.headers["X-Request-Id"]
        assert "a bug" not in json.dumps(body)  # no internals leak
        assert any("req-42" in r.getMessage() and r.exc_info for r in caplog.records)
