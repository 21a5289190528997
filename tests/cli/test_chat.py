"""`python -m bot chat`: a terminal conversation, buttons pressed by number."""

from __future__ import annotations

import os
import subprocess
import sys

from redis.asyncio import Redis

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
