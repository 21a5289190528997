"""The analytics report as a marketer reads it: stage names, labelled figures, local times.

The page and its per-chart CSV downloads use the same tables, so a download holds exactly
what the chart shows (with the stage ids beside the names, for spreadsheets).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.console.studio.names import STAGES, stage_name

STAGE_IDS = tuple(STAGES)

CHARTS = ("per_stage", "funnel", "time_in_stage", "nps", "over_time")
COLOURS = ("#6b7280", "#2563eb", "#d97706", "#07794a", "#7c3aed", "#db2777")  # one per stage
WIDTH, HEIGHT = 560.0, 180.0  # the stage-over-time plot area

_UNITS = {"vi": ("ngày", "giờ", "phút", "giây"), "en": ("days", "hours", "minutes", "seconds")}


def number(value: float, lang: str, digits: int = 1) -> str:
    """`4,5` in Vietnamese, `4.5` in English; whole numbers without decimals."""
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "vi" else text


def duration(seconds: float | None, lang: str) -> str:
    """A duration in the largest unit that keeps it readable (`2,5 ngày`, `6,4 giây`)."""
    if seconds is None:
        return "–"
    day, hour, minute, second = _UNITS["en" if lang == "en" else "vi"]
    for size, unit in ((86400, day), (3600, hour), (60, minute)):
        if seconds >= size:
            return f"{number(seconds / size, lang)} {unit}"
    return f"{number(seconds, lang)} {second}"


def percent(ratio: float | None, lang: str) -> str:
    """`42,9%` (or a dash when there is nothing to divide)."""
    return "–" if ratio is None else f"{number(100 * ratio, lang)}%"


def tables(report: dict[str, Any], lang: str) -> dict[str, list[list[Any]]]:
    """Each chart's rows (header first), in the page's language."""
    vi = lang != "en"
    return {
        "per_stage": [
            ["stage", "Giai đoạn" if vi else "Stage", "Khách hàng" if vi else "Customers"],
            *[[s, stage_name(s, lang), n] for s, n in report["customers_per_stage"].items()],
        ],
        "funnel": [
            [
                "stage",
                "Giai đoạn" if vi else "Stage",
                "Đã vào" if vi else "Entered",
                "Sang giai đoạn sau" if vi else "Reached the next stage",
                "Sang giai đoạn bất kỳ sau đó" if vi else "Reached any later stage",
            ],
            *[
                [
                    r["stage"],
                    stage_name(r["stage"], lang),
                    r["entered"],
                    r["to_next"],
                    r["to_later"],
                ]
                for r in report["funnel"]
            ],
        ],
        "time_in_stage": [
            ["stage", "Giai đoạn" if vi else "Stage", "Trung vị (giây)" if vi else "Median (s)"],
            *[
                [s, stage_name(s, lang), "" if v is None else v]
                for s, v in report["median_seconds_in_stage"].items()
            ],
        ],
        "over_time": [
            ["day", *(stage_name(s, lang) for s in STAGE_IDS)],
            *[[p["day"], *(p[s] for s in STAGE_IDS)] for p in report["stages_over_time"]],
        ],
        "nps": [
            ["score", "Điểm" if vi else "Score", "Số người" if vi else "Answers"],
            *[[score, score, n] for score, n in report["nps"]["distribution"].items()],
        ],
    }


def as_csv(rows: list[list[Any]]) -> str:
    """A table as CSV text."""
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def comments(report: dict[str, Any], zone: str) -> list[dict[str, Any]]:
    """The latest NPS comments with their local time, score and customer."""
    return [
        {**c, "when": datetime.fromtimestamp(c["at"], ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")}
        for c in report["nps"]["latest_comments"]
    ]


def over_time_lines(report: dict[str, Any], lang: str) -> dict[str, Any]:
    """The stage-over-time chart: one polyline per stage, scaled to the plot area."""
    points = report["stages_over_time"]
    top = max([1, *(p[s] for p in points for s in STAGE_IDS)])
    gap = WIDTH / max(len(points) - 1, 1)
    lines = [
        {
            "name": stage_name(stage, lang),
            "colour": colour,
            "points": " ".join(
                f"{40 + gap * i:.1f},{10 + HEIGHT - HEIGHT * p[stage] / top:.1f}"
                for i, p in enumerate(points)
            ),
        }
        for stage, colour in zip(STAGE_IDS, COLOURS, strict=True)
    ]
    return {"lines": lines, "top": top, "first": points[0]["day"], "last": points[-1]["day"]}
