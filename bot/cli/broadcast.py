"""`python -m bot broadcast`: send one message to a segment of customers, with progress."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
import time
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from redis.exceptions import RedisError

from actions.messaging import ReplyArgs
from bot.config import Settings
from bot.policies.loader import PolicyError, parse_document
from bot.policies.source import Problem
from bot.policies.validator import check_file
from bot.scheduler.broadcasts import Progress
from bot.scheduler.segment import Segment
from bot.store.connection import redis_connection
from bot.wiring import Components, build_components

BAR_WIDTH = 30


def register(commands: Any) -> None:
    """Add the `broadcast` command."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "broadcast", help="send a message to a segment of customers"
    )
    parser.add_argument("--stage", action="append", help="customers in this stage (repeatable)")
    parser.add_argument("--locale", choices=["vi", "en"])
    parser.add_argument(
        "--channel", action="append", help="customers on this channel, e.g. zalo (repeatable)"
    )
    parser.add_argument("--tag", action="append", default=[], help="profile tag (repeatable)")
    parser.add_argument(
        "--flag", action="append", default=[], help="flagged customers, e.g. churn_risk"
    )
    parser.add_argument("--seen-within", help="wrote to us within this time, e.g. 30d")
    parser.add_argument("--silent-for", help="silent for at least this time, e.g. 14d")
    parser.add_argument("--text-file", type=Path, help="the message: {text: {vi, en}, buttons}")
    parser.add_argument("--dry-run", action="store_true", help="only count the audience")
    parser.add_argument("--resume", metavar="ID", help="follow (and send) an earlier broadcast")
    parser.add_argument("--author", default=getpass.getuser())
    parser.set_defaults(handler=_broadcast)


def _broadcast(args: argparse.Namespace) -> int:
    try:
        segment = Segment(
            stage=args.stage,
            locale=args.locale,
            channel=args.channel,
            tags=args.tag,
            flags=args.flag,
            seen_within=args.seen_within,
            silent_for=args.silent_for,
        )
    except ValidationError as exc:
        for error in exc.errors():
            print(f"--{str(error['loc'][0]).replace('_', '-')}: {error['msg']}", file=sys.stderr)
        return 2
    message = None
    if args.resume is None:
        if args.text_file is None:
            print("--text-file is required (or --resume ID)", file=sys.stderr)
            return 2
        message = _message(args.text_file)
        if message is None:
            return 1
    settings = Settings()
    try:
        return asyncio.run(_run(settings, args, segment, message))
    except (RedisError, OSError, PolicyError) as exc:
        print(f"broadcast failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopped; resume with --resume, or let a running bot finish it", file=sys.stderr)
        return 130


def _message(path: Path) -> ReplyArgs | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{path}: cannot read: {exc}", file=sys.stderr)
        return None
    message, locator, problems = parse_document(ReplyArgs, text, str(path))
    if message is not None and locator is not None:
        problems = [
            Problem(str(path), *locator.locate(where), what)
            for where, what in check_file(message, None)
        ]
    for problem in problems:
        print(problem, file=sys.stderr)
    return None if problems else message


async def _run(
    settings: Settings, args: argparse.Namespace, segment: Segment, message: ReplyArgs | None
) -> int:
    async with redis_connection(settings) as redis:
        components = build_components(settings, redis, nlu=None)
        await components.follower.sync()
        if args.dry_run:
            audience = await components.broadcasts.audience(segment)
            print(f"dry run: {len(audience)} customers would receive it; nothing was sent")
            return 0
        if message is not None:
            progress = await components.broadcasts.create(segment, message, author=args.author)
            print(f"broadcast {progress.id}: {progress.audience} customers", file=sys.stderr)
        else:
            found = await components.broadcasts.progress(args.resume)
            if found is None:
                print(f"no broadcast {args.resume}", file=sys.stderr)
                return 2
            progress = found
        return await _follow(components, progress)


async def _follow(components: Components, progress: Progress) -> int:
    """Send through this process's scheduler and draw progress until nothing is due now."""
    started, done_at_start = time.monotonic(), progress.finished
    current: Progress | None = progress
    while current is not None and current.finished < current.audience:
        claimed = await components.scheduler.run_once()
        current = await components.broadcasts.progress(progress.id)
        if current is not None:
            _draw(current, started, done_at_start)
        if not claimed:
            break
    print(file=sys.stderr)
    if current is None:
        return 1
    waiting = current.audience - current.finished
    print(
        f"sent {current.sent}, skipped {current.dropped} (opted out, in a handoff or "
        f"unreachable)"
        + (f", {waiting} waiting for the morning or their daily cap" if waiting else ""),
        file=sys.stderr,
    )
    return 0


def _draw(progress: Progress, started: float, done_at_start: int) -> None:
    total = max(progress.audience, 1)
    filled = BAR_WIDTH * progress.finished // total
    elapsed = max(time.monotonic() - started, 1e-6)
    rate = (progress.finished - done_at_start) / elapsed
    left = progress.audience - progress.finished
    eta = f"{left / rate:.0f}s" if rate > 0 else "?"
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    sys.stderr.write(
        f"\r[{bar}] {progress.finished}/{progress.audience}  {rate:.1f}/s  ETA {eta}  "
    )
    sys.stderr.flush()
