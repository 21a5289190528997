"""`plan_info` and `plan_compare`: plans from the catalog, as the customer named them."""

from __future__ import annotations

from actions.catalog import CompareArgs, PlanInfoArgs, plan_compare, plan_info
from bot.effects import Button, Reply
from tests.actions.unit.factory import Customer, button, text

INFO = PlanInfoArgs(
    one=text("{plan[name]}: {plan[price]}, {plan[features][0]}"),
    all=text("{plans[0][name]} {plans[0][price]} | {plans[2][name]} {plans[2][price]}"),
    buttons=[button("Compare", "/compare_plans")],
)
COMPARE = CompareArgs(text=text("{a[name]} or {b[name]}?"))


def test_plan_info_shows_the_plan_the_customer_named() -> None:
    effects = Customer().run(plan_info, INFO, entities=(("plan", "pro"),))

    assert effects == [
        Reply("Pro: 499,000 VND/month, Pro reports", (Button("Compare", "/compare_plans"),))
    ]


def test_plan_info_prices_in_vietnamese_for_vietnamese_customers() -> None:
    args = PlanInfoArgs(one=text("", "{plan[name]}: {plan[price]}"), all=text(""))

    effects = Customer(locale="vi").run(plan_info, args, entities=(("plan", "basic"),))

    assert effects == [Reply("Basic: 199.000đ/tháng")]


def test_plan_info_without_a_known_plan_shows_every_plan() -> None:
    effects = Customer().run(plan_info, INFO, entities=(("plan", "gold"),))

    assert effects == [
        Reply(
            "Basic 199,000 VND/month | Enterprise On request",
            (Button("Compare", "/compare_plans"),),
        )
    ]


def test_plan_compare_puts_the_two_named_plans_side_by_side_in_order() -> None:
    named = (("plan", "enterprise"), ("plan", "basic"))

    assert Customer().run(plan_compare, COMPARE, entities=named) == [Reply("Enterprise or Basic?")]


def test_plan_compare_fills_in_from_the_default_pair() -> None:
    customer = Customer()

    one = customer.run(plan_compare, COMPARE, entities=(("plan", "pro"),))
    none = customer.run(plan_compare, COMPARE)

    assert one == [Reply("Pro or Basic?")]
    assert none == [Reply("Basic or Pro?")]
