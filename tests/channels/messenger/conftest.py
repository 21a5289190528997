"""Fixtures of the Messenger tests: the fake Graph API and a sender pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.channels.messenger.sender import MessengerSender
from bot.channels.shared.pacing import Backoff, Pacing, Rates
from tests.channels.conftest import Sleeps
from tests.fakes.clock import Clock
from tests.fakes.graph_server import PAGE_TOKEN, FakeGraph


@pytest.fixture
async def graph(clock: Clock) -> AsyncIterator[FakeGraph]:
    async with FakeGraph(clock=clock) as server:
        yield server


@pytest.fixture
def sender(graph: FakeGraph, http: httpx.AsyncClient, sleeps: Sleeps) -> MessengerSender:
    return MessengerSender(
        http,
        page_token=PAGE_TOKEN,
        api_base=graph.api_base,
        pacing=Pacing(Rates(overall_per_second=1000, recipient_per_second=1000)),
        backoff=Backoff(attempts=3, base=0.5),
        sleep=sleeps,
    )
