"""`python -m bot chat`: a terminal conversation, buttons pressed by number."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from asyncio.subprocess import PIPE

from redis.asyncio import Redis

from bot.wiring import Components
from tests.conftest import REDIS_URL, ROOT


def test_chat_runs_turns_and_shows_the_stage(prefix: str, redis: Redis) -> None:
    # `redis` is requested so the keys this run writes under `prefix` are deleted after.
    env = {**os.environ, "REDIS_URL": REDIS_URL, "REDIS_PREFIX": prefix, "NLU_ENABLED": "false"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--locale", "en"],
        cwd=ROOT,
        env=env,
        input="/greet\n2\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "bot> Hi there!" in out
    assert "2. Pricing  (/ask_price)" in out
    # Pressing 2 sent /ask_price, which moves the customer to consideration.
    assert "[stage: consideration]" in out
    assert "SaleMate pricing:" in out


async def test_chat_shows_the_handoff_staff_replies_close_and_csat(
    prefix: str, services: Components
) -> None:
    env = {**os.environ, "REDIS_URL": REDIS_URL, "REDIS_PREFIX": prefix, "NLU_ENABLED": "false"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "chat", "--locale", "en", "--sender", "term",
        cwd=ROOT, env=env, stdin=PIPE, stdout=PIPE, stderr=PIPE,
    )  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    seen: list[str] = []

    async def until(text: str) -> None:
        assert process.stdout is not None
        while not any(text in line for line in seen):
            line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
            assert line, f"chat ended before {text!r}: {seen}"
            seen.append(line.decode())

    await until("Type a message")
    assert any("NLU unavailable: NLU_ENABLED=false" in line for line in seen)
    process.stdin.write(b"/request_human\n")
    await until("a person has been asked")
    user_id = await services.users.find_id("cli", "term")
    assert user_id is not None
    await services.handoffs.staff_reply(user_id, "Hi, Lan here.", author="staff:lan")
    await until("staff lan> Hi, Lan here.")
    await services.handoffs.close(user_id, by="staff:lan")
    await until("How would you rate the help")
    await until("5. 5")
    process.stdin.close()
    assert await asyncio.wait_for(process.wait(), timeout=30) == 0
