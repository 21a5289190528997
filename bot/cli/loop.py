"""The event loop the bot runs on: uvloop where it is installed (Linux, macOS)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


def run(main: Coroutine[Any, Any, None]) -> None:
    """Run `main` to completion, on uvloop when available (faster sockets and scheduling)."""
    try:
        import uvloop  # optional: not on Windows
    except ImportError:
        asyncio.run(main)
        return
    uvloop.run(main)
