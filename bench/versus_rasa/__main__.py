"""Side by side in one run: the bot, Rasa 3.6's full stack and Rasa's bare parse server.

    .venv/bin/python -m bench.versus_rasa [--quick] [--rounds 2] [--seconds 10]

Builds a Rasa 3.6 project from nlu/ (RulePolicy rules answering each intent, a Redis
tracker and lock store, the REST channel), trains it once per content hash, starts it,
a bare Rasa parse server and the bot (`python -m bot run`, parse cache off, NLU at the
parse server), and drives all three from a separate load-generator process: payload
turns over 100 customers, and distinct free-text sentences (nlu/tests/heldout.tsv, sent
as load only) to the bot and to the bare parse. Concurrency 1, 8 and 32, interleaved,
best round per cell. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import platform
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from bench.common import REDIS_URL, ROOT, delete_prefix
from bench.turns import MESSAGES
from bench.versus_rasa.figures import best_rounds, round_lines, table
from bench.versus_rasa.load import Plan, Sample, drive, interleaved
from bench.versus_rasa.model import ensure_stack_model
from bench.versus_rasa.project import RedisTarget
from bench.versus_rasa.servers import REST_PATH, bot_process, rasa_full_stack
from bot.config import Settings
from bot.nlu.evaluation import read_labelled_tsv
from bot.nlu.normalise import normalise
from bot.nlu.rasa_env import ensure_rasa_env
from bot.nlu.server import rasa_server

CONCURRENCIES = (1, 8, 32)


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 2 s cells, one round")
    parser.add_argument("--rounds", type=int, help="rounds of every cell (default 2)")
    parser.add_argument("--seconds", type=float, help="timed seconds per cell (default 10)")
    args = parser.parse_args(argv)
    args.rounds = args.rounds or (1 if args.quick else 2)
    args.seconds = args.seconds or (2.0 if args.quick else 10.0)
    return args


def sentences() -> list[tuple[str, str]]:
    """The held-out texts as typed and as the bot folds them for Rasa (load only)."""
    heldout = read_labelled_tsv(ROOT / "nlu" / "tests" / "heldout.tsv")
    return [(example.text, normalise(example.text)) for example in heldout]


async def measure(plan: Plan) -> list[Sample]:
    """Run the plan in a fresh process, so the client never shares a core's loop with us."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return await asyncio.get_running_loop().run_in_executor(pool, drive, plan)


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text(encoding="utf-8").splitlines() if cpuinfo.is_file() else []
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    cpu = names[0] if names else platform.processor() or "unknown CPU"
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


async def run(args: argparse.Namespace) -> None:
    settings = Settings(_env_file=None, nlu_dir=ROOT / "nlu")
    model = await ensure_stack_model(settings, await ensure_rasa_env(settings))
    run_id = uuid.uuid4().hex[:8]
    bot_prefix, rasa_prefix = f"bench:versus:{run_id}", f"versus{run_id}"
    try:
        async with AsyncExitStack() as stack:
            parse = await stack.enter_async_context(rasa_server(settings, port=0))
            target = RedisTarget.from_url(REDIS_URL, rasa_prefix)
            full = await stack.enter_async_context(rasa_full_stack(settings, model, target))
            bot = await stack.enter_async_context(bot_process(parse, bot_prefix))
            plan = Plan(
                urls={
                    "bot": bot + REST_PATH,
                    "rasa": full.url + REST_PATH,
                    "parse": f"{parse.url}/model/parse?token={quote(parse.token)}",
                },
                cells=interleaved(CONCURRENCIES, args.rounds),
                payloads=MESSAGES,
                texts=sentences(),
                seconds=args.seconds,
            )
            load_before, started = os.getloadavg()[0], time.monotonic()
            samples = await measure(plan)
            took, load_after = time.monotonic() - started, os.getloadavg()[0]
    finally:
        await delete_prefix(bot_prefix)
        await delete_prefix(rasa_prefix)
    print("\n".join(round_lines(samples)))
    print(
        f"\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}; models {parse.model.name} "
        f"(parse, bot) and {model.name} (full stack); {args.rounds} round(s) of "
        f"{args.seconds:g} s cells, best round per cell; measuring took {took:.0f} s; "
        f"load average {load_before:.1f} before, {load_after:.1f} after\n"
    )
    print(table(best_rounds(samples), CONCURRENCIES))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    for noisy in ("httpx", "bot.nlu.rasa"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    asyncio.run(run(parse_arguments()))
