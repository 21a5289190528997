"""From samples to the table: throughput and percentiles per cell, the best round of each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bench.versus_rasa.load import Sample, System, Workload

# (system, workload, concurrency): one cell of the table, over every round.
CellKey = tuple[System, Workload, int]


@dataclass(frozen=True, slots=True)
class Figures:
    """One cell's result: requests per second and latency percentiles in milliseconds."""

    per_second: float
    p50_ms: float
    p99_ms: float
    requests: int


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of `samples` (`fraction` in [0, 1])."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def figures_of(sample: Sample) -> Figures:
    """Throughput and p50 / p99 latency of one sample."""
    latencies = sample.latencies
    return Figures(
        per_second=len(latencies) / sample.elapsed,
        p50_ms=percentile(latencies, 0.50) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        requests=len(latencies),
    )


def best_rounds(samples: Iterable[Sample]) -> dict[CellKey, Figures]:
    """For every cell, the round with the highest throughput (its latencies with it).

    The best round is the one least disturbed by whatever else ran on the machine.
    """
    best: dict[CellKey, Figures] = {}
    for sample in samples:
        cell = sample.cell
        key: CellKey = (cell.system, cell.workload, cell.concurrency)
        figures = figures_of(sample)
        if key not in best or figures.per_second > best[key].per_second:
            best[key] = figures
    return best


def _turns(figures: Figures) -> str:
    return f"{figures.per_second:.0f}/s, p50 {figures.p50_ms:.1f} ms, p99 {figures.p99_ms:.1f} ms"


def _free_text(bot: Figures, parse: Figures) -> str:
    return (
        f"{bot.per_second / parse.per_second:.2f} ({bot.per_second:.0f} vs "
        f"{parse.per_second:.0f}/s; p50 {bot.p50_ms:.1f} vs {parse.p50_ms:.1f} ms)"
    )


def table(best: dict[CellKey, Figures], concurrencies: Sequence[int]) -> str:
    """The Markdown table: payload turns of both stacks, free text of the bot vs the parse."""
    lines = [
        "| concurrency | payload turns: bot | payload turns: Rasa full stack | bot / Rasa "
        "| free-text turns: bot / bare Rasa parse |",
        "|---|---|---|---|---|",
    ]
    for c in concurrencies:
        bot, rasa = best[("bot", "payload", c)], best[("rasa", "payload", c)]
        text = _free_text(best[("bot", "text", c)], best[("parse", "text", c)])
        ratio = bot.per_second / rasa.per_second
        lines.append(f"| {c} | {_turns(bot)} | {_turns(rasa)} | {ratio:.1f}× | {text} |")
    return "\n".join(lines)


def round_lines(samples: Iterable[Sample]) -> list[str]:
    """Every cell of every round, in the order measured (the table keeps the best)."""
    lines = []
    for sample in samples:
        cell, figures = sample.cell, figures_of(sample)
        lines.append(
            f"round {cell.round} c={cell.concurrency:<2} {cell.system:>5} {cell.workload:<7} "
            f"{figures.requests:6d} requests  {_turns(figures)}"
        )
    return lines
