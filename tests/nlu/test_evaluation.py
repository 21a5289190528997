from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from bot.cli import nlu as nlu_cli
from bot.nlu.evaluation import (
    LabelledFileError,
    LabelledText,
    evaluate,
    parse_labelled_tsv,
    read_labelled_tsv,
)
from bot.nlu.parse import Parse

GOOD = (
    "intent\tlang\ttext\n"
    "greet\tvi\txin chào\n"
    "\n"
    "greet\tvi\tchao ad\n"
    "ask_price\ten\thow much is it\n"
    "ask_price\tvi\tbn tien\n"
)


def test_parses_lines_with_their_numbers() -> None:
    labelled = parse_labelled_tsv("\ufeff" + GOOD)
    assert labelled[0] == LabelledText("greet", "vi", "xin chào", 2)
    assert [x.line for x in labelled] == [2, 4, 5, 6]
    assert [x.vi_without_diacritics for x in labelled] == [False, True, False, True]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", r"<tsv>:1: the header"),
        ("text\tlang\tintent\ngreet\tvi\tchao\n", r"<tsv>:1: the header"),
        ("intent\tlang\ttext\n", "no labelled lines"),
        ("intent\tlang\ttext\ngreet\tvi\tchao\ngreet vi chao\n", r"<tsv>:3: expected 3 .* found 1"),
        ("intent\tlang\ttext\ngreet\tvi\tchao\tban\n", r"<tsv>:2: expected 3 .* found 4"),
        ("intent\tlang\ttext\ngreet\t\tchao\n", r"<tsv>:2: the lang field is empty"),
        ("intent\tlang\ttext\ngreet\tvi\t \n", r"<tsv>:2: the text field is empty"),
        ("intent\tlang\ttext\ngreeting\tvi\tchao\n", r"<tsv>:2: unknown intent 'greeting'"),
    ],
)
def test_malformed_files_name_the_line(content: str, message: str) -> None:
    with pytest.raises(LabelledFileError, match=message):
        parse_labelled_tsv(content)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(LabelledFileError, match="cannot read it"):
        read_labelled_tsv(tmp_path / "missing.tsv")
    (tmp_path / "latin1.tsv").write_bytes(b"intent\tlang\ttext\ngreet\tvi\tch\xe0o\n")
    with pytest.raises(LabelledFileError, match="cannot read it"):
        read_labelled_tsv(tmp_path / "latin1.tsv")


class ScriptedNlu:
    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers
        self.seen: list[str] = []

    async def parse(self, text: str) -> Parse:
        self.seen.append(text)
        return Parse(self.answers.get(text, "nlu_fallback"), 0.9)

    def health(self) -> dict[str, Any]:
        return {"state": "up"}


async def test_evaluate_reports_groups_and_confusions() -> None:
    labelled = parse_labelled_tsv(GOOD)
    nlu = ScriptedNlu({"xin chào": "greet", "how much is it": "ask_price", "bn tien": "greet"})
    report = await evaluate(nlu, labelled)
    assert sorted(nlu.seen) == sorted(x.text for x in labelled)  # raw text: nlu normalises
    assert report["n"] == 4
    assert report["accuracy"] == 0.5
    assert report["by_lang"] == {
        "en": {"n": 1, "accuracy": 1.0},
        "vi": {"n": 3, "accuracy": 0.3333},
    }
    assert report["vi_no_diacritics"] == {"n": 2, "accuracy": 0.0}
    assert report["by_intent"]["ask_price"] == {"n": 2, "accuracy": 0.5}
    assert report["confusions"] == [
        {"intent": "ask_price", "predicted": "greet", "count": 1, "examples": ["bn tien"]},
        {"intent": "greet", "predicted": "nlu_fallback", "count": 1, "examples": ["chao ad"]},
    ]


async def test_parts_are_reported_on_their_own_and_in_the_totals() -> None:
    labelled = parse_labelled_tsv(
        "intent\tlang\ttext\n"
        "# part: first set\n"
        "greet\tvi\txin chào\n"
        "#   a comment is not a part, nor a text\n"
        "greet\ten\thello\n"
        "#part:second set, 2026\n"
        "ask_price\tvi\tbn tien\n"
    )
    assert [(x.part, x.line) for x in labelled] == [
        ("first set", 3),
        ("first set", 5),
        ("second set, 2026", 7),
    ]
    report = await evaluate(ScriptedNlu({"xin chào": "greet", "hello": "greet"}), labelled)
    assert report["accuracy"] == 0.6667
    assert report["by_part"] == {
        "first set": {
            "n": 2,
            "accuracy": 1.0,
            "by_lang": {"en": {"n": 1, "accuracy": 1.0}, "vi": {"n": 1, "accuracy": 1.0}},
            "vi_no_diacritics": {"n": 0, "accuracy": 0.0},
        },
        "second set, 2026": {
            "n": 1,
            "accuracy": 0.0,
            "by_lang": {"vi": {"n": 1, "accuracy": 0.0}},
            "vi_no_diacritics": {"n": 1, "accuracy": 0.0},
        },
    }


async def test_a_file_without_parts_has_no_part_breakdown() -> None:
    report = await evaluate(ScriptedNlu({}), parse_labelled_tsv(GOOD))
    assert "by_part" not in report


async def test_texts_before_the_first_part_are_a_part_of_their_own() -> None:
    labelled = parse_labelled_tsv(GOOD + "# part: later\ngreet\ten\thello\n")
    report = await evaluate(ScriptedNlu({"hello": "greet"}), labelled)
    assert {name: part["n"] for name, part in report["by_part"].items()} == {
        "(before the first part)": 4,
        "later": 1,
    }


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    nlu_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


def test_eval_command_rejects_a_malformed_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("intent\tlang\ttext\ngreet\tvi\tchao\nask_price en how much\n")
    assert run_cli(["nlu", "eval", str(path)]) == 2
    captured = capsys.readouterr()
    assert f"{path}:3: expected 3 tab-separated fields" in captured.err
    assert captured.out == ""
