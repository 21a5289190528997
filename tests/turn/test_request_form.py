"""Questions and requests are told apart from statements, in both languages."""

from __future__ import annotations

import pytest

from bot.policies.source import compose, construct
from bot.turn.request_form import asks


@pytest.mark.parametrize(
    "text",
    [
        "what does the basic plan include",
        "How do I import products from Excel",
        "pro plan price please",
        "is there a yearly price?",
        "gói chuyên nghiệp bao nhiêu tiền",
        "goi co ban co quan ly kho ko",
        "cho minh hoi cach them nhan vien",
        "mình muốn dùng thử gói cao hơn",
        "huong dan ket noi may in voi",
    ],
)
def test_questions_and_requests(text: str) -> None:
    assert asks(text)


@pytest.mark.parametrize(
    "text",
    [
        "the sales report is my favourite part",
        "Checkout is fast and the staff learned it in a day",
        "bao cao ban hang rat de xem",
        "nhân viên của mình học dùng rất nhanh",
        "app hay bi treo luc dong bo",
    ],
)
def test_statements(text: str) -> None:
    assert not asks(text)


def test_yes_and_no_are_words_in_policy_yaml() -> None:
    value = construct(compose("yes: /request_trial\nno: /greet\ntext: no\nflag: true\n"))
    assert value == {"yes": "/request_trial", "no": "/greet", "text": "no", "flag": True}
