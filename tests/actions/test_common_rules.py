"""Rules of every stage: handoff requests, opting out and in, fallbacks, greetings."""

from __future__ import annotations

from tests.conftest import Chat

EN = {"metadata": {"locale": "en"}}


async def test_request_human_opens_a_handoff_with_the_expected_wait(chat: Chat) -> None:
    await chat.send("/request_trial", **EN)
    texts = await chat.texts("/request_human")
    assert texts[0].startswith(
        "I've asked our support team to join; expect a reply within about 15 minutes."
    )
    handoff = (await chat.state())["handoff"]
    assert (handoff["reason"], handoff["stage"]) == ("customer", "decision")
    assert await chat.stage() == "decision"


async def test_stop_messages_is_confirmed_and_reversible(chat: Chat) -> None:
    replies = await chat.send("/stop_messages", **EN)
    assert replies[0]["text"].startswith("I won't message you on my own any more.")
    assert replies[0]["buttons"] == [{"title": "Resume messages", "payload": "/resume_messages"}]
    assert (await chat.state())["opted_out"] is True
    assert (await chat.texts("/resume_messages"))[0].startswith("Done: I'll message you again")
    assert (await chat.state())["opted_out"] is False


async def test_second_fallback_in_a_row_offers_a_person(chat: Chat) -> None:
    first = await chat.send("/nlu_fallback", **EN)
    assert first[0]["text"] == "Sorry, I didn't get that. Pick one of these:"
    second = await chat.send("/nlu_fallback")
    assert second[0]["text"].startswith("Sorry, I still don't get it.")
    assert second[0]["buttons"][0]["payload"] == "/request_human"
    await chat.send("/greet")
    third = await chat.send("/nlu_fallback")
    assert third[0]["text"] == "Sorry, I didn't get that. Pick one of these:"


async def test_greet_thank_goodbye_out_of_scope_in_vietnamese(chat: Chat) -> None:
    vi = {"metadata": {"locale": "vi", "profile": {"first_name": "Lan"}}}
    assert (await chat.texts("/greet", **vi))[0].startswith("Chào Lan!")
    assert (await chat.texts("/thank"))[0].startswith("Không có gì ạ")
    assert (await chat.texts("/goodbye"))[0].startswith("Tạm biệt bạn")
    assert (await chat.texts("/out_of_scope"))[0].startswith("Câu này mình chưa trả lời được")
