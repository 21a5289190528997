"""The access token: renewed before it expires, once for all replicas, and after a rejection."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from redis.asyncio import Redis

from bot.channels.zalo.oauth import ZaloAuthError, ZaloOAuth
from bot.store.keys import Keys
from tests.channels.zalo.conftest import TokensFactory
from tests.fakes.clock import Clock
from tests.fakes.zalo_events import APP_ID, APP_SECRET
from tests.fakes.zalo_server import FakeZalo


async def test_a_token_is_renewed_before_it_expires(
    zalo: FakeZalo, make_tokens: TokensFactory, clock: Clock, redis: Redis, keys: Keys
) -> None:
    tokens = make_tokens(margin=600)
    seeded = await tokens.access_token()
    renewed = await tokens.renew(seeded)  # the seeded token's expiry is unknown: learn it
    assert renewed != seeded and zalo.refreshes == 1
    clock.advance(90000 - 601)
    assert await tokens.access_token() == renewed  # still 601 s left: no renewal
    clock.advance(2)
    fresh = await tokens.access_token()  # 599 s left: renewed before it runs out
    assert fresh not in (seeded, renewed) and zalo.refreshes == 2
    stored = await redis.hgetall(keys.zalo("token"))  # type: ignore[misc]
    assert stored["access"] == fresh
    assert float(stored["expires_at"]) == pytest.approx(clock.now + 90000)


async def test_two_replicas_renew_once_and_share_the_new_token(
    zalo: FakeZalo, make_tokens: TokensFactory, clock: Clock
) -> None:
    first, second = make_tokens(), make_tokens()
    await first.renew(await first.access_token())
    clock.advance(90000)  # both now see an expiring token at the same moment
    zalo.refresh_delay = 0.3  # the renewal is slow, so the second replica must wait for it
    tokens = await asyncio.gather(first.access_token(), second.access_token())
    assert tokens[0] == tokens[1]
    assert zalo.refreshes == 2  # the first renewal above, and exactly one now


async def test_a_rejected_token_is_renewed_once_for_concurrent_callers(
    zalo: FakeZalo, make_tokens: TokensFactory
) -> None:
    replicas = [make_tokens() for _ in range(3)]
    rejected = await replicas[0].access_token()
    zalo.refresh_delay = 0.2
    renewed = await asyncio.gather(*(r.renew(rejected) for r in replicas))
    assert len(set(renewed)) == 1 and rejected not in renewed
    assert zalo.refreshes == 1


async def test_a_spent_refresh_token_is_an_auth_error(
    zalo: FakeZalo, make_tokens: TokensFactory, http: httpx.AsyncClient
) -> None:
    access, refresh = zalo.issue()
    oauth = ZaloOAuth(http, base=zalo.base, app_id=APP_ID, app_secret=APP_SECRET)
    await oauth.refresh(refresh)  # someone else used it: Zalo refresh tokens work once
    tokens = make_tokens(seed_access=access, seed_refresh=refresh)
    with pytest.raises(ZaloAuthError, match="Refresh token is invalid"):
        await tokens.renew(access)
    wrong_app = ZaloOAuth(http, base=zalo.base, app_id=APP_ID, app_secret="the-oa-secret")
    with pytest.raises(ZaloAuthError, match="refused"):
        await wrong_app.refresh(zalo.issue()[1])


async def test_no_configured_token_is_an_auth_error(make_tokens: TokensFactory) -> None:
    with pytest.raises(ZaloAuthError, match="ZALO_ACCESS_TOKEN"):
        await make_tokens(seed_access=None, seed_refresh=None).access_token()


async def test_a_refresh_token_alone_gets_an_access_token(
    zalo: FakeZalo, make_tokens: TokensFactory
) -> None:
    _, refresh = zalo.issue()
    token = await make_tokens(seed_access=None, seed_refresh=refresh).access_token()
    assert token.startswith("access-") and zalo.refreshes == 1
