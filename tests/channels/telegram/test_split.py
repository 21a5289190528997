"""Long texts split at paragraph, line and word breaks within Telegram's limit."""

from __future__ import annotations

from bot.channels.telegram.split import MAX_MESSAGE_LENGTH, split_text, telegram_length


def test_short_text_is_one_message() -> None:
    assert split_text("xin chào") == ["xin chào"]
    text = "a" * MAX_MESSAGE_LENGTH
    assert split_text(text) == [text]


def test_long_text_splits_at_paragraphs_and_loses_nothing() -> None:
    paragraphs = [f"Đoạn {i}: " + "chữ " * 300 for i in range(10)]
    text = "\n\n".join(paragraphs)
    parts = split_text(text)
    assert len(parts) > 1
    assert all(telegram_length(p) <= MAX_MESSAGE_LENGTH for p in parts)
    assert "\n\n".join(parts) == text
    assert all(part.startswith("Đoạn ") for part in parts)


def test_a_long_paragraph_splits_at_lines_then_words() -> None:
    lines = "\n".join(["line " + "x" * 20] * 10)
    parts = split_text(lines, limit=60)
    assert all(len(p) <= 60 for p in parts)
    assert "\n".join(parts) == lines
    words = " ".join(["word"] * 40)
    parts = split_text(words, limit=23)
    assert all(len(p) <= 23 for p in parts) and " ".join(parts) == words


def test_one_endless_word_is_cut_and_emoji_count_double() -> None:
    assert split_text("x" * 25, limit=10) == ["x" * 10, "x" * 10, "x" * 5]
    parts = split_text("😀" * 7, limit=4)
    assert parts == ["😀😀", "😀😀", "😀😀", "😀"]
    assert telegram_length("😀") == 2
