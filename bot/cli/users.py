"""`python -m bot users add|list|remove`: console accounts."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from redis.exceptions import RedisError

from bot.config import Settings
from bot.console.accounts import AccountError, Accounts, Role
from bot.store.connection import redis_connection
from bot.store.keys import Keys

T = TypeVar("T")


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
    listing = sub.add_parser("list", help="every account and its role")
    listing.set_defaults(handler=_list)
    remove = sub.add_parser("remove", help="delete an account; its sessions end at once")
    remove.add_argument("name")
    remove.set_defaults(handler=_remove)


def _password() -> str | None:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        print("the two passwords differ", file=sys.stderr)
        return None
    return first


def _with_accounts(work: Callable[[Accounts], Awaitable[T]]) -> T | None:
    """Run `work` on the accounts in Redis; None (after saying why) when Redis is away."""
    settings = Settings()

    async def run() -> T:
        async with redis_connection(settings) as redis:
            return await work(Accounts(redis, Keys(settings.redis_prefix)))

    try:
        return asyncio.run(run())
    except (RedisError, OSError) as exc:
        print(f"cannot reach Redis: {exc}", file=sys.stderr)
        return None


def _add(args: argparse.Namespace) -> int:
    password = _password()
    if password is None:
        return 1

    async def add(accounts: Accounts) -> bool:
        await accounts.add(args.name, Role(args.role), password, by="cli")
        return True

    try:
        if _with_accounts(add) is None:
            return 1
    except AccountError as exc:
        print(f"not added: {exc}", file=sys.stderr)
        return 1
    print(f"account {args.name} ({args.role}) saved")
    return 0


def _list(args: argparse.Namespace) -> int:
    found = _with_accounts(lambda accounts: accounts.roster())
    if found is None:
        return 1
    if not found:
        print("no accounts yet: python -m bot users add NAME --role admin")
    for name, role in found:
        print(f"{name}\t{role.value}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    removed = _with_accounts(lambda accounts: accounts.remove(args.name, by="cli"))
    if removed is None:
        return 1
    if not removed:
        print(f"no account named {args.name!r}", file=sys.stderr)
        return 1
    print(f"account {args.name} removed")
    return 0
