"""The command line: one module per command group, each with a `register` function."""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence

from bot.cli import broadcast, chat, nlu, policies, run, users


def build_parser() -> argparse.ArgumentParser:
    """The `python -m bot` argument parser with every command registered."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in (run, chat, nlu, policies, broadcast, users):
        group.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Rasa takes its token as a query parameter; httpx logs request URLs at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    code: int = args.handler(args)
    return code
