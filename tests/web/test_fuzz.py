"""Property: no request, however malformed, gets a 5xx; a refused one creates no customer.

Hypothesis draws whole HTTP requests to every route (`fuzz_routes.py`) and sends them
over real sockets to the bot served as `bot run` serves it. `FUZZ_EXAMPLES` sets how
many (default 200, 20 to 40 s here); the one-off run in docs/security.md used 10,000.
"""

from __future__ import annotations

import http.client
import os
import re
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import SecretStr

from bot.channels.telegram.channel import webhook_secret
from bot.config import Settings
from bot.console.accounts import Role
from bot.inbound import Inbound
from bot.policies.source import POLICY_FILES
from bot.store.keys import Keys
from bot.wiring import Components
from tests.conftest import ADMIN_TOKEN, REDIS_URL, ROOT
from tests.web.fuzz_requests import Known, Request
from tests.web.fuzz_routes import any_request
from tests.web.live import LiveBot

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
PASSWORD = "fuzzing password 1"
SENDER = "known customer/Nguyễn {1}"
TELEGRAM_PATH = "/webhooks/telegram"
SEEN: Counter[str] = Counter()


async def _prepare(components: Components) -> None:
    await components.accounts.add("boss", Role.ADMIN, PASSWORD, by="fuzz")
    await components.engine.handle(Inbound("rest", SENDER, "/request_human", locale="en"))


def _settings(tmp: Path) -> Settings:
    return Settings(
        _env_file=None,
        redis_url=REDIS_URL,
        redis_prefix=f"test:{uuid.uuid4().hex[:12]}",
        data_dir=tmp / "data",
        admin_token=SecretStr(ADMIN_TOKEN),
        policies_dir=ROOT / "stage_policies",
        nlu_enabled=False,
        telegram_bot_token=SecretStr("123456:" + "A" * 35),
        telegram_webhook_url=f"https://bot.example{TELEGRAM_PATH}",
        telegram_api_base="http://127.0.0.1:9",  # never called: the channel is not started
        http_body_timeout_seconds=2,
    )


def _login(port: int) -> tuple[str, str]:
    form = _send(port, Request("GET", "/console/login"))[1]
    token = re.search(r'name="csrf" value="([^"]+)"', form)
    assert token
    cookie = f"engagebot_login_csrf={token.group(1)}"
    body = f"name=boss&password={PASSWORD.replace(' ', '+')}&csrf={token.group(1)}".encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            "POST",
            "/console/login",
            body,
            {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )
        response = connection.getresponse()
        session = re.search(r"engagebot_console=([^;]+)", response.getheader("Set-Cookie") or "")
    finally:
        connection.close()
    assert response.status == 302 and session
    page = _send(
        port, Request("GET", "/console/team", {"Cookie": f"engagebot_console={session.group(1)}"})
    )[1]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf
    return session.group(1), csrf.group(1)


def _send(port: int, request: Request) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(request.method, request.path, request.body, request.headers)
        response = connection.getresponse()
        if response.getheader("Content-Type", "").startswith("text/event-stream"):
            return response.status, ""  # an open stream: the status is what counts
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveBot, Known]]:
    settings = _settings(tmp_path_factory.mktemp("fuzz"))
    with LiveBot(settings, REDIS_URL, _prepare) as bot:
        assert bot.components is not None
        user_id = bot.run(bot.components.users.find_id("rest", SENDER))
        assert user_id is not None
        cookie, csrf = _login(bot.port)
        known = Known(
            sender=SENDER,
            user_id=user_id,
            cookie=cookie,
            csrf=csrf,
            admin_token=ADMIN_TOKEN,
            telegram_path=TELEGRAM_PATH,
            telegram_secret=webhook_secret(settings),
            policy_files={n: (ROOT / "stage_policies" / n).read_text() for n in POLICY_FILES},
        )
        yield bot, known


@settings(
    max_examples=EXAMPLES,
    deadline=None,  # a loaded machine makes single requests slow; the count bounds the time
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_no_request_gets_a_server_error(live: tuple[LiveBot, Known], data: st.DataObject) -> None:
    bot, known = live
    request = data.draw(any_request(known))
    customers = redis.Redis.from_url(REDIS_URL)
    users_key = Keys(bot.settings.redis_prefix).all_users()
    try:
        before = customers.scard(users_key)
        status, body = _send(bot.port, request)
        after = customers.scard(users_key)
    finally:
        customers.close()
    SEEN[f"{status // 100}xx"] += 1
    assert status < 500, f"{request.method} {request.path} -> {status}: {body[:300]}"
    if status >= 400:
        assert after == before, f"refused {request.method} {request.path} created a customer"


def test_fuzz_figures(live: tuple[LiveBot, Known]) -> None:
    """Runs after the property: prints what was tried (`pytest -s` shows it)."""
    started = time.monotonic()
    print(f"\nfuzz: {sum(SEEN.values())} requests, by class {dict(sorted(SEEN.items()))}")
    assert SEEN["5xx"] == 0
    assert time.monotonic() - started < 1
