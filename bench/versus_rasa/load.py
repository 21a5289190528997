"""The load generator: runs in its own process and drives the three servers cell by cell.

A cell is one system under one workload at one concurrency for one round. Its client is
aiohttp's (a connection pool of the cell's concurrency): on two cores a heavier client
(httpx's async one) saturates before the servers do and would measure itself. The
servers are reached over HTTP only, as a customer's client would.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import aiohttp

System = Literal["bot", "rasa", "parse"]
Workload = Literal["payload", "text"]
REQUEST_TIMEOUT_SECONDS = 60.0


class LoadError(RuntimeError):
    """A server answered a benchmark request with an error or an empty answer."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One measurement: a system, a workload, a concurrency, a round."""

    system: System
    workload: Workload
    concurrency: int
    round: int

    @property
    def tag(self) -> str:
        """Names this cell's customers, so no two cells share one."""
        return f"{self.workload}-c{self.concurrency}-r{self.round}"


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything the load process needs: where to post, what, and for how long."""

    urls: Mapping[System, str]
    cells: Sequence[Cell]
    payloads: Sequence[str]
    # (the text as a customer types it, the folded text the bot sends to Rasa)
    texts: Sequence[tuple[str, str]]
    seconds: float
    senders: int = 100


@dataclass(slots=True)
class Sample:
    """What one cell measured: each timed request's latency (seconds) and the wall time."""

    cell: Cell
    elapsed: float
    latencies: list[float] = field(default_factory=list)


# The order of one concurrency's cells in odd rounds; even rounds run it backwards, so
# no system always measures right after the same neighbour.
ORDER: tuple[tuple[System, Workload], ...] = (
    ("bot", "payload"),
    ("rasa", "payload"),
    ("bot", "text"),
    ("parse", "text"),
)


def interleaved(concurrencies: Sequence[int], rounds: int) -> list[Cell]:
    """Every cell, interleaved: each round goes through every concurrency and system."""
    cells = []
    for number in range(1, rounds + 1):
        order = ORDER if number % 2 else ORDER[::-1]
        for concurrency in concurrencies:
            cells += [Cell(system, workload, concurrency, number) for system, workload in order]
    return cells


def text_at(texts: Sequence[tuple[str, str]], index: int) -> tuple[str, str]:
    """The `index`-th distinct sentence: the texts in order, then again with a lap number."""
    typed, folded = texts[index % len(texts)]
    lap = index // len(texts)
    return (typed, folded) if lap == 0 else (f"{typed} {lap}", f"{folded} {lap}")


def request_body(plan: Plan, cell: Cell, index: int) -> dict[str, str]:
    """The JSON body of the cell's `index`-th request.

    Payload turns rotate over `plan.senders` customers. A free-text turn comes from a new
    customer every time: a text asking for a person opens a handoff, after which the bot
    relays that customer's messages without asking the NLU, and the comparison with the
    bare parse would no longer hold.
    """
    if cell.system == "parse":
        return {"text": text_at(plan.texts, index)[1]}
    if cell.workload == "payload":
        message = plan.payloads[index % len(plan.payloads)]
        return {"sender": f"{cell.tag}-{index % plan.senders}", "message": message}
    return {"sender": f"{cell.tag}-{index}", "message": text_at(plan.texts, index)[0]}


def warm_up_count(plan: Plan, cell: Cell) -> int:
    """Untimed requests first: one per customer for payload turns (each exists, as in
    the timed part), else a few per connection (connections open, servers warm)."""
    if cell.workload == "payload" and cell.system != "parse":
        return plan.senders
    return 2 * cell.concurrency


def check_answer(cell: Cell, status: int, body: bytes) -> None:
    """Fail loudly on a reply that proves nothing (an error, or Rasa's empty list)."""
    if status != 200:
        raise LoadError(f"{cell.system} answered {status}: {body[:300]!r}")
    answer: Any = json.loads(body)
    valid = "intent" in answer if cell.system == "parse" else bool(answer)
    if not valid:
        raise LoadError(f"{cell.system} gave an empty answer: {body[:300]!r}")


async def _post(
    session: aiohttp.ClientSession, url: str, body: dict[str, str]
) -> tuple[int, bytes]:
    async with session.post(url, json=body) as response:
        return response.status, await response.read()


async def _warm_up(session: aiohttp.ClientSession, url: str, plan: Plan, cell: Cell) -> int:
    count = warm_up_count(plan, cell)
    gate = asyncio.Semaphore(cell.concurrency)

    async def one(index: int) -> None:
        async with gate:
            check_answer(cell, *await _post(session, url, request_body(plan, cell, index)))

    await asyncio.gather(*(one(i) for i in range(count)))
    return count


async def run_cell(plan: Plan, cell: Cell) -> Sample:
    """Warm up, then keep `cell.concurrency` requests in flight for `plan.seconds`."""
    url = plan.urls[cell.system]
    connector = aiohttp.TCPConnector(limit=cell.concurrency)
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        indices = itertools.count(await _warm_up(session, url, plan, cell))
        sample = Sample(cell, 0.0)
        started = time.perf_counter()
        deadline = started + plan.seconds

        async def worker() -> None:
            while time.perf_counter() < deadline:
                body = request_body(plan, cell, next(indices))
                sent = time.perf_counter()
                status, answer = await _post(session, url, body)
                sample.latencies.append(time.perf_counter() - sent)
                if status != 200:
                    check_answer(cell, status, answer)

        await asyncio.gather(*(worker() for _ in range(cell.concurrency)))
        sample.elapsed = time.perf_counter() - started
    return sample


async def _drive(plan: Plan) -> list[Sample]:
    samples = []
    for number, cell in enumerate(plan.cells, 1):
        sample = await run_cell(plan, cell)
        samples.append(sample)
        rate = len(sample.latencies) / sample.elapsed
        print(
            f"  [{number}/{len(plan.cells)}] round {cell.round} c={cell.concurrency:<2} "
            f"{cell.system:>5} {cell.workload:<7} {rate:7.1f}/s",
            file=sys.stderr,
            flush=True,
        )
    return samples


def drive(plan: Plan) -> list[Sample]:
    """Run every cell of the plan in order (the entry point of the load process)."""
    return asyncio.run(_drive(plan))
