from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.config import Settings
from bot.errors import NluUnavailable
from bot.nlu import Nlu, RasaClient
from bot.nlu.client import parse_from_rasa, rasa_urls
from bot.nlu.parse import FALLBACK_INTENT, Entity, Parse
from tests.fakes.clock import Clock

from .fake_rasa import FakeRasa, transport

A = "http://a.test:5005"
B = "http://b.test:5005"


@pytest.fixture
def rasa_a() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def rasa_b() -> FakeRasa:
    return FakeRasa(intent="thank")


@pytest.fixture
async def http(rasa_a: FakeRasa, rasa_b: FakeRasa) -> AsyncIterator[httpx.AsyncClient]:
    servers = {"a.test:5005": rasa_a, "b.test:5005": rasa_b}
    async with httpx.AsyncClient(transport=transport(servers)) as client:
        yield client


def make(http: httpx.AsyncClient, clock: Clock, *urls: str, **options: float) -> RasaClient:
    return RasaClient(
        list(urls) or [A],
        "secret",
        http,
        clock=clock,
        failure_threshold=int(options.pop("failure_threshold", 2)),
        cooldown_seconds=options.pop("cooldown_seconds", 5.0),
        model_check_seconds=options.pop("model_check_seconds", 30.0),
    )


def test_rasa_client_is_an_nlu(http: httpx.AsyncClient, clock: Clock) -> None:
    nlu: Nlu = make(http, clock)
    assert nlu.health()["state"] == "up"


async def test_parse_sends_normalised_text_with_token(
    http: httpx.AsyncClient, clock: Clock, rasa_a: FakeRasa
) -> None:
    parse = await make(http, clock).parse("  Gói  PRO giá bn vậy Ad? ")
    assert parse == Parse("greet", 0.9, (Entity("plan", "pro"),), (("greet", 0.9), ("thank", 0.1)))
    request = rasa_a.requests[-1]
    assert request.url.path == "/model/parse"
    assert request.url.params["token"] == "secret"
    assert json.loads(request.content) == {"text": "goi pro gia bao nhieu vay admin?"}


async def test_empty_text_is_fallback_without_a_request(
    http: httpx.AsyncClient, clock: Clock, rasa_a: FakeRasa
) -> None:
    assert (await make(http, clock).parse("   ")).intent == FALLBACK_INTENT
    assert rasa_a.requests == []


async def test_cache_is_keyed_by_normalised_text(
    http: httpx.AsyncClient, clock: Clock, rasa_a: FakeRasa
) -> None:
    client = make(http, clock)
    first = await client.parse("Được không")
    assert await client.parse("dc ko") == first
    assert await client.parse("ĐƯỢC KHÔNG") == first
    assert rasa_a.paths() == ["/status", "/model/parse"]
    assert client.health()["cache"] == {"size": 1, "hits": 2, "misses": 1}


async def test_new_model_fingerprint_invalidates_the_cache(
    http: httpx.AsyncClient, clock: Clock, rasa_a: FakeRasa
) -> None:
    client = make(http, clock, model_check_seconds=30.0)
    assert (await client.parse("hello")).intent == "greet"
    rasa_a.model_id, rasa_a.intent = "model-b", "thank"
    clock.now += 10  # fingerprint still fresh: the cached parse is served
    assert (await client.parse("hello")).intent == "greet"
    clock.now += 25  # re-read: a new model, so the old parse must not be served
    assert (await client.parse("hello")).intent == "thank"
    assert rasa_a.paths() == ["/status", "/model/parse", "/status", "/model/parse"]
    assert client.health()["servers"][0]["model"] == "model-b|model-b.tar.gz"


async def test_cache_size_zero_disables_it(
    http: httpx.AsyncClient, clock: Clock, rasa_a: FakeRasa
) -> None:
    client = RasaClient([A], None, http, cache_size=0, clock=clock)
    await client.parse("hello")
    await client.parse("hello")
    assert rasa_a.paths().count("/model/parse") == 2
    assert "token" not in rasa_a.requests[-1].url.params


async def test_connection_error_is_retried_once(clock: Clock) -> None:
    fake = FakeRasa()
    failures = [httpx.RemoteProtocolError("server disconnected")]

    def flaky(request: httpx.Request) -> httpx.Response:
        if failures:
            raise failures.pop()
        return fake(request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(flaky)) as http:
        client = make(http, clock)
        assert (await client.parse("hello")).intent == "greet"
        assert client.health()["servers"][0]["consecutive_failures"] == 0


