"""What the benchmarks share: the Redis they use and the bot's settings for one run."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from pydantic import SecretStr

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
