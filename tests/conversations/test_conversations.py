"""Every conversation of tests/conversations, played through the real Rasa server."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from bot.config import Settings
from bot.conversations.format import Suite, conversation_files, load_suite
from bot.conversations.runner import BotUnderTest, bot_under_test, play_all
from bot.lifecycle import Stage
from bot.nlu.client import RasaClient
from bot.nlu.intents import domain_intents
from bot.nlu.server import RasaServer
from bot.nlu.vocabulary import load_vocabulary
from tests.conftest import REDIS_URL, ROOT

pytestmark = pytest.mark.rasa

HERE = Path(__file__).resolve().parent
FILES = conversation_files(HERE)


@pytest.fixture
async def bot(rasa: RasaServer, settings: Settings, redis: Redis) -> AsyncIterator[BotUnderTest]:
    async with httpx.AsyncClient() as http:
        nlu = RasaClient(
            [rasa.url],
            rasa.token,
            http,
            timeout_seconds=10.0,
            vocabulary=load_vocabulary(ROOT / "nlu"),
        )
        real = settings.model_copy(update={"nlu_dir": ROOT / "nlu", "nlu_enabled": True})
        async with bot_under_test(real, redis, nlu) as running:
            yield running


def _suite(path: Path) -> Suite:
    suite, problems = load_suite(path, domain_intents(ROOT / "nlu"))
    assert suite is not None, "\n".join(map(str, problems))
    return suite


def test_there_are_conversations_in_both_languages_for_every_stage() -> None:
    conversations = [c for path in FILES for c in _suite(path).conversations]
    names = [c.name for c in conversations]
    assert len(names) >= 40
    assert sum(name.endswith("(en)") for name in names) >= 15
    assert sum(name.endswith("(vi)") for name in names) >= 10
    assert sum(name.endswith("(vi, khong dau)") for name in names) >= 10
    reached = {t.stage for c in conversations for t in c.turns} | {c.stage for c in conversations}
    assert reached >= set(Stage)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
async def test_conversations(bot: BotUnderTest, path: Path) -> None:
    conversations, turns, failed = await play_all(bot, [_suite(path)])
    assert conversations > 0 and turns >= conversations
    assert not failed, "\n\n".join(map(str, failed))


async def _policies_test(
    rasa: RasaServer, prefix: str, *argv: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "REDIS_PREFIX": prefix,
        "RASA_URL": rasa.url,
        "RASA_TOKEN": rasa.token,
        "NLU_DIR": str(ROOT / "nlu"),
        "POLICIES_DIR": str(ROOT / "stage_policies"),
    }
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "bot", "policies", "test", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


async def test_a_marketer_tests_a_draft_of_the_policies(
    rasa: RasaServer, prefix: str, redis: Redis, tmp_path: Path
) -> None:
    # `redis` is requested so anything left under `prefix` is deleted after the test.
    draft = tmp_path / "draft"
    shutil.copytree(ROOT / "stage_policies", draft)
    consideration = (draft / "consideration.yml").read_text(encoding="utf-8")
    (draft / "consideration.yml").write_text(
        consideration.replace("Bảng giá SaleMate:", "Giá các gói:"), encoding="utf-8"
    )
    awareness = HERE / "awareness.yml"
    live = await _policies_test(rasa, prefix, str(awareness))
    assert live.returncode == 0, live.stdout + live.stderr
    assert "8 conversations, 13 turns: 8 passed, 0 failed" in live.stdout

    tried = await _policies_test(rasa, prefix, str(awareness), "--policies", str(draft))
    assert tried.returncode == 1, tried.stdout + tried.stderr
    line = next(
        n
        for n, text in enumerate(awareness.read_text(encoding="utf-8").splitlines(), start=1)
        if text.strip() == '- user: "bang gia the nao b"'
    )
    assert (
        f"FAIL {awareness}:{line}: 'khach moi hoi gia ngay tin dau (vi, khong dau)', "
        "turn 1: 'bang gia the nao b'\n"
        "  expected a reply containing 'Bảng giá SaleMate'\n"
        "  bot read ask_price (" in tried.stdout
    )
    assert "> Giá các gói:" in tried.stdout
    assert "8 conversations, 13 turns: 7 passed, 1 failed" in tried.stdout
    assert f"policies {draft})" in tried.stdout
    assert [k async for k in redis.scan_iter(match=f"{prefix}*")] == []


async def test_a_broken_conversation_file_is_reported_before_anything_runs(
    rasa: RasaServer, prefix: str, tmp_path: Path
) -> None:
    (tmp_path / "typo.yml").write_text(
        "conversations:\n  - name: x\n    turns:\n      - usr: hi\n", encoding="utf-8"
    )
    broken = await _policies_test(rasa, prefix, str(tmp_path))
    assert broken.returncode == 1
    assert f"{tmp_path / 'typo.yml'}:4:9: unknown field 'usr'" in broken.stderr
    empty = await _policies_test(rasa, prefix, str(tmp_path / "nothing"))
    assert empty.returncode == 1 and "no conversation files" in empty.stderr
