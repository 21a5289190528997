"""`python -m bot policies validate|coverage|test|publish|history|diff|rollback`."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from redis.exceptions import RedisError

from bot.cli import policy_coverage, policy_tests
from bot.config import Settings
from bot.nlu.intents import domain_intents
from bot.policies.coverage import Coverage, gap_problems
from bot.policies.loader import PolicyError, parse_policies
from bot.policies.revisions import Revisions, UnknownRevision, diff
from bot.policies.source import read_directory
from bot.store.connection import redis_connection
from bot.store.keys import Keys


def register(commands: Any) -> None:
    """Add the `policies` command group."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "policies", help="validate, publish and roll back the stage policies"
    )
    sub = parser.add_subparsers(dest="policies_command", required=True, metavar="ACTION")

    validate = sub.add_parser("validate", help="check a policy folder; lists every problem")
    validate.add_argument("directory", nargs="?", type=Path, help="default: POLICIES_DIR")
    validate.add_argument(
        "--strict",
        action="store_true",
        help="intents that would get the generic fallback are errors, not warnings",
    )
    validate.set_defaults(handler=_validate)

    policy_coverage.register(sub)
    policy_tests.register(sub)

    publish = sub.add_parser("publish", help="validate, then make a folder the live policy")
    publish.add_argument("directory", nargs="?", type=Path, help="default: POLICIES_DIR")
    publish.add_argument("--author", default=getpass.getuser(), help="who publishes")
    publish.add_argument("-m", "--message", default="", help="what changed")
    publish.set_defaults(handler=_publish)

    history = sub.add_parser("history", help="list the published revisions")
    history.set_defaults(handler=_history)

    changes = sub.add_parser("diff", help="show what changed between two revisions")
    changes.add_argument("old", type=int)
    changes.add_argument("new", type=int)
    changes.set_defaults(handler=_diff)

    rollback = sub.add_parser("rollback", help="publish an earlier revision again")
    rollback.add_argument("number", type=int)
    rollback.add_argument("--author", default=getpass.getuser(), help="who rolls back")
    rollback.set_defaults(handler=_rollback)


def _validate(args: argparse.Namespace) -> int:
    try:
        directory, intents, policies = policy_coverage.load_for_command(args.directory)
    except PolicyError as exc:
        return _report(exc)
    files, _ = read_directory(directory)
    gaps = gap_problems(Coverage.of(policies, intents), files, directory)
    if gaps and args.strict:
        return _report(PolicyError(gaps))
    for gap in gaps:
        print(f"warning: {gap}", file=sys.stderr)
    print(f"{directory}: valid ({len(policies.stages)} stages, revision hash {policies.revision})")
    if gaps:
        print("see which rule answers what: `python -m bot policies coverage`", file=sys.stderr)
    return 0


def _publish(args: argparse.Namespace) -> int:
    settings = Settings()
    directory = args.directory or settings.policies_dir
    files, problems = read_directory(directory)
    try:
        parse_policies(files, domain_intents(settings.nlu_dir), where=directory, problems=problems)
    except PolicyError as exc:
        print("not published:", file=sys.stderr)
        return _report(exc)

    async def publish(revisions: Revisions) -> int:
        number = await revisions.publish(
            files, author=args.author, message=args.message, at=time.time()
        )
        print(f"published {directory} as revision {number}; running bots switch within seconds")
        return 0

    return _with_revisions(settings, publish)


def _history(args: argparse.Namespace) -> int:
    async def history(revisions: Revisions) -> int:
        current = await revisions.current_number()
        for revision in await revisions.history():
            mark = "*" if revision.number == current else " "
            when = datetime.fromtimestamp(revision.at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            message = f"  {revision.message}" if revision.message else ""
            print(
                f"{mark} {revision.number:>4}  {when}  {revision.hash}  {revision.author}{message}"
            )
        if current is None:
            print("nothing published yet; the bot publishes POLICIES_DIR when it first starts")
        return 0

    return _with_revisions(Settings(), history)


def _diff(args: argparse.Namespace) -> int:
    async def show(revisions: Revisions) -> int:
        old, new = await revisions.get(args.old), await revisions.get(args.new)
        for number, revision in ((args.old, old), (args.new, new)):
            if revision is None:
                print(
                    f"no revision {number}; see `python -m bot policies history`", file=sys.stderr
                )
                return 2
        assert old is not None and new is not None
        print(diff(old, new) or "no differences", end="")
        return 0

    return _with_revisions(Settings(), show)


def _rollback(args: argparse.Namespace) -> int:
    settings = Settings()

    async def rollback(revisions: Revisions) -> int:
        intents = domain_intents(settings.nlu_dir)
        try:
            number = await revisions.rollback(
                args.number, intents, author=args.author, at=time.time()
            )
        except UnknownRevision:
            print(
                f"no revision {args.number}; see `python -m bot policies history`", file=sys.stderr
            )
            return 2
        except PolicyError as exc:
            print(f"revision {args.number} no longer validates; not published:", file=sys.stderr)
            return _report(exc)
        print(f"revision {args.number} published again as revision {number}")
        return 0

    return _with_revisions(settings, rollback)


def _with_revisions(settings: Settings, job: Callable[[Revisions], Awaitable[int]]) -> int:
    async def run() -> int:
        async with redis_connection(settings) as redis:
            return await job(Revisions(redis, Keys(settings.redis_prefix)))

    try:
        return asyncio.run(run())
    except (RedisError, OSError) as exc:
        where = settings.redis_url or f"the embedded Redis in {settings.data_dir}"
        print(f"cannot reach Redis ({where}): {exc}", file=sys.stderr)
        return 1


def _report(error: PolicyError) -> int:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    count = len(error.problems)
    print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
    return 1
