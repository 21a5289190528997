"""The product catalog (`catalog.yml`): plans with prices and features, per locale."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.lifecycle import Locale
from bot.policies.texts import LocalizedText


class LocalizedList(BaseModel):
    """A list of plain strings in every supported locale."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    vi: list[str]
    en: list[str]

    def items(self, locale: Locale) -> list[str]:
        """The list for `locale`."""
        return self.vi if locale == "vi" else self.en


class Plan(BaseModel):
    """One plan; `id` is the value of the NLU's `plan` entity (basic, pro, enterprise)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: LocalizedText
    price: int | None = Field(default=None, ge=0)
    price_label: LocalizedText | None = None
    summary: LocalizedText
    features: LocalizedList


class Catalog(BaseModel):
    """Every plan on sale; `currency` is an ISO code (prices are whole units)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    currency: str = "VND"
    period: LocalizedText = LocalizedText(vi="tháng", en="month")
    trial_days: int = Field(default=14, ge=1, le=365)
    plans: list[Plan] = Field(min_length=1)

    def plan(self, plan_id: object) -> Plan | None:
        """The plan named by an entity value, if it exists."""
        return next((p for p in self.plans if p.id == plan_id), None)

    def view(self, locale: Locale) -> dict[str, Any]:
        """The catalog as templates see it: plain strings in `locale`."""
        return {
            "currency": self.currency,
            "trial_days": self.trial_days,
            "plans": [self.plan_view(p, locale) for p in self.plans],
        }

    def plan_view(self, plan: Plan, locale: Locale) -> dict[str, Any]:
        """One plan as templates see it: `name`, `price` (formatted), `summary`, `features`."""
        return {
            "id": plan.id,
            "name": plan.name.source(locale),
            "price": self._price(plan, locale),
            "summary": plan.summary.source(locale),
            "features": plan.features.items(locale),
        }

    def _price(self, plan: Plan, locale: Locale) -> str:
        if plan.price_label is not None or plan.price is None:
            label = plan.price_label or LocalizedText(vi="Liên hệ", en="On request")
            return label.source(locale)
        amount = f"{plan.price:,}"
        period = self.period.source(locale)
        if locale == "vi":
            symbol = "đ" if self.currency == "VND" else f" {self.currency}"
            return f"{amount.replace(',', '.')}{symbol}/{period}"
        return f"{amount} {self.currency}/{period}"
