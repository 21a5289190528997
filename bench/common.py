"""What the benchmarks share: the Redis they use and the bot's settings for one run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from redis.asyncio import Redis

from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def bench_settings(prefix: str, **overrides: Any) -> Settings:
    """Settings under the throw-away key `prefix`: no `.env`, a fresh data folder."""
    return Settings(
        _env_file=None,
        redis_url=REDIS_URL,
        redis_prefix=prefix,
        data_dir=Path(tempfile.mkdtemp()),
        admin_token=SecretStr("bench"),
        policies_dir=ROOT / "stage_policies",
        **overrides,
    )


async def delete_prefix(prefix: str) -> None:
    """Delete every key under `prefix:` in the benchmarks' Redis."""
    redis = Redis.from_url(REDIS_URL, decode_responses=True)
    batch: list[str] = []
    async for key in redis.scan_iter(match=f"{prefix}:*", count=5000):
        batch.append(key)
        if len(batch) >= 5000:
            await redis.unlink(*batch)
            batch.clear()
    if batch:
        await redis.unlink(*batch)
    await redis.aclose()
