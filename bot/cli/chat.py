"""`python -m bot chat`: talk to the bot in the terminal, like `rasa shell`."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from bot.config import Settings
from bot.effects import Reply
from bot.inbound import Inbound
from bot.nlu.intents import domain_intents
from bot.nlu_wiring import nlu_session
from bot.policies.active import ActivePolicies
from bot.policies.loader import load_policies
from bot.store.connection import redis_connection
from bot.wiring import build_core

CHANNEL = "cli"


def register(commands: Any) -> None:
    """Add the `chat` command."""
    parser: argparse.ArgumentParser = commands.add_parser(
        "chat", help="chat with the bot in the terminal"
    )
    parser.add_argument("--sender", default="local", help="customer id on the `cli` channel")
    parser.add_argument("--locale", choices=["vi", "en"], help="the customer's language")
    parser.set_defaults(
        handler=lambda args: asyncio.run(chat(Settings(), args.sender, args.locale))
    )


async def chat(settings: Settings, sender: str, locale: Any) -> int:
    """Read lines, run turns, print replies; a number picks a button; Ctrl-D quits."""
    async with redis_connection(settings) as redis, nlu_session(settings) as nlu:
        intents = domain_intents(settings.nlu_dir)
        policies = ActivePolicies(load_policies(settings.policies_dir, intents))
        core = build_core(settings, redis, nlu, policies)
        print("Type a message (or /intent), a number to press a button, Ctrl-D to quit.")
        buttons: list[str] = []
        while True:
            try:
                line = (await asyncio.to_thread(input, "you> ")).strip()
            except EOFError:
                print()
                return 0
            if not line:
                continue
            if line.isdigit() and 0 < int(line) <= len(buttons):
                line = buttons[int(line) - 1]
            replies = await core.engine.handle(Inbound(CHANNEL, sender, line, locale=locale))
            buttons = _show(replies)
            user = await core.users.find(CHANNEL, sender)
            if user is not None:
                print(f"      [stage: {user.stage.value}]")


def _show(replies: list[Reply]) -> list[str]:
    payloads: list[str] = []
    for reply in replies:
        print(f"bot> {reply.text}")
        for button in reply.buttons:
            payloads.append(button.payload)
            print(f"     {len(payloads)}. {button.title}  ({button.payload})")
    return payloads
