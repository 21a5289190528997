"""The analytics report, computed from customer records over a date range.

Definitions (a customer "enters" a stage at a stage-history entry whose `to` is that
stage; the first entry is their creation):

- funnel: of the customers who entered stage S within the range, how many entered the
  next stage afterwards (`next`), and how many entered any later stage (`later`);
- time in stage: the median of completed stays (entered, then left), in seconds;
- trials: started within the range, and of those, how many reached onboarding after;
- onboarding: customers who entered onboarding within the range, and how many finished
  the checklist;
- NPS: promoters (9–10) % minus detractors (0–6) % of the answers within the range, the
  distribution of scores, and per ISO week; the latest comments;
- referrals: customers with a personal code, friends who joined, friends credited;
- handoffs: closed within the range, the median first response, and the mean CSAT;
- flags (e.g. churn_risk): customers flagged now, and flagged within the range;
- channels: customers per channel; `?channel=` narrows every figure to one channel;
- product events (from `POST /api/events`): per name, how many happened within the range
  and to how many customers.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.analytics.records import CustomerRecord, Event
from bot.customer_state import REFERRAL_CODE, flags_of
from bot.lifecycle import Stage
from bot.user import User

STAGES = list(Stage)


@dataclass(frozen=True, slots=True)
class _Range:
    """The customers and the half-open time range `[start, end)` of a report."""

    customers: list[CustomerRecord]
    start: float
    end: float

    def within(self, at: float) -> bool:
        return self.start <= at < self.end

    def events(self) -> list[tuple[CustomerRecord, Event]]:
        return [(c, e) for c in self.customers for e in c.events if self.within(e.at)]


def report(
    records: Iterable[CustomerRecord], start: float, end: float, *, channel: str | None = None
) -> dict[str, Any]:
    """Every figure of the dashboard for customers' activity in `[start, end)`.

    `customers_per_channel` counts every customer on each channel they are known on; with
    `channel`, every other figure is about that channel's customers only.
    """
    every = list(records)
    per_channel = Counter(name for c in every for name in channels_of(c.user))
    if channel is not None:
        every = [c for c in every if channel in channels_of(c.user)]
    span = _Range(every, start, end)
    per_stage = Counter(c.user.stage.value for c in span.customers)
    events = span.events()
    return {
        "range": {"from": start, "to": end},
        "channel": channel,
        "customers": len(span.customers),
        "customers_per_channel": dict(sorted(per_channel.items())),
        "customers_per_stage": {s.value: per_stage.get(s.value, 0) for s in Stage},
        "funnel": [_funnel_step(span, index) for index in range(len(STAGES) - 1)],
        "median_seconds_in_stage": _time_in_stage(span),
        "trials": _trials(events),
        "onboarding": _onboarding(span),
        "nps": _nps_figures(events),
        "referrals": {
            "links_shared": sum(REFERRAL_CODE in c.user.state for c in span.customers),
            "friends_joined": sum(e.kind == "referred" for _, e in events),
            "friends_credited": sum(e.kind == "referral_credited" for _, e in events),
        },
        "handoffs": _handoffs(events),
        "flags": _flags(span.customers, events),
        "product_events": _product_events(events),
    }


def _product_events(events: list[tuple[CustomerRecord, Event]]) -> dict[str, dict[str, int]]:
    counts: Counter[str] = Counter()
    customers: defaultdict[str, set[str]] = defaultdict(set)
    for customer, event in events:
        if event.kind == "product_event":
            name = str(event.data.get("name"))
            counts[name] += 1
            customers[name].add(customer.user.id)
    return {
        name: {"count": counts[name], "customers": len(customers[name])} for name in sorted(counts)
    }


def channels_of(user: User) -> set[str]:
    """The channels a customer is known on (a customer may be linked on several)."""
    return {identity.partition(":")[0] for identity in user.identities}


def _funnel_step(span: _Range, index: int) -> dict[str, Any]:
    stage = STAGES[index]
    entered = nxt = later = 0
    for customer in span.customers:
        entry = next(
            (t.at for t in customer.history if t.to_stage == stage and span.within(t.at)), None
        )
        if entry is None:
            continue
        entered += 1
        after = [t.to_stage for t in customer.history if t.at >= entry and t.to_stage != stage]
        nxt += STAGES[index + 1] in after
        later += any(STAGES.index(s) > index for s in after)
    return {
        "stage": stage.value,
        "next": STAGES[index + 1].value,
        "entered": entered,
        "to_next": nxt,
        "to_later": later,
        "conversion": _ratio(nxt, entered),
        "conversion_any_later": _ratio(later, entered),
    }


def _time_in_stage(span: _Range) -> dict[str, float | None]:
    stays: dict[str, list[float]] = defaultdict(list)
    for customer in span.customers:
        for here, following in zip(customer.history, customer.history[1:], strict=False):
            if span.within(here.at):
                stays[here.to_stage.value].append(following.at - here.at)
    return {s.value: _median(stays.get(s.value, [])) for s in Stage}


def _trials(events: list[tuple[CustomerRecord, Event]]) -> dict[str, Any]:
    started = [(c, e) for c, e in events if e.kind == "trial_started"]
    converted = sum(
        any(t.to_stage == Stage.ONBOARDING and t.at >= e.at for t in c.history) for c, e in started
    )
    return {"started": len(started), "converted": converted}


def _onboarding(span: _Range) -> dict[str, Any]:
    onboarded = [
        c
        for c in span.customers
        if any(t.to_stage == Stage.ONBOARDING and span.within(t.at) for t in c.history)
    ]
    finished = sum(any(e.kind == "onboarding_finished" for e in c.events) for c in onboarded)
    return {
        "entered": len(onboarded),
        "finished": finished,
        "completion": _ratio(finished, len(onboarded)),
    }


def _nps_figures(events: list[tuple[CustomerRecord, Event]]) -> dict[str, Any]:
    scores = [e.data["score"] for _, e in events if e.kind == "nps"]
    weeks: dict[str, list[int]] = defaultdict(list)
    for _, e in events:
        if e.kind == "nps":
            year, week, _ = datetime.fromtimestamp(e.at, UTC).isocalendar()
            weeks[f"{year}-W{week:02d}"].append(e.data["score"])
    comments = sorted(
        ((c, e) for c, e in events if e.kind == "feedback" and e.data.get("about") == "nps"),
        key=lambda pair: pair[1].at,
        reverse=True,
    )[:10]
    return {
        "answers": len(scores),
        "score": _nps(scores),
        "distribution": {str(n): scores.count(n) for n in range(11)},
        "by_week": {week: _nps(values) for week, values in sorted(weeks.items())},
        "latest_comments": [
            {
                "at": e.at,
                "text": e.data.get("text", ""),
                "customer": c.user.id,
                "who": _who(c),
                "score": _score(c, e),
            }
            for c, e in comments
        ],
    }


def _who(customer: CustomerRecord) -> str:
    """How staff recognise a customer: their first name and where they write from."""
    name = customer.user.profile.get("first_name")
    where = customer.user.identities[0] if customer.user.identities else customer.user.id
    return f"{name} ({where})" if isinstance(name, str) and name else where


def _score(customer: CustomerRecord, comment: Event) -> int | None:
    """The NPS score a comment explains: the customer's latest one given before it."""
    given = [e for e in customer.events if e.kind == "nps" and e.at <= comment.at]
    return max(given, key=lambda e: e.at).data["score"] if given else None


