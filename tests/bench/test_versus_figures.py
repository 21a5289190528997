"""Statistics and the table of `python -m bench.versus_rasa`."""

from __future__ import annotations

import pytest

from bench.versus_rasa.figures import best_rounds, figures_of, percentile, round_lines, table
from bench.versus_rasa.load import Cell, Sample, System, Workload


def sample(
    system: System, workload: Workload, concurrency: int, round_: int, rate: int, ms: float
) -> Sample:
    """`rate` requests in one second, every one taking `ms` except one slow outlier."""
    latencies = [ms / 1000] * (rate - 1) + [10 * ms / 1000]
    return Sample(Cell(system, workload, concurrency, round_), 1.0, latencies)


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == 51.0  # round(0.5 * 99) = 50 -> the 51st value
    assert percentile(values, 0.99) == 99.0
    assert percentile([3.0, 1.0, 2.0], 0.0) == 1.0
    assert percentile([3.0, 1.0, 2.0], 1.0) == 3.0
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 0.5)


def test_figures_of_a_sample() -> None:
    figures = figures_of(Sample(Cell("bot", "payload", 8, 1), 2.0, [0.002] * 199 + [0.1]))
    assert figures.per_second == 100.0
    assert figures.requests == 200
    assert figures.p50_ms == pytest.approx(2.0)
    assert figures.p99_ms == pytest.approx(2.0)  # one outlier in 200 is above p99


def test_the_best_round_of_each_cell_is_kept_with_its_own_latencies() -> None:
    best = best_rounds(
        [
            sample("bot", "payload", 1, 1, 400, 2.5),
            sample("bot", "payload", 1, 2, 500, 2.0),
            sample("rasa", "payload", 1, 1, 50, 20.0),
            sample("rasa", "payload", 1, 2, 40, 25.0),
        ]
    )
    assert best[("bot", "payload", 1)].per_second == 500
    assert best[("bot", "payload", 1)].p50_ms == pytest.approx(2.0)
    assert best[("rasa", "payload", 1)].per_second == 50
    assert best[("rasa", "payload", 1)].p50_ms == pytest.approx(20.0)


def test_the_table_has_a_row_per_concurrency_with_the_ratios() -> None:
    samples = []
    for c in (1, 8):
        samples += [
            sample("bot", "payload", c, 1, 600, 2.0),
            sample("rasa", "payload", c, 1, 40, 25.0),
            sample("bot", "text", c, 1, 90, 11.0),
            sample("parse", "text", c, 1, 100, 10.0),
        ]
    rows = table(best_rounds(samples), (1, 8)).splitlines()
    assert rows[0].startswith("| concurrency | payload turns: bot | payload turns: Rasa full stack")
    assert len(rows) == 4
    assert rows[2] == (
        "| 1 | 600/s, p50 2.0 ms, p99 2.0 ms | 40/s, p50 25.0 ms, p99 250.0 ms | 15.0× "
        "| 0.90 (90 vs 100/s; p50 11.0 vs 10.0 ms) |"
    )
    assert rows[3].startswith("| 8 | 600/s")
    assert len(round_lines(samples)) == 8
