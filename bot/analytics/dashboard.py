"""The dashboard's figures over a range of UTC days (the admin API and the console)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.analytics.records import CustomerRecords
from bot.analytics.report import report

DEFAULT_DAYS = 30
# The days a report may cover: no customer is older, and later ones are typos.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
CHANNEL_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")


def date_range(query: Mapping[str, str]) -> tuple[date, date]:
    """The days `?from=` and `?to=` name (both included), by default the last 30 days.

    Raises:
        ValueError: a day is not like 2026-11-23, or `to` is before `from`.

    """
    today = datetime.now(UTC).date()
    start = _day(query.get("from")) or today - timedelta(days=DEFAULT_DAYS)
    end = _day(query.get("to")) or today
    if end < start:
        raise ValueError("`to` must not be before `from`")
    return start, end


def channel_filter(query: Mapping[str, str]) -> str | None:
    """The channel `?channel=` names (`zalo`, `messenger`...), or None for every channel.

    Raises:
        ValueError: not a channel's name.

    """
    name = query.get("channel") or None
    if name is not None and not CHANNEL_NAME.fullmatch(name):
        raise ValueError(f"{name[:40]!r} is not a channel name like zalo")
    return name


async def figures(
    records: CustomerRecords, start: date, end: date, *, channel: str | None = None
) -> dict[str, Any]:
    """The analytics report for the UTC days `start` to `end`, both included."""
    since = datetime(start.year, start.month, start.day, tzinfo=UTC)
    until = datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1)
    every = [r async for r in records.read()]
    return report(every, since.timestamp(), until.timestamp(), channel=channel)


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not a date like 2026-11-23") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"{value} is outside {FIRST_DAY} to {LAST_DAY}")
    return day
