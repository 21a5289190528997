from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.normalise import normalise
from bot.nlu.vocabulary import knows_any_word, load_vocabulary, vocabulary_of, words

DATA = {
    "version": "3.1",
    "nlu": [
        {"intent": "ask_price", "examples": "- Giá gói [Chuyên nghiệp](plan:pro) bn?\n- price\n"},
        {"intent": "greet", "examples": [{"text": "Xin chào"}]},
        {"synonym": "Doanh Nghiệp", "examples": "- company\n"},
        {"lookup": "plan", "examples": "- starter\n"},
        {"regex": "order", "examples": "- \\bDH\\d{6}\\b\n"},
    ],
}


def test_vocabulary_holds_folded_words_of_examples_synonyms_and_lookups() -> None:
    vocabulary = vocabulary_of([DATA, None, {"rules": []}])
    assert vocabulary == {
        "gia", "goi", "chuyen", "nghiep", "bao", "nhieu", "price", "xin", "chao",
        "doanh", "company", "starter",
    }  # fmt: skip


def test_words_are_alphabetic_only() -> None:
    assert words(normalise("Gói PRO 2 năm, giá bn?")) == [
        "goi",
        "pro",
        "nam",
        "gia",
        "bao",
        "nhieu",
    ]


VOCABULARY = frozenset({"gia", "goi", "pro", "price", "how", "much", "dashboard"})


@pytest.mark.parametrize(
    "text",
    [
        "how much",  # every word known
        "xjqz how",  # one known word is enough
        "gia goi prooo",  # a typo of a known word
        "dashbaord",  # a typo of a known word
        "9",  # no words at all: the model decides
        "10/10",
    ],
)
def test_known_words_pass(text: str) -> None:
    assert knows_any_word(normalise(text), VOCABULARY)


@pytest.mark.parametrize("text", ["xjqz vbnm plokk wq", "asdkjh qwpoeiru zxmcnv", "zzz 123"])
def test_text_without_a_known_word_is_stopped(text: str) -> None:
    assert not knows_any_word(normalise(text), VOCABULARY)


def test_load_vocabulary_of_a_project(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yml").write_text("nlu:\n- intent: greet\n  examples: |\n    - Chào\n")
    (tmp_path / "data" / "broken.yml").write_text("nlu: [unclosed\n")
    assert load_vocabulary(tmp_path) == frozenset({"chao"})


def test_load_vocabulary_without_data_is_none(tmp_path: Path) -> None:
    assert load_vocabulary(tmp_path) is None
    (tmp_path / "data").mkdir()
    assert load_vocabulary(tmp_path) is None


def test_real_project_vocabulary_knows_customers_but_not_gibberish() -> None:
    vocabulary = load_vocabulary(Path(__file__).resolve().parents[2] / "nlu")
    assert vocabulary is not None
    for text in ("chào shop", "giá gói pro bn", "I have some feedback", "ok", "hủy đăng ký"):
        assert knows_any_word(normalise(text), vocabulary), text
    for text in ("xjqz vbnm plokk wq", "asdkjh qwpoeiru zxmcnv"):
        assert not knows_any_word(normalise(text), vocabulary), text
