"""A fake CRM receiving webhooks on 127.0.0.1: records each request, fails when told to."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.local_http import serve


@dataclass
class Received:
    """One request as the CRM got it: the raw body (what the signature covers), headers."""

    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class Crm:
    """What the fake CRM got; `failures` answers (status codes) come before the 200s."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    delay: float = 0.0

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(Received(await request.read(), dict(request.headers)))
        if self.delay:
            await asyncio.sleep(self.delay)
        status = self.failures.pop(0) if self.failures else 200
        return web.json_response({"ok": status == 200}, status=status)

    def types(self) -> list[str]:
        return [r.json["type"] for r in self.received]


@asynccontextmanager
async def crm_server() -> AsyncIterator[Crm]:
    """A running fake CRM; its hook URL is `crm.url`."""
    crm = Crm()
    app = web.Application()
    app.router.add_post("/hooks", crm.handle)
    runner, base = await serve(app)
    crm.url = f"{base}/hooks"
    try:
        yield crm
    finally:
        await runner.cleanup()
