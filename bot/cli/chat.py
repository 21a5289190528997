"""`python -m bot chat`: talk to the bot in the terminal, like `rasa shell`.

Besides the replies to what you type, it prints what arrives on its own while you chat:
a staff member's replies (from the console or the Telegram support group), the close
and the CSAT question, follow-ups. It reuses the Rasa server of a running `make run`
and says plainly when free text cannot be understood, and why.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import sys
import uuid
from dataclasses import dataclass, field
from typing import Any

from bot.cli.chat_nlu import chat_nlu
from bot.config import Settings
from bot.effects import Reply
from bot.inbound import Inbound
from bot.nlu.intents import domain_intents
from bot.policies.active import ActivePolicies
from bot.policies.loader import load_policies
from bot.store.connection import redis_connection
from bot.store.transcript import Transcript
from bot.wiring import Core, build_core

CHANNEL = "cli"
WATCH_MS = 1000
PROMPT = "you> "


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


@dataclass
class Session:
    """What the terminal chat remembers: buttons to pick by number, its own turns."""

    buttons: list[str] = field(default_factory=list)
    turns: set[str] = field(default_factory=set)
    handoff: bool = False


async def chat(settings: Settings, sender: str, locale: Any) -> int:
    """Read lines, run turns, print replies; a number picks a button; Ctrl-D quits."""
    if isinstance(sys.stdout, io.TextIOWrapper):
        # Messages arrive between prompts: each line shows at once, even through a pipe.
        sys.stdout.reconfigure(line_buffering=True)
    async with redis_connection(settings) as redis, chat_nlu(settings) as (nlu, why):
        intents = domain_intents(settings.nlu_dir)
        policies = ActivePolicies(load_policies(settings.policies_dir, intents))
        core = build_core(settings, redis, nlu, policies)
        if why:
            print(f"[NLU unavailable: {why}]")
            print("[Free text gets the 'cannot understand' reply; buttons and /intent work.]")
        print("Type a message (or /intent), a number to press a button, Ctrl-D to quit.")
        session = Session()
        # A returning customer's history is old news; a new customer's is all new.
        known = await core.users.find_id(CHANNEL, sender)
        start = "0-0" if known is None else await _latest(core.transcript, known)
        watcher = asyncio.create_task(_watch(core, sender, session, start))
        try:
            await _talk(core, sender, locale, session)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
    return 0


async def _talk(core: Core, sender: str, locale: Any, session: Session) -> None:
    while True:
        try:
            line = (await asyncio.to_thread(input, PROMPT)).strip()
        except EOFError:
            print()
            return
        if not line:
            continue
        if line.isdigit() and 0 < int(line) <= len(session.buttons):
            line = session.buttons[int(line) - 1]
        message_id = f"cli-{uuid.uuid4().hex}"
        session.turns.add(message_id)
        inbound = Inbound(CHANNEL, sender, line, message_id=message_id, locale=locale)
        replies = await core.engine.handle(inbound)
        session.buttons = _show(replies)
        user = await core.users.find(CHANNEL, sender)
        if user is not None:
            print(f"      [stage: {user.stage.value}]")
            _handoff_notice(session, bool(user.state.get("handoff")))


def _handoff_notice(session: Session, open_now: bool) -> None:
    if open_now and not session.handoff:
        print("      [a person has been asked: their replies will appear here]")
    elif session.handoff and not open_now:
        print("      [back with the bot]")
    session.handoff = open_now


async def _watch(core: Core, sender: str, session: Session, last: str) -> None:
    """Print what the customer gets outside their own turns (staff, close, CSAT, follow-ups)."""
    user_id = await core.users.find_id(CHANNEL, sender)
    while True:
        if user_id is None:
            await asyncio.sleep(WATCH_MS / 1000)
            user_id = await core.users.find_id(CHANNEL, sender)
            continue
        for entry in await core.transcript.after(user_id, last, wait_ms=WATCH_MS):
            last = entry["id"]
            if entry["dir"] == "out" and entry.get("turn") not in session.turns:
                _arrived(entry, session)


async def _latest(transcript: Transcript, user_id: str) -> str:
    entries = await transcript.read(user_id, count=1)
    return str(entries[-1]["id"]) if entries else "0-0"


def _arrived(entry: dict[str, Any], session: Session) -> None:
    author = str(entry.get("author") or "bot")
    who = f"staff {author.removeprefix('staff:')}" if author.startswith("staff:") else "bot"
    if author.startswith("staff:") and not session.handoff:
        session.handoff = True
    print(f"\n{who}> {entry['text']}")
    buttons = entry.get("buttons") or []
    if buttons:
        session.buttons = []
    for button in buttons:
        session.buttons.append(button["payload"])
        print(f"     {len(session.buttons)}. {button['title']}  ({button['payload']})")
    print(PROMPT, end="", flush=True)


def _show(replies: list[Reply]) -> list[str]:
    payloads: list[str] = []
    for reply in replies:
        print(f"bot> {reply.text}")
        for button in reply.buttons:
            payloads.append(button.payload)
            print(f"     {len(payloads)}. {button.title}  ({button.payload})")
    return payloads
