"""Product info in consideration: cards, prices with the plan entity, comparisons."""

from __future__ import annotations

from tests.conftest import Chat

EN = {"metadata": {"locale": "en"}}
VI = {"metadata": {"locale": "vi"}}


async def test_price_of_the_named_plan_in_both_languages(chat: Chat) -> None:
    texts = await chat.texts('/ask_price{"plan": "pro"}', **EN)
    assert texts == ["Pro: 349,000 VND/month. Updates and support included, no set-up fee."]
    assert await chat.stage() == "consideration"


async def test_vietnamese_prices_and_a_plan_without_a_price(chat: Chat) -> None:
    texts = await chat.texts('/ask_price{"plan": "enterprise"}', **VI)
    assert texts[0].startswith("Gói Doanh nghiệp: Báo giá theo quy mô.")
    texts = await chat.texts("/ask_price")
    assert "• Gói Cơ bản: 149.000đ/tháng" in texts[0]


async def test_plan_card_lists_features_and_unknown_plan_lists_all(chat: Chat) -> None:
    await chat.send("/greet", **EN)
    card = (await chat.send('/ask_product_info{"plan": "basic"}'))[0]
    assert card["text"].startswith("Basic — 149,000 VND/month\nFor a small shop")
    assert "• 2 staff accounts" in card["text"]
    assert [b["payload"] for b in card["buttons"]] == [
        '/compare_plans{"plan": "basic"}',
        "/request_trial",
    ]
    everything = await chat.texts('/ask_product_info{"plan": "platinum"}')
    assert everything[0].startswith("SaleMate comes in 3 plans:")


async def test_compare_named_plans_or_the_default_pair(chat: Chat) -> None:
    await chat.send("/greet", **EN)
    default = await chat.texts("/compare_plans")
    assert default[0].startswith("Basic (149,000 VND/month) vs Pro (349,000 VND/month)")
    one = await chat.texts('/compare_plans{"plan": "enterprise"}')
    assert one[0].startswith("Enterprise (Priced to your size) vs Basic")
