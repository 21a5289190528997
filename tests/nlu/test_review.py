"""`python -m bot nlu review`: people label what the bot did not understand.

Each test runs the command (in this process; on a terminal as a process of its own) against
its own Redis key prefix and a copy of the Rasa project whose held-out file holds texts
made up here (never the real ones).
"""

from __future__ import annotations

import asyncio
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from redis.asyncio import Redis

from bot.cli import main
from bot.lifecycle import Stage
from bot.nlu.parse import Parse
from bot.nlu.project_hash import nlu_project_hash
from bot.nlu.review_tsv import COLUMNS
from bot.nlu.training_data import prepare_training_data
from bot.store.keys import Keys
from bot.store.misunderstood import MisunderstoodLog
from tests.conftest import REDIS_URL, ROOT

HELDOUT = (
    "intent\tlang\ttext\n"
    "ask_price\tvi\tBảng giá phần mềm quản lý kho thế nào vậy\n"
    "greet\ten\tmorning team how are things\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    nlu_dir = tmp_path / "nlu"
    (nlu_dir / "tests").mkdir(parents=True)
    for name in ("config.yml", "domain.yml"):
        shutil.copyfile(ROOT / "nlu" / name, nlu_dir / name)
    shutil.copytree(ROOT / "nlu" / "data", nlu_dir / "data")
    (nlu_dir / "tests" / "heldout.tsv").write_text(HELDOUT, encoding="utf-8")
    return nlu_dir


@pytest.fixture
def log(redis: Redis, prefix: str) -> MisunderstoodLog:
    return MisunderstoodLog(redis, Keys(prefix), threshold=0.7, limit=100)


def _unsure(*guesses: tuple[str, float]) -> Parse:
    return Parse("nlu_fallback", 0.5, ranking=(("nlu_fallback", 0.5), *guesses))


async def keep_said(
    log: MisunderstoodLog,
    *messages: tuple[str, Parse],
    since: float = 1_800_000_000.0,
    customer: str = "u",
) -> None:
    """Each message not understood, said by customer `{customer}{n}` at `since + n`."""
    for n, (text, parse) in enumerate(messages):
        await log.keep(
            user_id=f"{customer}{n}",
            stage=Stage.CONSIDERATION,
            locale="vi",
            text=text,
            parse=parse,
            replies=["Xin lỗi, mình chưa hiểu ý bạn."],
            now=since + n,
        )


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def review(
    prefix: str, project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Awaitable[Ran]]:
    """`python -m bot nlu review ARGS` in this process (stdin is not a terminal here)."""
    for name, value in _env(prefix, project).items():
        monkeypatch.setenv(name, value)

    async def run(*argv: str) -> Ran:
        code = await asyncio.to_thread(main, ["nlu", "review", *argv])
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run


Review = Callable[..., Awaitable[Ran]]


def _env(prefix: str, project: Path) -> dict[str, str]:
    return {"REDIS_URL": REDIS_URL, "REDIS_PREFIX": prefix, "NLU_DIR": str(project)}


def _rows(path: Path) -> list[dict[str, str]]:
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    return [dict(zip(header.split("\t"), line.split("\t"), strict=True)) for line in lines]


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    lines = ["\t".join(COLUMNS), *("\t".join(row[c] for c in COLUMNS) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def test_export_fill_in_import_turns_labels_into_training_data(
    log: MisunderstoodLog, prefix: str, project: Path, tmp_path: Path, review: Review
) -> None:
    price = _unsure(("ask_price", 0.41), ("compare_plans", 0.2), ("purchase", 0.1))
    await keep_said(
        log,
        ("gia ca the nao shop oi", price),
        ("thoi tiet hom nay dep ghe", Parse("out_of_scope", 0.9, ranking=(("out_of_scope", 0.9),))),
        ("Giá cả thế nào shop ơi", price),
        ("xjqz vbnm", Parse("nlu_fallback", 0.0)),
    )
    sheet = tmp_path / "review.tsv"
    exported = await review("--export", str(sheet))
    assert exported.returncode == 0, exported.stderr
    assert sheet.read_text(encoding="utf-8").splitlines()[0] == "\t".join(COLUMNS)
    rows = _rows(sheet)
    # One line per distinct text; the biggest group first; every label empty.
    assert [(r["closest_intent"], r["count"], r["text"]) for r in rows] == [
        ("ask_price", "2", "Giá cả thế nào shop ơi"),
        ("", "1", "xjqz vbnm"),
        ("out_of_scope", "1", "thoi tiet hom nay dep ghe"),
    ]
    assert len(rows[0]["id"].split(",")) == 2
    assert rows[0]["other_intents"] == "compare_plans 0.20, purchase 0.10"
    assert rows[0]["last_seen"] == "2027-01-15 15:00"  # local time, not an epoch
    assert {r["label"] for r in rows} == {""}

    before = nlu_project_hash(project)
    rows[0]["label"], rows[2]["label"] = "ask_price", "ignore"
    _write_rows(sheet, rows)
    imported = await review("--import", str(sheet))
    assert imported.returncode == 0, imported.stderr
    assert "1 labelled (ask_price 1): 1 new example" in imported.stdout
    assert "1 ignored; 1 left to review" in imported.stdout

    reviewed = yaml.safe_load((project / "data" / "reviewed.yml").read_text(encoding="utf-8"))
    assert reviewed == {
        "version": "3.1",
        "nlu": [{"intent": "ask_price", "examples": "- Giá cả thế nào shop ơi\n"}],
    }
    assert nlu_project_hash(project) != before  # so the model is trained again
    folded = prepare_training_data(project, tmp_path / "folded")
    assert "gia ca the nao shop oi" in (tmp_path / "folded" / "reviewed.yml").read_text()
    assert len(folded) == len(list((project / "data").glob("*.yml")))
    assert [i.text for i in await log.items()] == ["xjqz vbnm"]

    again = await review("--import", str(sheet))
    assert again.returncode == 0, again.stderr
    assert "2 lines no longer in the queue" in again.stdout


async def test_import_refuses_a_heldout_text_and_applies_nothing(
    log: MisunderstoodLog, prefix: str, project: Path, tmp_path: Path, review: Review
) -> None:
    price = _unsure(("ask_price", 0.45))
    await keep_said(
        log,
        ("BANG GIA phan mem quan ly kho the nao vay", price),  # the held-out text, folded
        ("how are things team morning", _unsure(("greet", 0.4))),  # reordered
        ("phan mem co app dien thoai khong", _unsure(("ask_product_info", 0.4))),
    )
    sheet = tmp_path / "review.tsv"
    assert (await review("--export", str(sheet))).returncode == 0
    rows = _rows(sheet)
    for row in rows:
        row["label"] = row["closest_intent"]
    _write_rows(sheet, rows)
    refused = await review("--import", str(sheet))
    assert refused.returncode == 1
    assert refused.stderr.count("is one of the held-out test messages") == 2
    # Lines by group: ask_price, ask_product_info, greet.
    assert f"{sheet}:2: 'BANG GIA" in refused.stderr and f"{sheet}:4: 'how are" in refused.stderr
    assert "label it ignore" in refused.stderr
    assert not (project / "data" / "reviewed.yml").exists()
    assert await log.count() == 3

    rows[0]["label"] = rows[2]["label"] = "ignore"
    _write_rows(sheet, rows)
    accepted = await review("--import", str(sheet))
    assert accepted.returncode == 0, accepted.stderr
    assert "1 labelled (ask_product_info 1)" in accepted.stdout
    assert await log.count() == 0


async def test_unknown_labels_and_foreign_files_are_refused(
    log: MisunderstoodLog, prefix: str, project: Path, tmp_path: Path, review: Review
) -> None:
    await keep_said(log, ("gia ca the nao", _unsure(("ask_price", 0.4))))
    sheet = tmp_path / "review.tsv"
    assert (await review("--export", str(sheet))).returncode == 0
    rows = _rows(sheet)
    rows[0]["label"] = "ask_weather"
    _write_rows(sheet, rows)
    wrong = await review("--import", str(sheet))
    assert wrong.returncode == 1
    assert f"{sheet}:2: unknown label 'ask_weather': use one of affirm, ask_price" in wrong.stderr
    foreign = tmp_path / "other.tsv"
    foreign.write_text("intent\tlang\ttext\ngreet\tvi\tchao\n", encoding="utf-8")
    not_ours = await review("--import", str(foreign))
    assert not_ours.returncode == 1 and f"{foreign}:1: not a review file" in not_ours.stderr
    assert await log.count() == 1


async def test_without_a_terminal_the_queue_is_listed_with_how_to_label_it(
    log: MisunderstoodLog, prefix: str, project: Path, review: Review
) -> None:
    empty = await review()
    assert (empty.returncode, empty.stdout) == (0, "nothing to review\n")
    await keep_said(log, ("gia ca the nao", _unsure(("ask_price", 0.41), ("purchase", 0.2))))
    listed = await review()
    assert listed.returncode == 0, listed.stderr
    assert "── ask_price\n[1/1] 'gia ca the nao'\n" in listed.stdout
    assert "stage consideration · vi · NLU: ask_price 0.41, purchase 0.20" in listed.stdout
    assert "bot said: Xin lỗi, mình chưa hiểu ý bạn." in listed.stdout
    assert "--export review.tsv" in listed.stdout


def _on_terminal(env: dict[str, str], answers: list[str], timeout: float = 60) -> str:
    """Run `nlu review` on a pseudo-terminal, answering each prompt in turn."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "nlu", "review"],
        cwd=ROOT,
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    output, answered = b"", 0
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the process ended and closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            if answered < len(answers) and output.count(b"label (") > answered:
                os.write(master, answers[answered].encode() + b"\n")
                answered += 1
            if process.poll() is not None and not ready:
                break
        assert process.wait(timeout=5) == 0, output.decode(errors="replace")
    finally:
        process.kill()
        os.close(master)
    return output.decode(errors="replace").replace("\r\n", "\n")


async def test_on_a_terminal_each_text_is_labelled_in_turn(
    log: MisunderstoodLog, prefix: str, project: Path
) -> None:
    price = _unsure(("ask_price", 0.41))
    await keep_said(
        log,
        ("gia ca the nao shop oi", price),
        ("gia ca the nao shop oi", price),
        ("xjqz vbnm", Parse("nlu_fallback", 0.0)),
        ("morning team, how are things?", _unsure(("greet", 0.45))),
        ("goi nay xai sao vay", _unsure(("onboarding_help", 0.4))),
        ("cai nay de lam gi", _unsure(("onboarding_help", 0.3))),
    )
    # In order: the ask_price text, the two onboarding_help ones (latest first), the one
    # without a guess, the greet one.
    answers = ["y", "weather", "i", "", "", "3", "q"]
    out = await asyncio.to_thread(_on_terminal, {**os.environ, **_env(prefix, project)}, answers)
    assert "5 texts to review, grouped by the intent the NLU found closest." in out
    assert "[1/5] 'gia ca the nao shop oi'  ×2" in out
    assert "unknown label 'weather'" in out
    # "3" picks the third intent of the list, but this text is a held-out one.
    assert "'morning team, how are things?' is one of the held-out test messages" in out
    assert "1 labelled (ask_price 1): 1 new example" in out
    assert "1 ignored; 3 left to review" in out
    reviewed = (project / "data" / "reviewed.yml").read_text(encoding="utf-8")
    assert "- intent: ask_price\n  examples: |\n    - gia ca the nao shop oi\n" in reviewed
    assert sorted(i.text for i in await log.items()) == [
        "goi nay xai sao vay",
        "morning team, how are things?",
        "xjqz vbnm",
    ]