def _handoffs(events: list[tuple[CustomerRecord, Event]]) -> dict[str, Any]:
    closed = [e.data for _, e in events if e.kind == "handoff_closed"]
    csat = [e.data["score"] for _, e in events if e.kind == "csat" and "handoff" in e.data]
    firsts = [h["first_response_seconds"] for h in closed if h.get("first_response_seconds")]
    return {
        "closed": len(closed),
        "median_first_response_seconds": _median(firsts),
        "csat_answers": len(csat),
        "csat_mean": round(statistics.fmean(csat), 2) if csat else None,
    }


def _flags(
    customers: list[CustomerRecord], events: list[tuple[CustomerRecord, Event]]
) -> dict[str, dict[str, int]]:
    """Per flag (e.g. churn_risk): customers flagged now, and flagged within the range."""
    figures: dict[str, dict[str, int]] = defaultdict(lambda: {"now": 0, "new": 0})
    for customer in customers:
        for name in flags_of(customer.user.state):
            figures[name]["now"] += 1
    for _, event in events:
        if event.kind == "flagged":
            figures[str(event.data.get("flag"))]["new"] += 1
    return dict(figures)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def _nps(scores: list[int]) -> float | None:
    if not scores:
        return None
    promoters = sum(s >= 9 for s in scores)
    detractors = sum(s <= 6 for s in scores)
    return round(100 * (promoters - detractors) / len(scores), 1)
