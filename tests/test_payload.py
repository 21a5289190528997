from bot.nlu.intents import KNOWN_INTENTS
from bot.nlu.parse import Entity
from bot.payload import is_payload, parse_payload


def test_intent_and_entities() -> None:
    parse = parse_payload('/ask_price{"plan": "pro", "n": 2}', KNOWN_INTENTS)
    assert parse.intent == "ask_price" and parse.confidence == 1.0
    assert parse.entities == (Entity("plan", "pro"), Entity("n", 2))
    assert parse_payload("/greet", KNOWN_INTENTS).entities == ()


def test_unknown_or_malformed_is_fallback() -> None:
    for text in (
        "/nope",
        '/greet{"a": 1',
        "/greet[]",
        '/greet{"a": {"b": 1}}',
        "/greet[1]",
        "/",
        '/greet"x"',
    ):
        assert parse_payload(text, KNOWN_INTENTS).intent == "nlu_fallback", text


def test_only_slash_messages_are_payloads() -> None:
    assert is_payload("/greet")
    assert not is_payload("hello /greet")
