"""`python -m bot policies test [DIR]`: play the conversation tests against the policies."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from redis.exceptions import RedisError

from bot.cli.nlu import execute
from bot.config import Settings
from bot.conversations.format import Suite, conversation_files, load_suite
from bot.conversations.runner import bot_under_test, play_all
from bot.nlu.intents import domain_intents
from bot.nlu_wiring import answering_nlu
from bot.policies.loader import PolicyError, load_policies
from bot.store.connection import redis_connection

DEFAULT_DIR = Path("tests") / "conversations"


def register(sub: Any) -> None:
    """Add `policies test` to the `policies` group's subcommands."""
    test: argparse.ArgumentParser = sub.add_parser(
        "test", help="run the conversation tests against the policies and the real NLU"
    )
    test.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=DEFAULT_DIR,
        help=f"a folder of conversation files, or one file (default: {DEFAULT_DIR})",
    )
    test.add_argument(
        "--policies",
        type=Path,
        help="the policy folder to test, e.g. a draft (default: POLICIES_DIR)",
    )
    test.add_argument("--jobs", type=int, default=4, help="conversations played at once")
    test.set_defaults(handler=_test)


def _test(args: argparse.Namespace) -> int:
    settings = Settings()
    if args.policies is not None:
        settings = settings.model_copy(update={"policies_dir": args.policies})
    intents = domain_intents(settings.nlu_dir)
    suites = _suites(args.directory, intents)
    if suites is None:
        return 1
    try:
        load_policies(settings.policies_dir, intents)
    except PolicyError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("the policies do not load: `python -m bot policies validate`", file=sys.stderr)
        return 1

    async def run() -> int:
        started = time.monotonic()
        async with (
            redis_connection(settings) as redis,
            answering_nlu(settings) as nlu,
            bot_under_test(settings, redis, nlu) as bot,
        ):
            played = await play_all(bot, suites, max(1, args.jobs))
        conversations, turns, failed = played
        for failure in failed:
            print(failure, end="\n\n")
        passed = conversations - len(failed)
        print(
            f"{conversations} conversations, {turns} turns: {passed} passed, {len(failed)} failed "
            f"({time.monotonic() - started:.1f} s, policies {settings.policies_dir})"
        )
        return 1 if failed else 0

    try:
        return execute(run())
    except (RedisError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _suites(directory: Path, intents: frozenset[str]) -> list[Suite] | None:
    """Every conversation file of `directory`, or None after printing what is wrong."""
    files = conversation_files(directory)
    if not files:
        print(f"no conversation files (*.yml) in {directory}", file=sys.stderr)
        return None
    suites, problems = [], []
    for path in files:
        suite, found = load_suite(path, intents)
        problems += found
        if suite is not None:
            suites.append(suite)
    for problem in problems:
        print(problem, file=sys.stderr)
    return None if problems else suites
