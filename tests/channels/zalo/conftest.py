"""Fixtures of the Zalo tests: the fake OA API, token managers and a sender."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from redis.asyncio import Redis

from bot.channels.shared.pacing import Backoff, Pacing, Rates
from bot.channels.zalo.oauth import ZaloOAuth
from bot.channels.zalo.sender import ZaloSender
from bot.channels.zalo.tokens import ZaloTokens
from bot.store.keys import Keys
from tests.channels.conftest import Sleeps
from tests.fakes.clock import Clock
from tests.fakes.zalo_events import APP_ID, APP_SECRET
from tests.fakes.zalo_server import FakeZalo

FAST = Rates(overall_per_second=1000, recipient_per_second=1000)

TokensFactory = Callable[..., ZaloTokens]


@pytest.fixture
async def zalo(clock: Clock) -> AsyncIterator[FakeZalo]:
    async with FakeZalo(clock=clock) as server:
        yield server


@pytest.fixture
def keys(prefix: str) -> Keys:
    return Keys(prefix)


@pytest.fixture
def make_tokens(
    zalo: FakeZalo, http: httpx.AsyncClient, redis: Redis, keys: Keys, clock: Clock
) -> TokensFactory:
    """A token manager (one per replica); seeds default to a fresh pair from the fake."""
    seed = zalo.issue()

    def make(
        seed_access: str | None = seed[0], seed_refresh: str | None = seed[1], **options: float
    ) -> ZaloTokens:
        oauth = ZaloOAuth(http, base=zalo.base, app_id=APP_ID, app_secret=APP_SECRET)
        return ZaloTokens(
            redis,
            keys,
            oauth,
            seed_access=seed_access,
            seed_refresh=seed_refresh,
            clock=clock,
            **options,
        )

    return make


@pytest.fixture
def sender(
    zalo: FakeZalo, http: httpx.AsyncClient, make_tokens: TokensFactory, sleeps: Sleeps
) -> ZaloSender:
    return ZaloSender(
        http,
        make_tokens(),
        api_base=zalo.base,
        pacing=Pacing(FAST),
        backoff=Backoff(attempts=4, base=0.5),
        sleep=sleeps,
    )
