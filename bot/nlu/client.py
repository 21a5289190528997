"""The Rasa client the turn engine uses: `await client.parse(text)`.

Every text is folded by `normalise` (as the training data was), then sent to
`POST /model/parse` of one of the configured servers, round-robin. Each server has a
circuit breaker, so a dead Rasa answers `NluUnavailable` at once instead of costing a
timeout per message, and recovers by itself: after a cool-down one message probes it.
Parses are cached by (model fingerprint, normalised text); the fingerprint comes from
`GET /status` and is refreshed periodically and whenever a server recovers, so a new
model never serves an old model's parse.
Text without a single word the training data knows (keyboard mashing) is answered
`nlu_fallback` by the vocabulary guard before any server is asked (`bot.nlu.vocabulary`).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.config import Settings
from bot.errors import NluUnavailable
from bot.nlu.breaker import BreakerState, CircuitBreaker
from bot.nlu.normalise import normalise
from bot.nlu.parse import FALLBACK_INTENT, Entity, EntityValue, Parse
from bot.nlu.parse_cache import ParseCache
from bot.nlu.vocabulary import knows_any_word, load_vocabulary

log = logging.getLogger(__name__)

# A refused or dropped connection (a restarted server, a stale pooled connection) is
# worth one immediate retry; a timeout is not: it would cost the timeout twice.
_RETRIED = (httpx.NetworkError, httpx.RemoteProtocolError)


class _ServerFailed(Exception):
    """One server could not answer one call (already counted by its breaker)."""


@dataclass(slots=True)
class _Server:
    url: str
    breaker: CircuitBreaker
    model: str | None = None
    model_checked_at: float = field(default=float("-inf"))


def rasa_urls(settings: Settings) -> list[str]:
    """Split RASA_URL (comma-separated) into server URLs without trailing slashes."""
    raw = settings.rasa_url or ""
    return [url.strip().rstrip("/") for url in raw.split(",") if url.strip()]


def _entity_value(value: object) -> EntityValue:
    return value if isinstance(value, str | int | float | bool) else str(value)


def parse_from_rasa(data: Any) -> Parse:
    """Turn Rasa's `/model/parse` JSON into a `Parse`.

    Raises:
        ValueError: the JSON does not have the shape Rasa answers with.

    """
    if not isinstance(data, dict):
        raise ValueError("the parse is not a JSON object")
    intent = data.get("intent") or {}
    name = intent.get("name") or FALLBACK_INTENT
    entities = tuple(
        Entity(str(e["entity"]), _entity_value(e["value"]))
        for e in data.get("entities") or ()
        if "entity" in e and "value" in e
    )
    ranking = tuple(
        (str(r["name"]), float(r["confidence"]))
        for r in data.get("intent_ranking") or ()
        if "name" in r and "confidence" in r
    )
    return Parse(str(name), float(intent.get("confidence") or 0.0), entities, ranking)


class RasaClient:
    """Parses customer texts with one or more Rasa servers; see the module docstring."""

    def __init__(
        self,
        urls: Sequence[str],
        token: str | None,
        http: httpx.AsyncClient,
        *,
        timeout_seconds: float = 3.0,
        cache_size: int = 4096,
        failure_threshold: int = 3,
        cooldown_seconds: float = 5.0,
        model_check_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        vocabulary: frozenset[str] | None = None,
    ) -> None:
        """Create the client; it owns no connection: `http` is shared and closed by the caller.

        Args:
            urls: base URLs of the Rasa servers, e.g. `["http://127.0.0.1:5005"]`.
            token: Rasa's `--auth-token`, or None when the servers have none.
            http: the bot's one shared `httpx.AsyncClient`.
            timeout_seconds: the limit of one request (connect, read, write, pool).
            cache_size: parses kept (least recently used evicted); 0 disables the cache.
            failure_threshold: consecutive failures that open a server's circuit.
            cooldown_seconds: how long an open circuit refuses calls before a probe.
            model_check_seconds: how often each server's model fingerprint is re-read.
            clock: monotonic seconds; tests pass a fake one.
            vocabulary: the folded words of the training data (`load_vocabulary`); a
                text with none of them is `nlu_fallback` without asking a server.
                None switches the guard off.

        """
        if not urls:
            raise ValueError("RasaClient needs at least one server URL")
        self._servers = [
            _Server(url.rstrip("/"), CircuitBreaker(failure_threshold, cooldown_seconds, clock))
            for url in urls
        ]
        self._params = {"token": token} if token else {}
        self._http = http
        self._timeout = httpx.Timeout(timeout_seconds)
        self._cache = ParseCache(cache_size)
        self._model_check_seconds = model_check_seconds
        self._clock = clock
        self._turn = itertools.count()
        self._vocabulary = vocabulary

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        http: httpx.AsyncClient,
        *,
        urls: Sequence[str] | None = None,
        token: str | None = None,
    ) -> RasaClient:
        """Build a client configured from `settings`.

        Args:
            settings: gives RASA_URL, RASA_TOKEN, NLU_TIMEOUT_SECONDS, NLU_CACHE_SIZE
                and NLU_DIR (whose training data gives the guard's vocabulary).
            http: the shared `httpx.AsyncClient`.
            urls: overrides RASA_URL, e.g. with the `url` of a server started by
                `rasa_server`.
            token: overrides RASA_TOKEN, e.g. with that server's `token`.

        """
        if token is None and settings.rasa_token is not None:
            token = settings.rasa_token.get_secret_value()
        return cls(
            list(urls) if urls is not None else rasa_urls(settings),
            token,
            http,
            timeout_seconds=settings.nlu_timeout_seconds,
            cache_size=settings.nlu_cache_size,
            vocabulary=load_vocabulary(settings.nlu_dir),
        )

    async def parse(self, text: str) -> Parse:
        """Understand the customer's `text` (folded by `normalise` first).

        Raises:
            NluUnavailable: no server can answer (down, failing, or its circuit is open).

        """
        folded = normalise(text)
        if not folded:
            return Parse(FALLBACK_INTENT, 0.0)
        if self._vocabulary is not None and not knows_any_word(folded, self._vocabulary):
            return Parse(FALLBACK_INTENT, 0.0)
        start = next(self._turn)
        count = len(self._servers)
        for offset in range(count):
            server = self._servers[(start + offset) % count]
            if not server.breaker.allow():
                continue
            try:
                return await self._parse_on(server, folded)
            except _ServerFailed:
                continue
        raise NluUnavailable("no NLU server can answer right now")

    async def _parse_on(self, server: _Server, folded: str) -> Parse:
        # A recovering server may have come back with another model: re-read it first.
        stale = self._clock() - server.model_checked_at >= self._model_check_seconds
        if server.model is None or stale or server.breaker.state is not BreakerState.CLOSED:
            await self._refresh_model(server)
        key = (server.model or "", folded)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        response = await self._call(server, "POST", "/model/parse", {"text": folded})
        try:
            parse = parse_from_rasa(response.json())
        except (ValueError, TypeError, KeyError) as exc:
            self._failed(server, f"unreadable parse: {exc}")
            raise _ServerFailed from exc
        self._cache.put(key, parse)
        return parse

    async def _refresh_model(self, server: _Server) -> None:
        response = await self._call(server, "GET", "/status", None)
        try:
            status = response.json()
            model = f"{status.get('model_id') or status.get('fingerprint')}|{status['model_file']}"
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            self._failed(server, f"unreadable status: {exc}")
            raise _ServerFailed from exc
        if server.model is not None and model != server.model:
            log.info("NLU server %s has a new model: %s", server.url, model)
        server.model = model
        server.model_checked_at = self._clock()

    async def _call(
        self, server: _Server, method: str, path: str, body: dict[str, str] | None
    ) -> httpx.Response:
        url = f"{server.url}{path}"
        for attempt in range(2):
            try:
                response = await self._http.request(
                    method, url, params=self._params, json=body, timeout=self._timeout
                )
            except _RETRIED as exc:
                if attempt == 0:
                    continue
                self._failed(server, f"{type(exc).__name__}: {exc}")
                raise _ServerFailed from exc
            except httpx.HTTPError as exc:
                self._failed(server, f"{type(exc).__name__}: {exc}")
                raise _ServerFailed from exc
            if response.status_code != httpx.codes.OK:
                # 409: no model loaded; 401/403: wrong token; 5xx: broken. None will
                # get better by retrying this message.
                self._failed(server, f"HTTP {response.status_code} on {path}")
                raise _ServerFailed
            if server.breaker.state is not BreakerState.CLOSED:
                log.info("NLU server %s answers again", server.url)
            server.breaker.record_success()
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _failed(self, server: _Server, reason: str) -> None:
        was_closed = server.breaker.state is BreakerState.CLOSED
        server.breaker.record_failure()
        if was_closed and server.breaker.state is not BreakerState.CLOSED:
            log.warning("NLU server %s is down (%s); its circuit is open", server.url, reason)
        else:
            log.debug("NLU server %s failed: %s", server.url, reason)

    async def check(self) -> bool:
        """Probe every server now (`GET /status`), whatever its circuit says.

        A server that answers closes its circuit; one that does not counts a failure.

        Returns:
            Whether at least one server answers.

        """

        async def probe(server: _Server) -> bool:
            try:
                await self._refresh_model(server)
            except _ServerFailed:
                return False
            return True

        return any(await asyncio.gather(*(probe(s) for s in self._servers)))

    def health(self) -> dict[str, Any]:
        """Report the state for `/healthz`, without probing (see `check`).

        Returns:
            `{"state": "up" | "degraded" | "down", "servers": [...], "cache": {...}}`:
            up when every server's circuit is closed, down when none is, degraded between.

        """
        servers = [
            {
                "url": s.url,
                "circuit": s.breaker.state.value,
                "consecutive_failures": s.breaker.consecutive_failures,
                "model": s.model,
            }
            for s in self._servers
        ]
        closed = sum(1 for s in self._servers if s.breaker.state is BreakerState.CLOSED)
        state = "up" if closed == len(servers) else "down" if closed == 0 else "degraded"
        cache = {"size": len(self._cache), "hits": self._cache.hits, "misses": self._cache.misses}
        return {"state": state, "servers": servers, "cache": cache}
