"""Sending through the Send API: quick replies or button templates within the limits, the
window and the human-agent tag, errors as outcomes."""

from __future__ import annotations

import httpx
import pytest

from bot.channels.messenger.sender import MessengerSender, Purpose
from bot.channels.shared.outcome import Outcome
from bot.channels.shared.pacing import Pacing, Rates
from bot.effects import Button, Reply
from tests.channels.conftest import Sleeps
from tests.fakes.clock import Clock
from tests.fakes.graph_server import FakeGraph

PSID = "24681357902468135"
FAST = Pacing(Rates(overall_per_second=1000, recipient_per_second=1000))


@pytest.fixture(autouse=True)
def customer_wrote(graph: FakeGraph) -> None:
    graph.wrote(PSID)


def options(n: int) -> tuple[Button, ...]:
    return tuple(Button(f"Lựa chọn số {i} rất dài", f'/choose{{"n": {i}}}') for i in range(n))


async def test_up_to_13_buttons_are_quick_replies(
    sender: MessengerSender, graph: FakeGraph
) -> None:
    result = await sender.send(PSID, [Reply("Bạn muốn xem gì?", options(13))])
    assert result.ok and result.sent == 1
    (sent,) = graph.sent
    assert sent.messaging_type == "RESPONSE" and sent.message["text"] == "Bạn muốn xem gì?"
    replies = sent.message["quick_replies"]
    assert len(replies) == 13 and replies[0] == {
        "content_type": "text",
        "title": "Lựa chọn số 0 rất d…",
        "payload": '/choose{"n": 0}',
    }
    assert all(len(r["title"]) <= 20 for r in replies)


async def test_more_buttons_go_as_button_templates(
    sender: MessengerSender, graph: FakeGraph
) -> None:
    result = await sender.send(PSID, [Reply("Chọn ngày hẹn:", options(14))])
    assert result.ok and result.sent == 5  # 14 buttons: templates of 3, 3, 3, 3, 2
    templates = [s.message["attachment"]["payload"] for s in graph.sent]
    assert [len(t["buttons"]) for t in templates] == [3, 3, 3, 3, 2]
    assert graph.texts(PSID) == ["Chọn ngày hẹn:", "…", "…", "…", "…"]
    assert templates[0]["buttons"][0]["type"] == "postback"


async def test_long_texts_are_split_with_the_buttons_on_the_last_part(
    sender: MessengerSender, graph: FakeGraph
) -> None:
    text = "\n".join(f"Dòng {i}: " + "nội dung " * 20 for i in range(25))  # ~4600 characters
    buttons = (Button("Có", "/affirm"), Button("Không", "/deny"), Button("x", "/" + "y" * 1000))
    assert (await sender.send(PSID, [Reply(text, buttons)])).ok
    texts = graph.texts(PSID)
    assert len(texts) == 3 and all(len(t) <= 2000 for t in texts)
    assert "\n".join(texts) == text
    quick = graph.sent[-1].message["quick_replies"]
    assert [q["payload"] for q in quick] == ["/affirm", "/deny"]  # the oversized one dropped


async def test_a_long_text_with_many_buttons_keeps_its_text(
    sender: MessengerSender, graph: FakeGraph
) -> None:
    text = "Mô tả " * 150  # ~900 characters: too long for a template's 640
    assert (await sender.send(PSID, [Reply(text, options(15))])).ok
    assert graph.texts(PSID)[0] == text
    assert "attachment" not in graph.sent[0].message
    assert len(graph.sent) == 1 + 5


async def test_outside_24_hours_only_a_staff_reply_goes_with_the_human_agent_tag(
    sender: MessengerSender, graph: FakeGraph, clock: Clock
) -> None:
    graph.wrote(PSID, at=clock.now - 30 * 3600)
    bot = await sender.send(PSID, [Reply("Nhắc lịch hẹn")], purpose=Purpose.UPDATE)
    assert (bot.outcome, bot.sent) == (Outcome.OUTSIDE_WINDOW, 0)
    staff = await sender.send(PSID, [Reply("Chào anh, em là Lan")], purpose=Purpose.HUMAN_AGENT)
    assert staff.ok
    (sent,) = graph.sent
    assert (sent.messaging_type, sent.tag) == ("MESSAGE_TAG", "HUMAN_AGENT")
    graph.wrote(PSID, at=clock.now - 8 * 86400)
    late = await sender.send(PSID, [Reply("Còn đó không?")], purpose=Purpose.HUMAN_AGENT)
    assert late.outcome is Outcome.OUTSIDE_WINDOW


async def test_a_customer_who_blocked_the_page_is_unreachable(
    sender: MessengerSender, graph: FakeGraph
) -> None:
    graph.blocked.add(PSID)
    result = await sender.send(PSID, [Reply("a"), Reply("b")])
    assert (result.outcome, result.reason, graph.calls) == (Outcome.UNREACHABLE, "unavailable", 1)


async def test_rate_limits_are_retried_then_reported(
    sender: MessengerSender, graph: FakeGraph, sleeps: Sleeps
) -> None:
    graph.fail(613, retry_after=2)
    assert (await sender.send(PSID, [Reply("một")])).ok
    assert sleeps.delays == [2.0]
    graph.fail(613, times=5)
    result = await sender.send(PSID, [Reply("hai")])
    assert result.outcome is Outcome.RATE_LIMITED and graph.texts(PSID) == ["một"]
    assert sleeps.delays == [2.0, 0.5, 1.0]


async def test_server_errors_are_retried_and_other_errors_are_not(
    sender: MessengerSender, graph: FakeGraph
) -> None:
    graph.fail(2, status=503)
    assert (await sender.send(PSID, [Reply("xin chào")])).ok and graph.calls == 2
    graph.fail(100)
    rejected = await sender.send(PSID, [Reply("xin chào")])
    assert rejected.outcome is Outcome.FAILED and graph.calls == 3


async def test_a_wrong_page_token_fails(graph: FakeGraph, http: httpx.AsyncClient) -> None:
    stale = MessengerSender(http, page_token="expired", api_base=graph.api_base, pacing=FAST)
    result = await stale.send(PSID, [Reply("xin chào")])
    assert result.outcome is Outcome.FAILED and "page token" in result.reason
    assert graph.calls == 1  # not retried


async def test_typing_indicator(sender: MessengerSender, graph: FakeGraph) -> None:
    await sender.typing(PSID)
    graph.blocked.add("other")
    await sender.typing("other")  # best effort: no exception
    assert graph.actions == [(PSID, "typing_on")]
