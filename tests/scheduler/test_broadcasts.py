"""Broadcasts: a segment's audience, the guardrails, and exactly one copy despite crashes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from actions.messaging import ReplyArgs
from bot.cli import main
from bot.scheduler.jobs import JobQueue
from bot.scheduler.segment import Segment
from bot.wiring import Components
from tests.conftest import REDIS_URL, Chat, admin_headers
from tests.fakes.clock import Clock

pytestmark = pytest.mark.usefixtures("morning")

MESSAGE = ReplyArgs.model_validate({"text": {"vi": "Tết này giảm 20%!", "en": "20% off this Tet!"}})


async def customers(client: TestClient[Any, Any], count: int, *first: str) -> list[Chat]:
    chats = []
    for i in range(count):
        chat = Chat(client, f"b{i}")
        await chat.send(first[i % len(first)] if first else "/greet", metadata={"locale": "en"})
        chats.append(chat)
    return chats


async def test_segment_by_stage_locale_and_tags(
    client: TestClient[Any, Any], services: Components, clock: Clock
) -> None:
    vip = {"metadata": {"locale": "vi", "profile": {"tags": ["vip", "hcm"]}}}
    await Chat(client, "vi-vip").send("/ask_price", **vip)
    await Chat(client, "vi").send("/ask_price", metadata={"locale": "vi"})
    await Chat(client, "en").send("/ask_price", metadata={"locale": "en"})
    await Chat(client, "new").send("/greet", metadata={"locale": "vi"})
    audience = services.broadcasts.audience
    now = clock()
    assert len(await audience(Segment(stage=["consideration"]), now)) == 3
    assert len(await audience(Segment(stage=["consideration"], locale="vi"), now)) == 2
    assert len(await audience(Segment(tags=["vip"]), now)) == 1
    assert len(await audience(Segment(), now)) == 4
    assert len(await audience(Segment(silent_for="1d"), now)) == 0
    assert len(await audience(Segment(silent_for="1d"), now + 2 * 86400)) == 4


async def test_every_customer_gets_one_copy_and_guardrails_apply(
    client: TestClient[Any, Any], services: Components
) -> None:
    chats = await customers(client, 6)
    await chats[0].send("/stop_messages")
    progress = await services.broadcasts.create(Segment(), MESSAGE, author="lan")
    assert progress.audience == 6
    await services.scheduler.run_once()
    assert await chats[0].outbox_texts() == []
    for chat in chats[1:]:
        assert await chat.outbox_texts() == ["20% off this Tet!"]
    final = await services.broadcasts.progress(progress.id)
    assert final is not None and (final.sent, final.dropped) == (5, 1)


async def test_a_crash_halfway_resumes_without_second_copies(
    client: TestClient[Any, Any],
    services: Components,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chats = await customers(client, 20)
    progress = await services.broadcasts.create(Segment(), MESSAGE, author="lan")
    # A process claims 8 jobs and dies before sending any of them.
    dead = JobQueue(services.redis, services.keys)
    assert len(await dead.claim(clock(), limit=8)) == 8
    # Another process sends 5 and dies after sending, before acknowledging them.
    original, acks = JobQueue.done, 0

    async def killed_after_sending(self: JobQueue, job_id: str) -> None:
        nonlocal acks
        acks += 1
        if acks <= 5:
            raise ConnectionError("process killed")
        await original(self, job_id)

    monkeypatch.setattr(JobQueue, "done", killed_after_sending)
    await services.scheduler.run_once()
    monkeypatch.setattr(JobQueue, "done", original)
    clock.advance(61)  # the leases of both dead processes end
    await services.scheduler.run_once()
    for chat in chats:
        assert await chat.outbox_texts() == ["20% off this Tet!"], chat.sender
    final = await services.broadcasts.progress(progress.id)
    assert final is not None and final.sent == 20


async def test_admin_api_dry_run_create_and_progress(
    client: TestClient[Any, Any], services: Components
) -> None:
    await customers(client, 3)
    message = {"text": {"vi": "Xin chào {{ profile.first_name | default('bạn') }}", "en": "Hi"}}
    dry = await client.post(
        "/api/broadcasts",
        json={"segment": {"stage": "awareness"}, "message": message, "dry_run": True},
        headers=admin_headers(),
    )
    assert await dry.json() == {"dry_run": True, "audience": 3}
    bad = await client.post(
        "/api/broadcasts",
        json={"segment": {"stage": "loyal"}, "message": message},
        headers=admin_headers(),
    )
    assert bad.status == 422 and (await bad.json())["error"]["field"] == "segment.stage.0"
    unknown = await client.post(
        "/api/broadcasts",
        json={"message": {"text": {"vi": "{{ nam }}", "en": "x"}}, "author": "lan"},
        headers=admin_headers(),
    )
    assert (await unknown.json())["error"]["field"] == "message.text.vi"
    created = await client.post(
        "/api/broadcasts", json={"message": message, "author": "lan"}, headers=admin_headers()
    )
    assert created.status == 202
    broadcast_id = (await created.json())["id"]
    await services.scheduler.run_once()
    state = await client.get(f"/api/broadcasts/{broadcast_id}", headers=admin_headers())
    assert (await state.json())["sent"] == 3
    assert (await client.get("/api/broadcasts/nope", headers=admin_headers())).status == 404


async def test_cli_dry_run_send_and_bad_message(
    client: TestClient[Any, Any],
    services: Components,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    chats = await customers(client, 3)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.setenv("REDIS_PREFIX", services.settings.redis_prefix)
    monkeypatch.setenv("QUIET_HOURS", "00:00-00:01")  # the CLI runs on the real clock
    message = tmp_path / "msg.yml"
    message.write_text("text:\n  vi: 'Ưu đãi Tết'\n  en: 'Tet offer'\n")
    args = ["broadcast", "--stage", "awareness", "--text-file", str(message)]
    assert await asyncio.to_thread(main, [*args, "--dry-run"]) == 0
    assert "dry run: 3 customers would receive it" in capsys.readouterr().out
    assert await asyncio.to_thread(main, args) == 0
    err = capsys.readouterr().err
    assert "3/3" in err and "sent 3, skipped 0" in err
    for chat in chats:
        assert await chat.outbox_texts() == ["Tet offer"]
    message.write_text("text:\n  vi: 'x'\n")
    assert await asyncio.to_thread(main, args) == 1
    assert f"{message}:2:3: missing translation 'en'" in capsys.readouterr().err
