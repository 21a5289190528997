"""Onboarding: a 5-step checklist with progress kept per customer; finishing moves on."""

from __future__ import annotations

from tests.conftest import Chat

EN = {"metadata": {"locale": "en"}}


async def _onboard(chat: Chat) -> list[str]:
    await chat.send("/request_trial", **EN)
    return await chat.texts("/purchase")


async def test_steps_advance_with_done_skip_and_help(chat: Chat) -> None:
    texts = await _onboard(chat)
    assert texts[-1] == (
        "Step 1/5: Create your store\n"
        "Open Settings > Store and enter its name, address and phone number."
    )
    help_text = (await chat.send("/onboarding_help"))[0]
    assert help_text["text"].startswith("Help with step 1 (Create your store): The store name")
    assert [b["payload"] for b in help_text["buttons"]] == [
        "/step_done",
        "/step_next",
        "/onboarding_help",
    ]
    assert (await chat.texts("/step_done"))[0].startswith("Step 2/5: Add your products")
    assert (await chat.texts("/step_next"))[0].startswith("Step 3/5: Add your staff")
    progress = (await chat.state())["onboarding"]
    assert progress == {"done": ["store"], "at": 2}
    # Kept across turns: the help follows the current step.
    assert "Cashier role" in (await chat.texts("/onboarding_help"))[0]


async def test_skipped_steps_come_back_and_finishing_moves_to_retention(chat: Chat) -> None:
    await _onboard(chat)
    await chat.send("/step_next")  # skip "store"
    for expected in ("Add your staff", "Connect a receipt printer", "Make your first sale"):
        assert expected in (await chat.texts("/step_done"))[0]
    # products, staff, printer done; the skipped first step comes back last.
    assert (await chat.texts("/step_done"))[0].startswith("Step 1/5: Create your store")
    texts = await chat.texts("/step_done")
    assert texts[0].startswith("Well done, all 5 steps are complete!")
    assert texts[1].startswith("From now on, message me whenever you need anything")
    user = await chat.user()
    assert user["stage"] == "retention"
    assert user["stage_history"][-1]["reason"] == "rule:step_done"
    assert user["state"]["onboarding"]["finished"] > 0


async def test_vietnamese_checklist(chat: Chat) -> None:
    await chat.send("/request_trial", metadata={"locale": "vi"})
    texts = await chat.texts("/purchase")
    assert texts[-1].startswith("Bước 1/5: Tạo cửa hàng")
