"""Dates as customers read them, in the business's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.lifecycle import Locale

BUSINESS_TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def format_date(timestamp: float, locale: Locale) -> str:
    """`23/11/2026` in Vietnamese, `23 Nov 2026` in English."""
    day = datetime.fromtimestamp(timestamp, BUSINESS_TIME_ZONE)
    if locale == "vi":
        return day.strftime("%d/%m/%Y")
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