async def test_timeout_is_not_retried(clock: Clock) -> None:
    calls: list[str] = []

    def slow(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        raise httpx.ReadTimeout("timed out", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(slow)) as http:
        with pytest.raises(NluUnavailable):
            await make(http, clock).parse("hello")
    assert calls == ["/status"]


async def test_open_circuit_fails_fast_and_recovers_by_itself(
    http: httpx.AsyncClient, clock: Clock, rasa_a: FakeRasa
) -> None:
    client = make(http, clock, failure_threshold=2, cooldown_seconds=5.0)
    await client.parse("hello")
    rasa_a.down = True
    clock.now += 60  # the fingerprint is due, so each parse calls the server
    for text in ("one", "two"):
        with pytest.raises(NluUnavailable):
            await client.parse(text)
    assert client.health()["state"] == "down"
    calls = len(rasa_a.requests)
    for text in ("three", "four", "hello"):
        with pytest.raises(NluUnavailable):
            await client.parse(text)
    assert len(rasa_a.requests) == calls  # open: no request at all, not even cached ones

    rasa_a.down = False
    clock.now += 5
    assert (await client.parse("five")).intent == "greet"
    assert rasa_a.paths()[calls:] == ["/status", "/model/parse"]  # the probe re-reads the model
    assert client.health()["state"] == "up"


async def test_http_errors_count_as_failures(
    http: httpx.AsyncClient, clock: Clock, rasa_a: FakeRasa
) -> None:
    rasa_a.status = 401  # wrong token
    client = make(http, clock, failure_threshold=1)
    with pytest.raises(NluUnavailable):
        await client.parse("hello")
    assert client.health()["servers"][0]["circuit"] == "open"


async def test_round_robin_and_failover(
    http: httpx.AsyncClient, clock: Clock, rasa_a: FakeRasa, rasa_b: FakeRasa
) -> None:
    client = make(http, clock, A, B)
    intents = [(await client.parse(f"text {i}")).intent for i in range(4)]
    assert intents == ["greet", "thank", "greet", "thank"]

    rasa_a.down = True
    clock.now += 60
    intents = [(await client.parse(f"more {i}")).intent for i in range(4)]
    assert intents == ["thank"] * 4  # A's failures fall over to B within the same parse
    health = client.health()
    assert health["state"] == "degraded"
    assert [s["circuit"] for s in health["servers"]] == ["open", "closed"]


async def test_check_probes_every_server(
    http: httpx.AsyncClient, clock: Clock, rasa_a: FakeRasa, rasa_b: FakeRasa
) -> None:
    client = make(http, clock, A, B, failure_threshold=1)
    rasa_a.down = rasa_b.down = True
    assert not await client.check()
    assert client.health()["state"] == "down"
    rasa_b.down = False
    assert await client.check()  # even with its circuit open
    assert client.health()["state"] == "degraded"


def test_from_settings(http: httpx.AsyncClient) -> None:
    settings = Settings(
        _env_file=None,
        rasa_url="http://a.test:5005/, http://b.test:5005",
        rasa_token="tok",
    )
    assert rasa_urls(settings) == [A, B]
    client = RasaClient.from_settings(settings, http)
    assert [s["url"] for s in client.health()["servers"]] == [A, B]
    override = RasaClient.from_settings(settings, http, urls=["http://c.test:1"], token="x")
    assert [s["url"] for s in override.health()["servers"]] == ["http://c.test:1"]


def test_from_settings_needs_a_url(http: httpx.AsyncClient) -> None:
    settings = Settings(_env_file=None, rasa_url=None)
    with pytest.raises(ValueError, match="at least one server URL"):
        RasaClient.from_settings(settings, http)


def test_parse_from_rasa_without_intent() -> None:
    parse = parse_from_rasa({"text": "", "intent": None, "entities": []})
    assert parse == Parse(FALLBACK_INTENT, 0.0)
    with pytest.raises(ValueError, match="not a JSON object"):
        parse_from_rasa([])


async def test_text_without_known_words_is_fallback_without_asking_rasa(
    http: httpx.AsyncClient, clock: Clock, rasa_a: FakeRasa
) -> None:
    client = RasaClient([A], None, http, clock=clock, vocabulary=frozenset({"gia", "goi"}))
    assert await client.parse("xjqz vbnm plokk wq") == Parse(FALLBACK_INTENT, 0.0)
    assert rasa_a.paths() == []
    assert (await client.parse("Giá gói?")).intent == "greet"  # the fake's answer
    assert rasa_a.paths()[-1] == "/model/parse"


async def test_from_settings_guards_with_the_projects_vocabulary(
    http: httpx.AsyncClient, rasa_a: FakeRasa, tmp_path: Path
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "nlu.yml").write_text(
        "nlu:\n- intent: ask_price\n  examples: |\n    - Giá gói bn?\n"
    )
    settings = Settings(_env_file=None, rasa_url=A, nlu_dir=tmp_path)
    client = RasaClient.from_settings(settings, http)
    assert (await client.parse("plokk wq")).intent == FALLBACK_INTENT
    assert rasa_a.paths() == []
    assert (await client.parse("giá bao nhiêu")).intent == "greet"
