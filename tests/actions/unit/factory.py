"""One customer in memory for calling actions directly: no Redis, no NLU, no HTTP.

`Customer.run(action, args)` builds the `ActionContext` an action sees in a turn (the
customer, their message as the NLU read it, the catalog, a fixed clock) and returns the
effects. Like the turn, it then keeps `SetState` and `MoveStage` on the customer, so a
test can run the next turn. Texts render with `str.format` (`"Code {code}"`), and every
variable an action passes must be one its `@action` declares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from actions.context import ActionContext, Links, Referrals
from actions.spec import ActionSpec
from bot.effects import Effect, MoveStage, SetState
from bot.lifecycle import Locale, Stage
from bot.nlu.parse import Entity, EntityValue, Parse
from bot.policies.catalog import Catalog, LocalizedList, Plan
from bot.policies.checklist import Checklist, ChecklistStep
from bot.policies.texts import ButtonSpec, LocalizedText
from bot.user import User
from tests.fakes.clock import Clock

NOW = datetime(2026, 9, 21, 3, 0, tzinfo=UTC).timestamp()  # 10:00 in Ho Chi Minh City
DAY = 86400.0
LINKS = Links(telegram_bot_username="salemate_bot", web_chat_url="https://chat.example.com/")


def text(en: str, vi: str | None = None) -> LocalizedText:
    """A marketer text; the Vietnamese one defaults to `vi: <english>`."""
    return LocalizedText(en=en, vi=f"vi: {en}" if vi is None else vi)


def button(title: str, payload: str) -> ButtonSpec:
    """A policy button with the same title in both languages."""
    return ButtonSpec(title=text(title, title), payload=payload)


def _plan(plan_id: str, name: str, price: int | None) -> Plan:
    return Plan(
        id=plan_id,
        name=text(name, name),
        price=price,
        summary=text(f"{name} for shops"),
        features=LocalizedList(en=[f"{name} reports"], vi=[f"báo cáo {name}"]),
    )


CATALOG = Catalog(
    currency="VND",
    trial_days=14,
    plans=[
        _plan("basic", "Basic", 199_000),
        _plan("pro", "Pro", 499_000),
        _plan("enterprise", "Enterprise", None),
    ],
)


def _step(step_id: str, title: str) -> ChecklistStep:
    return ChecklistStep(
        id=step_id, title=text(title), text=text(f"Do: {title}"), help=text(f"How: {title}")
    )


CHECKLIST = Checklist(
    steps=[_step("store", "Create your store"), _step("product", "Add a product")],
    step=text("Step {number}/{total}: {step[title]} ({done} done)"),
    help=text("Help with {step[title]}: {step[help]}"),
    buttons=[button("Done", "/step_done")],
    finished=text("All set!"),
    then=Stage.RETENTION,
)
# What the checklist's own texts see, declared by the checklist rather than the action.
CHECKLIST_VARIABLES = frozenset().union(*Checklist.extra_variables.values())


@dataclass
class FakeRender:
    """Renders a text in the customer's language with `str.format`; keeps what it was given."""

    user: User
    given: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, source: LocalizedText, **variables: Any) -> str:
        self.given.append(variables)
        return source.source(self.user.locale).format_map(variables)


@dataclass
class Customer:
    """A customer in `stage` with `state`, and the clock their turns run at."""

    stage: Stage = Stage.AWARENESS
    state: dict[str, Any] = field(default_factory=dict)
    locale: Locale = "en"
    clock: Clock = field(default_factory=lambda: Clock(NOW))
    checklist: Checklist | None = None
    referrals: Referrals = field(default_factory=Referrals)
    codes: list[str] = field(default_factory=lambda: ["K7M2P9QX", "H4N8R2TW"])
    user: User = field(init=False)

    def __post_init__(self) -> None:
        self.user = User(
            id="u-1",
            created=NOW,
            locale=self.locale,
            stage=self.stage,
            stage_entered_at=NOW,
            state=dict(self.state),
        )

    def context(
        self,
        message: str = "",
        intent: str = "greet",
        entities: tuple[tuple[str, EntityValue], ...] = (),
        reason: str = "rule:test",
    ) -> tuple[ActionContext, FakeRender]:
        """What an action sees of a turn on this customer, and the render it uses."""
        render = FakeRender(self.user)
        parse = Parse(intent, 1.0, tuple(Entity(name, value) for name, value in entities))
        ctx = ActionContext(
            user=self.user,
            message=message,
            parse=parse,
            locale=self.user.locale,
            reason=reason,
            now=self.clock(),
            catalog=CATALOG,
            checklist=self.checklist,
            referrals=self.referrals,
            links=LINKS,
            render=render,
            new_code=lambda: self.codes.pop(0),
            support_wait_minutes=14.6,
        )
        return ctx, render

    def run(
        self,
        action: ActionSpec,
        args: BaseModel,
        message: str = "",
        intent: str = "greet",
        entities: tuple[tuple[str, EntityValue], ...] = (),
    ) -> list[Effect]:
        """Run `action` on the next message; returns its effects and keeps its state."""
        ctx, render = self.context(message, intent, entities)
        effects = action(args, ctx)
        declared = action.variables | (CHECKLIST_VARIABLES if self.checklist else frozenset())
        for variables in render.given:
            assert set(variables) <= declared, f"{action.name}: undeclared {set(variables)}"
        for effect in effects:
            if isinstance(effect, SetState):
                self.user.state[effect.key] = effect.value
            elif isinstance(effect, MoveStage):
                self.user.stage = effect.stage
        return effects
