"""How many customers were in each stage at the end of each day of a range.

A customer counts from their first stage entry on, in the stage their latest move before
the end of that day put them in. Long ranges are sampled: at most `MAX_POINTS` days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from bot.analytics.records import CustomerRecord
from bot.lifecycle import Stage

DAY = 86400.0
MAX_POINTS = 60


def stages_over_time(
    records: Iterable[CustomerRecord], start: float, end: float
) -> list[dict[str, object]]:
    """`[{"day": "2026-11-23", "awareness": 3, ...}]`, one entry per (sampled) day."""
    days = max(1, round((end - start) / DAY))
    step = -(-days // MAX_POINTS)  # ceiling: every day, or every few days for long ranges
    moments = [start + DAY * (i + 1) for i in range(step - 1, days, step)]
    if moments[-1] != start + DAY * days:
        moments.append(start + DAY * days)
    histories = [sorted(r.history, key=lambda t: t.at) for r in records]
    points: list[dict[str, object]] = []
    for moment in moments:
        counts = dict.fromkeys((s.value for s in Stage), 0)
        for history in histories:
            reached = [t for t in history if t.at < moment]
            if reached:
                counts[reached[-1].to_stage.value] += 1
        day = datetime.fromtimestamp(moment - DAY, UTC).date().isoformat()
        points.append({"day": day, **counts})
    return points
