"""`trial_offer` and `discount`: one trial per customer, a coupon up to its limit."""

from __future__ import annotations

from actions.trial import DiscountArgs, TrialArgs, discount, trial_offer
from bot.effects import Button, ClaimCode, Record, Reply, SetState
from tests.actions.unit.factory import DAY, NOW, Customer, button, text

TRIAL = TrialArgs(
    offer=text("Code {code} until {expires} ({days_left} days)", "Mã {code} đến {expires}"),
    again=text("Still {code}, {days_left} days left"),
    expired=text("{code} ended on {expires}"),
    buttons=[button("Buy", "/purchase")],
)
BUY = (Button("Buy", "/purchase"),)


def test_trial_offer_starts_a_trial_with_a_unique_code() -> None:
    customer = Customer()

    effects = customer.run(trial_offer, TRIAL)

    trial = {"code": "TRIAL-K7M2P9QX", "started": NOW, "expires": NOW + 14 * DAY}
    assert effects == [
        ClaimCode("trial", "TRIAL-K7M2P9QX"),
        SetState("trial", trial),
        Record("trial_started", {"code": "TRIAL-K7M2P9QX", "expires": NOW + 14 * DAY}),
        Reply("Code TRIAL-K7M2P9QX until 5 Oct 2026 (14 days)", BUY),
    ]


def test_trial_offer_dates_in_vietnamese_and_for_the_policys_days() -> None:
    args = TrialArgs.model_validate({**TRIAL.model_dump(), "days": 7})

    effects = Customer(locale="vi").run(trial_offer, args)

    assert effects[-1] == Reply("Mã TRIAL-K7M2P9QX đến 28/09/2026", BUY)


def test_trial_offer_repeats_the_running_trial_then_says_it_ended() -> None:
    customer = Customer()
    customer.run(trial_offer, TRIAL)

    customer.clock.advance(3 * DAY)
    again = customer.run(trial_offer, TRIAL)
    customer.clock.advance(12 * DAY)
    expired = customer.run(trial_offer, TRIAL)

    assert again == [Reply("Still TRIAL-K7M2P9QX, 11 days left", BUY)]
    assert expired == [Reply("TRIAL-K7M2P9QX ended on 5 Oct 2026", BUY)]


def test_discount_gives_the_coupon_up_to_its_limit_then_says_so() -> None:
    args = DiscountArgs(
        coupon="WELCOME10",
        percent=10,
        limit=2,
        text=text("{coupon}: {percent}% off ({left} more)"),
        exhausted=text("{coupon} is used up ({left})"),
    )
    customer = Customer(state={"coupons": {"SPRING": 1}})

    first = customer.run(discount, args)
    second = customer.run(discount, args)
    third = customer.run(discount, args)

    assert first == [
        SetState("coupons", {"SPRING": 1, "WELCOME10": 1}),
        Record("coupon_given", {"coupon": "WELCOME10", "percent": 10}),
        Reply("WELCOME10: 10% off (1 more)"),
    ]
    assert second[-1] == Reply("WELCOME10: 10% off (0 more)")
    assert third == [Reply("WELCOME10 is used up (0)")]
    assert customer.user.state["coupons"] == {"SPRING": 1, "WELCOME10": 2}
