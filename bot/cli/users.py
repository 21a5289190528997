"""`python -m bot users add NAME --role ROLE`: console accounts."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import Any

from redis.exceptions import RedisError

from bot.app import redis_connection
from bot.config import Settings
from bot.console.accounts import AccountError, Accounts, Role
from bot.store.keys import Keys


def register(commands: Any) -> None:
    """Add the `users` command group."""
    parser: argparse.ArgumentParser = commands.add_parser("users", help="console accounts")
    sub = parser.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = sub.add_parser(
        "add",
        help="create or reset an account; the password is asked twice, or read from stdin",
    )
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.set_defaults(handler=_add)


def _password() -> str | None:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        print("the two passwords differ", file=sys.stderr)
        return None
    return first


def _add(args: argparse.Namespace) -> int:
    password = _password()
    if password is None:
        return 1
    settings = Settings()

    async def add() -> None:
        async with redis_connection(settings) as redis:
            accounts = Accounts(redis, Keys(settings.redis_prefix))
            await accounts.add(args.name, Role(args.role), password, by="cli")

    try:
        asyncio.run(add())
    except AccountError as exc:
        print(f"not added: {exc}", file=sys.stderr)
        return 1
    except (RedisError, OSError) as exc:
        print(f"cannot reach Redis: {exc}", file=sys.stderr)
        return 1
    print(f"account {args.name} ({args.role}) saved")
    return 0
