"""Live editing: revisions in Redis, publish / history / diff / rollback, hot reload."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis

from bot.cli import main
from bot.config import Settings
from bot.inbound import Inbound
from bot.nlu.parse import Parse
from bot.policies.revisions import Revisions
from bot.store.keys import Keys
from bot.wiring import build_components
from tests.conftest import REDIS_URL, ROOT

OLD_GREETING = "Hi {{ profile.first_name | default('there') }}! I'm the SaleMate POS assistant."
NEW_GREETING = "Hello from the new revision!"
NEW_REPLY = f"{NEW_GREETING} How can I help?"


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "stage_policies", target)
    return target


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, prefix: str, redis: Redis) -> None:
    # `redis` is requested so that the keys written under `prefix` are deleted after.
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.setenv("REDIS_PREFIX", prefix)


def _edit_greeting(directory: Path) -> dict[str, str]:
    """Change the greeting in `directory`; returns the edited set as `{file: text}`."""
    common = directory / "common.yml"
    common.write_text(common.read_text().replace(OLD_GREETING, NEW_GREETING))
    return {p.name: p.read_text() for p in directory.glob("*.yml")}


async def _in_thread(*args: str) -> int:
    # The CLI runs its own event loop, as it does from a shell.
    return await asyncio.to_thread(main, list(args))


async def test_publish_history_diff_and_rollback(
    cli_env: None, policy_dir: Path, redis: Redis, prefix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await _in_thread("policies", "publish", str(policy_dir), "--author", "lan") == 0
    _edit_greeting(policy_dir)
    assert (
        await _in_thread("policies", "publish", str(policy_dir), "--author", "minh", "-m", "hi")
        == 0
    )
    assert await _in_thread("policies", "history") == 0
    out = capsys.readouterr().out
    assert "published" in out and "as revision 2" in out
    lines = [line for line in out.splitlines() if line[2:6].strip().isdigit()]
    assert [line.split()[0] for line in lines] == ["1", "*"]
    assert lines[1].endswith("minh  hi")

    assert await _in_thread("policies", "diff", "1", "2") == 0
    diff = capsys.readouterr().out
    assert "--- r1/common.yml\n+++ r2/common.yml\n" in diff
    assert f'+            en: "{NEW_GREETING} How can I help?"' in diff

    assert await _in_thread("policies", "rollback", "1", "--author", "lan") == 0
    revisions = Revisions(redis, Keys(prefix))
    current = await revisions.current()
    first = await revisions.get(1)
    assert current is not None and first is not None
    assert (current.number, current.hash, current.message) == (3, first.hash, "rollback to 1")
    assert await _in_thread("policies", "diff", "1", "9") == 2


async def test_an_invalid_set_is_never_published(
    cli_env: None, policy_dir: Path, redis: Redis, prefix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (policy_dir / "decision.yml").write_text("stage: decision\nrules: [{name: x}]\n")
    assert await _in_thread("policies", "publish", str(policy_dir)) == 1
    err = capsys.readouterr().err
    assert err.startswith("not published:\n")
    assert "decision.yml:2:9: missing field 'when'" in err
    assert await Revisions(redis, Keys(prefix)).current_number() is None


async def test_every_replica_switches_within_two_seconds(
    settings: Settings, redis: Redis, policy_dir: Path
) -> None:
    replicas = [build_components(settings, redis, nlu=None) for _ in range(2)]
    await replicas[0].follower.seed(settings.policies_dir)
    await replicas[1].follower.seed(settings.policies_dir)
    assert replicas[0].policies.number == replicas[1].policies.number == 1
    tasks = [asyncio.create_task(r.follower.run()) for r in replicas]
    try:
        greeting = Inbound("rest", "x", "/greet", locale="en")
        assert (await replicas[1].engine.handle(greeting))[0].text.startswith("Hi there!")
        files = _edit_greeting(policy_dir)
        revisions = Revisions(redis, Keys(settings.redis_prefix))
        started = time.monotonic()
        await revisions.publish(files, author="lan", message="new hello", at=time.time())
        while any(r.policies.number != 2 for r in replicas):
            assert time.monotonic() - started < 2.0, "a replica still runs the old revision"
            await asyncio.sleep(0.02)
        for replica in replicas:
            replies = await replica.engine.handle(Inbound("rest", "y", "/greet", locale="en"))
            assert replies[0].text == NEW_REPLY
    finally:
        for task in tasks:
            task.cancel()


class SlowNlu:
    """Understands everything as a greeting; messages ending in 50 or more wait for `go`."""

    def __init__(self) -> None:
        self.go = asyncio.Event()

    async def parse(self, text: str) -> Parse:
        if int(text.split()[-1]) >= 50:
            await self.go.wait()
        return Parse("greet", 1.0)

    def health(self) -> dict[str, Any]:
        return {"state": "up"}


async def test_publishing_mid_flight_leaves_each_turn_on_one_revision(
    settings: Settings, redis: Redis, policy_dir: Path
) -> None:
    nlu = SlowNlu()
    services = build_components(settings, redis, nlu=nlu)
    await services.follower.seed(settings.policies_dir)
    old_hash = services.policies.current.revision
    turns = [
        asyncio.ensure_future(
            services.engine.handle(Inbound("rest", f"c{i}", f"hello {i}", locale="en"))
        )
        for i in range(100)
    ]

    async def publish_midway() -> None:
        # The first half has finished; the second half is in flight, waiting on the NLU.
        await asyncio.gather(*turns[:50])
        files = _edit_greeting(policy_dir)
        await services.revisions.publish(files, author="a", message="", at=0)
        assert await services.follower.sync()
        nlu.go.set()

    results = await asyncio.gather(*turns, publish_midway())
    new_hash = services.policies.current.revision
    assert new_hash != old_hash
    seen = set()
    for i, replies in enumerate(results[:100]):
        assert replies is not None and len(replies) == 1
        user_id = await services.users.find_id("rest", f"c{i}")
        assert user_id is not None
        entries = await services.transcript.read(user_id)
        revisions = {e["revision"] for e in entries}
        assert len(revisions) == 1, entries
        (revision,) = revisions
        seen.add(revision)
        expected_new = revision == new_hash
        assert (replies[0].text == NEW_REPLY) == expected_new, (i, revision, replies)
    assert seen == {old_hash, new_hash}
