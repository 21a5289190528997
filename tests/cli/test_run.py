"""`python -m bot run` as a user starts it: embedded Redis, REST, admin API, Ctrl-C."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from redis.asyncio import Redis

from tests.conftest import REDIS_URL, ROOT
from tests.fakes import telegram_updates as updates
from tests.fakes.telegram_server import TOKEN, FakeTelegram


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_bot(data_dir: Path, port: int) -> Iterator[subprocess.Popen[str]]:
    env = {
        **os.environ,
        "REDIS_URL": "",
        "NLU_ENABLED": "false",
        "ADMIN_TOKEN": "",
        "DATA_DIR": str(data_dir),
        "HTTP_PORT": str(port),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90  # generous: imports alone take seconds on a busy machine
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "the bot did not become healthy in 90 s"
            time.sleep(0.2)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def redis_servers_in(data_dir: Path) -> list[int]:
    """Pids of Redis servers working in `data_dir` (a daemonised server chdirs to its dir)."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if (
                "redis-server" in (proc / "cmdline").read_text()
                and (proc / "cwd").resolve() == data_dir
            ):
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def wait_until_stopped(data_dir: Path) -> list[int]:
    deadline = time.monotonic() + 10
    while (pids := redis_servers_in(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return pids


def test_run_serves_customers_and_keeps_data_across_restarts(tmp_path: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running_bot(tmp_path, port) as process:
        assert redis_servers_in(tmp_path.resolve()), "no embedded Redis was started"
        replies = httpx.post(
            f"{base}/webhooks/rest/webhook", json={"sender": "curl-user", "message": "/ask_price"}
        ).json()
        assert replies[0]["recipient_id"] == "curl-user"
        token = (tmp_path / "admin_token").read_text().strip()
        user = httpx.get(
            f"{base}/api/users/rest/curl-user", headers={"Authorization": f"Bearer {token}"}
        ).json()
        assert user["stage"] == "consideration"
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
    assert wait_until_stopped(tmp_path.resolve()) == [], "Ctrl-C left Redis running"
    assert (tmp_path / "appendonly.aof").exists()

    with running_bot(tmp_path, port) as process:
        user = httpx.get(
            f"{base}/api/users/rest/curl-user", headers={"Authorization": f"Bearer {token}"}
        ).json()
        assert [h["to"] for h in user["stage_history"]] == ["awareness", "consideration"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0


async def test_run_with_a_token_polls_telegram_and_stops_on_sigterm(
    tmp_path: Path, prefix: str, redis: Redis
) -> None:
    async with FakeTelegram() as telegram:
        env = {
            **os.environ,
            "REDIS_URL": REDIS_URL,
            "REDIS_PREFIX": prefix,
            "NLU_ENABLED": "false",
            "ADMIN_TOKEN": "t",
            "DATA_DIR": str(tmp_path),
            "HTTP_PORT": str(free_port()),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE": telegram.base,
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            await telegram.wait_for(lambda: telegram.polls_started > 0, within=30, what="polling")
            telegram.enqueue({"message": updates.message(updates.user(42), 1, text="/greet")})
            await telegram.wait_for(lambda: bool(telegram.texts(42)), what="the greeting")
            assert telegram.texts(42)[0].startswith("Chào An!")
            process.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(process.wait(), 20) == 0
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    assert [c.method for c in telegram.calls[:2]] == ["deletewebhook", "getme"]
