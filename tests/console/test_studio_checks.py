"""The studio's problems: the CLI's checks, in the marketer's words, at the field they are about."""

from __future__ import annotations

import pytest

from bot.console.studio.checks import check
from bot.console.studio.messages import localise
from bot.nlu.intents import KNOWN_INTENTS
from bot.policies.source import read_directory
from tests.conftest import ROOT

BROKEN = [
    # (file, old, new, path of the problem, words of the Vietnamese message)
    (
        "decision.yml",
        "{intent: request_discount}",
        "{intent: request_discountt}",
        ["rules", 1, "when", "intent"],
        "chưa được dạy ý định “request_discountt”",
    ),
    (
        "decision.yml",
        "Every feature is free until {{ expires }}",
        "Free until {{ expiry }}",
        ["rules", 0, "do", 0, "trial_offer", "offer", "en"],
        "Không dùng được biến {{ expiry }}",
    ),
    (
        "decision.yml",
        "Mã dùng thử của bạn: {{ code }}.",
        "Mã dùng thử của bạn: {{ code }.",
        ["rules", 0, "do", 0, "trial_offer", "offer", "vi"],
        "Lỗi cú pháp trong mẫu tin nhắn",
    ),
    (
        "decision.yml",
        "to: onboarding",
        "to: heaven",
        ["transitions", 0, "to"],
        "Không có giai đoạn “heaven”",
    ),
    (
        "decision.yml",
        "name: coupon",
        "name: trial",
        ["rules", 1, "name"],
        "hai quy tắc cùng tên “trial”",
    ),
    (
        "decision.yml",
        "{intent: request_trial}",
        "{intent: [request_trial, request_discount]}",
        ["rules", 1, "when"],
        "Quy tắc “coupon” không bao giờ được dùng",
    ),
    (
        "decision.yml",
        "coupon: WELCOME10",
        "coupon: welcome",
        ["rules", 1, "do", 0, "discount", "coupon"],
        "chữ IN HOA",
    ),
    (
        "decision.yml",
        "percent: 10",
        "percent: 0",
        ["rules", 1, "do", 0, "discount", "percent"],
        "từ 1 trở lên",
    ),
    (
        "decision.yml",
        "payload: /request_discount}\n  - name: coupon",
        "payload: request_discount}\n  - name: coupon",
        ["rules", 0, "do", 0, "trial_offer", "buttons", 1, "payload"],
        "bắt đầu bằng “/”",
    ),
    (
        "decision.yml",
        "after: -2d",
        "after: soon",
        ["follow_ups", 0, "after"],
        "không phải khoảng thời gian",
    ),
    (
        "decision.yml",
        "when: {intent: request_trial}",
        "when: {}",
        ["rules", 0, "when"],
        "cần ít nhất một điều kiện",
    ),
    (
        "decision.yml",
        "      - discount:",
        "      - checklist: show\n      - discount:",
        ["rules", 1, "do", 0, "checklist"],
        "cần phần “Danh sách việc cần làm”",
    ),
    (
        "decision.yml",
        "      - discount:",
        "      - sing:\n          text: la\n      - discount:",
        ["rules", 1, "do", 0, "sing"],
        "Không có hành động “sing”",
    ),
    (
        "decision.yml",
        "stage: decision",
        "stage: retention",
        ["stage"],
        "dành cho giai đoạn Quyết định",
    ),
    (
        "common.yml",
        'en: "You\'re welcome! Message me any time."',
        'fr: "De rien"',
        ["rules", 8, "do", 0, "reply", "text"],
        "Thiếu bản tiếng Anh",
    ),
    (
        "consideration.yml",
        "when: {intent: compare_plans}",
        "when: {intent: compare_plans, entities: {plan: gold}}",
        ["rules", 2, "when", "entities", "plan"],
        "Gói “gold” không có trong bảng giá",
    ),
    ("awareness.yml", "rules:\n", "rules: [\n", [], "Lỗi cú pháp YAML"),
]


@pytest.mark.parametrize(("name", "old", "new", "path", "words"), BROKEN)
def test_each_problem_is_in_vietnamese_at_its_field(
    name: str, old: str, new: str, path: list[object], words: str
) -> None:
    files, _ = read_directory(ROOT / "stage_policies")
    assert old in files[name]
    files[name] = files[name].replace(old, new, 1)
    result = check(files, KNOWN_INTENTS, "vi")
    assert result.policies is None and result.errors >= 1
    mine = [p for p in result.problems if p["file"] == name]
    assert any(p["path"] == path and words in p["message"] for p in mine), mine
    for problem in result.problems:
        assert "nlu/domain.yml" not in problem["message"]
        assert not problem["message"].startswith("Lỗi:"), problem  # a known shape, translated
    english = check(files, KNOWN_INTENTS, "en").problems
    assert all(not p["message"].startswith("Problem:") for p in english), english


def test_messages_never_name_the_nlu_file_and_name_stages_by_their_names() -> None:
    assert localise("intent 'x' is not in nlu/domain.yml", "en") == (
        "The bot has not been taught “x”: pick an intent from the list."
    )
    assert localise("something new from the validator in nlu/domain.yml", "vi") == (
        "Lỗi: something new from the validator in the NLU"
    )
    reached = "stage 'advocacy' cannot be reached from 'awareness': no rule moves there"
    assert localise(reached, "vi") == "Không quy tắc nào đưa khách tới giai đoạn Lan tỏa."


def test_a_valid_set_has_no_problem_and_a_policy_set() -> None:
    files, _ = read_directory(ROOT / "stage_policies")
    result = check(files, KNOWN_INTENTS, "vi")
    assert result.problems == [] and result.policies is not None and result.errors == 0


@pytest.mark.parametrize(
    ("meaning", "vi", "en"),
    [
        ("purchase", "dẫn tới một ý định bắt đầu bằng “/”", "leads to an intent starting with"),
        ("/purchase_now", "chưa được dạy ý định “purchase_now”", "not been taught “purchase_now”"),
    ],
)
def test_a_wrong_yes_answer_is_explained_at_its_field(meaning: str, vi: str, en: str) -> None:
    files, _ = read_directory(ROOT / "stage_policies")
    files["decision.yml"] = files["decision.yml"].replace("yes: /purchase", f"yes: {meaning}", 1)
    for lang, words in (("vi", vi), ("en", en)):
        [problem] = check(files, KNOWN_INTENTS, lang).problems
        assert problem["path"] == ["follow_ups", 1, "do", 0, "reply", "yes"]
        assert words in problem["message"], problem
