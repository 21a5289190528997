"""`python -m bot nlu review`: label what the bot did not understand.

On a terminal it asks for a label item by item; without one it lists the queue, and
`--export FILE.tsv` / `--import FILE.tsv` do the labelling through a file.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from redis.exceptions import RedisError

from bot.config import Settings
from bot.errors import BotError
from bot.nlu.intents import domain_intents
from bot.nlu.review import IGNORE, Outcome, Reviewer, ReviewError, ReviewItem, review_items
from bot.nlu.review_tsv import export_tsv, parse_tsv
from bot.policies.coverage import nlu_intents
from bot.store.connection import redis_connection
from bot.store.misunderstood import MisunderstoodLog

HOW_TO_LABEL = (
    "label them on a terminal with `python -m bot nlu review`, or through a file: "
    "`python -m bot nlu review --export review.tsv`, fill in the label column "
    f"(an intent or {IGNORE}), then `python -m bot nlu review --import review.tsv`"
)


def register(actions: Any) -> None:
    """Add `nlu review` to the `nlu` group."""
    review: argparse.ArgumentParser = actions.add_parser(
        "review", help="label the messages the bot did not understand (they become training data)"
    )
    mode = review.add_mutually_exclusive_group()
    mode.add_argument("--export", type=Path, metavar="FILE.tsv", help="write the queue as TSV")
    mode.add_argument(
        "--import", dest="import_file", type=Path, metavar="FILE.tsv", help="apply a TSV's labels"
    )
    review.set_defaults(handler=_review)


def _review(args: argparse.Namespace) -> int:
    settings = Settings()

    async def run() -> int:
        async with redis_connection(settings) as redis:
            log = MisunderstoodLog.from_settings(redis, settings)
            intents = nlu_intents(domain_intents(settings.nlu_dir))
            reviewer = Reviewer(log, settings.nlu_dir, intents)
            if args.export is not None:
                return await _export(reviewer, args.export, settings.time_zone)
            if args.import_file is not None:
                return await _import(reviewer, args.import_file)
            if sys.stdin.isatty():
                return await _interactive(reviewer, _ask)
            return await _list(reviewer)

    try:
        return asyncio.run(run())
    except (BotError, RedisError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


async def _export(reviewer: Reviewer, path: Path, time_zone: str) -> int:
    items = review_items(await reviewer.log.items())
    await asyncio.to_thread(path.write_text, export_tsv(items, time_zone), encoding="utf-8")
    print(
        f"wrote {len(items)} texts to review to {path}; fill in the label column, then "
        f"`python -m bot nlu review --import {path}`"
    )
    return 0


async def _import(reviewer: Reviewer, path: Path) -> int:
    rows = parse_tsv(await asyncio.to_thread(path.read_text, encoding="utf-8"), str(path))
    by_id = {i: item for item in review_items(await reviewer.log.items()) for i in item.ids}
    labelled: dict[int, tuple[ReviewItem, str]] = {}
    problems, gone = [], 0
    for row in rows:
        items = {id(by_id[i]): by_id[i] for i in row.ids if i in by_id}
        if not items:
            gone += 1  # reviewed meanwhile, or pushed out of the bounded queue
            continue
        for key, item in items.items():
            why = reviewer.refusal(item, row.label)
            if why is not None:
                problems.append(f"{path}:{row.line}: {why}")
            labelled[key] = (item, row.label)
    if problems:
        raise ReviewError("nothing applied:\n" + "\n".join(problems))
    outcome = await reviewer.apply(list(labelled.values()))
    if gone:
        print(f"{gone} line{'s' if gone != 1 else ''} no longer in the queue (already reviewed)")
    print(outcome.summary(await reviewer.log.count(), reviewer.nlu_dir))
    return 0


async def _list(reviewer: Reviewer) -> int:
    items = review_items(await reviewer.log.items())
    if not items:
        print("nothing to review")
        return 0
    group = None
    for number, item in enumerate(items, start=1):
        if item.group != group:
            group = item.group
            print(f"\n── {group}")
        print(_describe(item, number, len(items)))
    print(f"\n{len(items)} texts to review; {HOW_TO_LABEL}")
    return 0


def _describe(item: ReviewItem, number: int, total: int) -> str:
    times = f"  ×{item.count}" if item.count > 1 else ""
    guesses = ", ".join(f"{name} {conf:.2f}" for name, conf in item.top) or "no guess"
    reply = " ".join(item.reply.split())
    reply = reply if len(reply) <= 70 else reply[:69] + "…"
    return (
        f"[{number}/{total}] {item.text!r}{times}\n"
        f"      stage {item.stage} · {item.locale} · NLU: {guesses}\n"
        f"      bot said: {reply}"
    )


async def _ask(prompt: str) -> str | None:
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


Ask = Callable[[str], Awaitable[str | None]]


async def _interactive(reviewer: Reviewer, ask: Ask) -> int:
    items = review_items(await reviewer.log.items())
    if not items:
        print("nothing to review")
        return 0
    print(f"{len(items)} texts to review, grouped by the intent the NLU found closest.")
    print("intents: " + "  ".join(f"{n}={i}" for n, i in enumerate(reviewer.intents, start=1)))
    total, group = Outcome(), None
    for number, item in enumerate(items, start=1):
        if item.group != group:
            group = item.group
            print(f"\n── {group}")
        print(_describe(item, number, len(items)))
        label = await _label(reviewer, item, ask)
        if label is None:
            break
        if label:
            outcome = await reviewer.apply([(item, label)])
            total.labelled.update(outcome.labelled)
            total.ignored += outcome.ignored
            total.new_examples += outcome.new_examples
    print()
    print(total.summary(await reviewer.log.count(), reviewer.nlu_dir))
    return 0


async def _label(reviewer: Reviewer, item: ReviewItem, ask: Ask) -> str | None:
    """The label a person gives: an intent, `ignore`, "" to skip, None to stop."""
    closest = f"y = {item.closest}, " if item.closest else ""
    prompt = f"label ({closest}intent name or number, i = ignore, Enter = skip, q = quit): "
    while True:
        answer = await ask(prompt)
        if answer is None or answer.strip().lower() in ("q", "quit"):
            return None
        answer = answer.strip()
        if not answer:
            return ""
        label = _resolve(answer, item, reviewer.intents)
        why = reviewer.refusal(item, label)
        if why is None:
            return label
        print(f"  {why}")


def _resolve(answer: str, item: ReviewItem, intents: list[str]) -> str:
    lowered = answer.lower()
    if lowered in ("y", "yes") and item.closest:
        return item.closest
    if lowered in ("i", IGNORE):
        return IGNORE
    if lowered.isdigit() and 1 <= int(lowered) <= len(intents):
        return intents[int(lowered) - 1]
    return lowered
