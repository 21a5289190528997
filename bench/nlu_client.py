"""What RasaClient adds to Rasa's own parse latency, measured in one run.

    .venv/bin/python -m bench.nlu_client [--rounds N]

Uses the Rasa server at RASA_URL when one answers, else starts one (training first if
nlu/ changed). Each text is parsed twice, in random order: once by a bare httpx POST to
/model/parse (Rasa's own latency, plus reading its JSON) and once through
`RasaClient.parse` with its cache disabled, so every call reaches Rasa. The client's
share is normalisation, the vocabulary guard, the circuit breaker, the fingerprint check
and building the typed `Parse`. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx

from bot.config import Settings
from bot.nlu.client import RasaClient
from bot.nlu.evaluation import read_labelled_tsv
from bot.nlu.normalise import normalise
from bot.nlu.server import rasa_server
from bot.nlu.vocabulary import load_vocabulary

WARM_UP = 30
FALLBACK_TEXTS = [
    "xin chào shop",
    "gói pro giá bao nhiêu 1 tháng",
    "goi co ban co quan ly kho ko",
    "how much is the enterprise plan",
    "I want a free trial",
    "cho mk noi chuyen voi nhan vien",
]


def texts_to_parse(settings: Settings) -> list[str]:
    heldout = settings.nlu_dir / "tests" / "heldout.tsv"
    if heldout.is_file():
        return [example.text for example in read_labelled_tsv(heldout)]
    return FALLBACK_TEXTS


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def timed(call: Callable[[str], Awaitable[object]], text: str) -> float:
    started = time.perf_counter()
    await call(text)
    return (time.perf_counter() - started) * 1000


async def measure(
    url: str, token: str, texts: list[str], rounds: int, vocabulary: frozenset[str] | None
) -> None:
    async with httpx.AsyncClient() as http:
        client = RasaClient(
            [url], token, http, cache_size=0, timeout_seconds=10.0, vocabulary=vocabulary
        )

        async def direct(text: str) -> object:
            response = await http.post(
                f"{url}/model/parse",
                params={"token": token},
                json={"text": normalise(text)},  # the same text Rasa gets from the client
                timeout=10.0,
            )
            response.raise_for_status()
            return response.json()

        for text in texts[:WARM_UP]:
            await direct(text)
            await client.parse(text)

        rng = random.Random(7)
        own: list[float] = []
        through_client: list[float] = []
        for _ in range(rounds):
            for text in texts:
                pair: list[tuple[str, Callable[[str], Awaitable[object]]]] = [
                    ("direct", direct),
                    ("client", client.parse),
                ]
                rng.shuffle(pair)  # neither side always goes first (warm connection, caches)
                for name, call in pair:
                    elapsed = await timed(call, text)
                    (own if name == "direct" else through_client).append(elapsed)

    print(f"texts: {len(texts)} x {rounds} rounds = {len(own)} parses each way")
    print(f"{'':>22} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
    for name, samples in (("Rasa (direct POST)", own), ("through RasaClient", through_client)):
        print(
            f"{name:>22} {percentile(samples, 0.5):8.2f} {percentile(samples, 0.99):8.2f} "
            f"{statistics.fmean(samples):8.2f}"
        )
    for label, fraction in (("p50", 0.5), ("p99", 0.99)):
        ratio = percentile(through_client, fraction) / percentile(own, fraction)
        print(f"overhead {label}: x{ratio:.3f} ({(ratio - 1) * 100:+.1f}%)")
    mean_ratio = statistics.fmean(through_client) / statistics.fmean(own)
    print(f"overhead mean: x{mean_ratio:.3f} ({(mean_ratio - 1) * 100:+.1f}%)")


async def client_cpu_cost(texts: list[str], vocabulary: frozenset[str] | None) -> None:
    """The client's own work per call, with a transport that answers instantly."""
    canned = {
        "intent": {"name": "ask_price", "confidence": 0.97},
        "entities": [{"entity": "plan", "value": "pro"}],
        "intent_ranking": [{"name": "ask_price", "confidence": 0.97}] * 10,
    }

    def answer(request: httpx.Request) -> httpx.Response:
        body = {"model_id": "m", "model_file": "m.tar.gz"} if request.method == "GET" else canned
        return httpx.Response(200, json=body)

    url = "http://rasa.invalid"
    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        client = RasaClient([url], "t", http, cache_size=0, vocabulary=vocabulary)

        async def direct(text: str) -> object:
            response = await http.post(
                f"{url}/model/parse", params={"token": "t"}, json={"text": normalise(text)}
            )
            return response.json()

        costs: dict[str, list[float]] = {"direct": [], "client": []}
        for _ in range(3):
            for text in texts:  # alternating, so load on the machine hits both alike
                for name, call in (("direct", direct), ("client", client.parse)):
                    started = time.perf_counter()
                    await call(text)
                    costs[name].append((time.perf_counter() - started) * 1e6)
    own = {name: statistics.median(samples) for name, samples in costs.items()}
    print(
        f"with an instant transport (median): direct {own['direct']:.0f} us/call, "
        f"client {own['client']:.0f} us/call, the client's own work "
        f"{own['client'] - own['direct']:.0f} us/call"
    )


async def main(rounds: int) -> None:
    settings = Settings()
    texts = texts_to_parse(settings)
    vocabulary = load_vocabulary(settings.nlu_dir)  # the guard runs as in the bot
    await client_cpu_cost(texts, vocabulary)
    if settings.rasa_url:
        async with httpx.AsyncClient() as http:
            probe = RasaClient.from_settings(settings, http)
            if await probe.check():
                token = settings.rasa_token.get_secret_value() if settings.rasa_token else ""
                url = probe.health()["servers"][0]["url"]
                await measure(url, token, texts, rounds, vocabulary)
                return
    async with rasa_server(settings, port=0) as server:
        await measure(server.url, server.token, texts, rounds, vocabulary)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="passes over the texts")
    asyncio.run(main(parser.parse_args().rounds))
