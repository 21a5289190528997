"""Actions: one module per family; each action returns effects and writes nothing.

An action declares its name, arguments, shorthand, template variables and the stages it
moves to next to its code (`@action` in `actions/spec.py`); this package only collects
the declarations. A new family module is added to the list below.
"""

from __future__ import annotations

from actions import (
    catalog,
    flags,
    handoff,
    messaging,
    onboarding,
    referral,
    stage,
    subscription,
    survey,
    trial,
)
from actions.context import ActionContext
from actions.spec import ActionSpec, collect

ACTIONS: dict[str, ActionSpec] = collect(
    messaging, stage, catalog, trial, onboarding, survey, referral, handoff, flags, subscription
)

__all__ = ["ACTIONS", "ActionContext", "ActionSpec"]
