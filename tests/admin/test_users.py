"""The admin API: auth, a customer's card, manual stage moves, the transcript."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from tests.conftest import Chat, admin_headers


async def test_api_requires_the_admin_token(chat: Chat) -> None:
    await chat.send("/greet")
    url = f"/api/users/rest/{chat.sender}"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "test-admin-token"}):
        response = await chat.client.get(url, headers=headers)
        assert response.status == 401
        assert "admin token" in (await response.json())["error"]["message"]


async def test_unknown_customer_is_404(client: TestClient[Any, Any]) -> None:
    for method, path in (("GET", ""), ("GET", "/transcript"), ("PUT", "/stage")):
        response = await client.request(
            method,
            f"/api/users/rest/nobody{path}",
            headers=admin_headers(),
            json={"stage": "decision"},
        )
        assert response.status == 404, path


async def test_manual_move_is_recorded_with_its_reason(chat: Chat) -> None:
    await chat.send("/greet", metadata={"locale": "en"})
    response = await chat.client.put(
        f"/api/users/rest/{chat.sender}/stage",
        headers=admin_headers(),
        json={"stage": "retention", "reason": "alice"},
    )
    assert response.status == 200
    assert (await response.json())["stage"] == "retention"
    user = await chat.user()
    assert user["stage"] == "retention"
    assert user["stage_history"][-1] == {
        "from": "awareness",
        "to": "retention",
        "at": user["stage_entered_at"],
        "reason": "manual:alice",
    }
    # The move is real: the retention policy now answers.
    assert "0–10" in (await chat.texts("/give_feedback"))[0]


async def test_manual_move_bad_input(chat: Chat) -> None:
    await chat.send("/greet")
    url = f"/api/users/rest/{chat.sender}/stage"
    for body, field in (
        ({"stage": "loyal"}, "stage"),
        ({"stage": 3}, "stage"),
        ({}, "stage"),
        ({"stage": "decision", "reason": ""}, "reason"),
        ({"stage": "decision", "reason": ["x"]}, "reason"),
    ):
        response = await chat.client.put(url, headers=admin_headers(), json=body)
        assert response.status == 422, body
        assert (await response.json())["error"]["field"] == field
    bad_json = await chat.client.put(url, headers=admin_headers(), data=b"{")
    assert bad_json.status == 400
    assert len((await chat.user())["stage_history"]) == 1


async def test_unknown_stage_error_lists_the_stages(chat: Chat) -> None:
    await chat.send("/greet")
    response = await chat.client.put(
        f"/api/users/rest/{chat.sender}/stage", headers=admin_headers(), json={"stage": "loyal"}
    )
    message = (await response.json())["error"]["message"]
    assert "'loyal'" in message and "advocacy" in message


async def test_transcript_lists_both_directions_in_order(chat: Chat) -> None:
    await chat.send("/greet", metadata={"locale": "en"}, message_id="a")
    await chat.send("/thank", message_id="b")
    response = await chat.client.get(
        f"/api/users/rest/{chat.sender}/transcript", headers=admin_headers()
    )
    messages = (await response.json())["messages"]
    assert [(m["dir"], m["turn"]) for m in messages] == [
        ("in", "a"),
        ("out", "a"),
        ("in", "b"),
        ("out", "b"),
    ]
    assert messages[0]["text"] == "/greet" and messages[0]["intent"] == "greet"
    assert messages[3]["text"] == "You're welcome! Message me any time."
    latest = await chat.client.get(
        f"/api/users/rest/{chat.sender}/transcript?limit=1", headers=admin_headers()
    )
    assert [m["turn"] for m in (await latest.json())["messages"]] == ["b"]
    bad = await chat.client.get(
        f"/api/users/rest/{chat.sender}/transcript?limit=x", headers=admin_headers()
    )
    assert bad.status == 422
