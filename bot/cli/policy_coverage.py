"""`python -m bot policies coverage`: the stage × intent matrix of who answers what."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.nlu.intents import domain_intents
from bot.policies.coverage import Coverage
from bot.policies.loader import PolicyError, load_policies
from bot.policies.schema import PolicySet

CELL_WIDTH = 17
LEGEND = (
    "name = a rule of the stage · `· name` = a common rule · `→ stage` = a transition "
    "(`replay` answers there) · ✗ = the generic fallback answers"
)


def register(sub: Any) -> None:
    """Add `policies coverage` to the `policies` group's subcommands."""
    coverage: argparse.ArgumentParser = sub.add_parser(
        "coverage", help="show which rule answers each intent in each stage"
    )
    coverage.add_argument("directory", nargs="?", type=Path, help="default: POLICIES_DIR")
    coverage.add_argument(
        "--format", choices=["table", "tsv"], default="table", help="table (default) or tsv"
    )
    coverage.set_defaults(handler=_coverage)


def load_for_command(directory: Path | None) -> tuple[Path, frozenset[str], PolicySet]:
    """The policies of `directory` (default POLICIES_DIR) with the NLU's intents.

    Raises:
        PolicyError: listing every problem.

    """
    settings = Settings()
    directory = directory or settings.policies_dir
    intents = domain_intents(settings.nlu_dir)
    return directory, intents, load_policies(directory, intents)


def _coverage(args: argparse.Namespace) -> int:
    try:
        _, intents, policies = load_for_command(args.directory)
    except PolicyError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("fix these first: `python -m bot policies validate`", file=sys.stderr)
        return 1
    coverage = Coverage.of(policies, intents)
    print(tsv(coverage) if args.format == "tsv" else table(coverage), end="")
    return 0


def tsv(coverage: Coverage) -> str:
    """One line per intent, one column per stage; cells like `rule:pitch` or `fallback`."""
    lines = ["\t".join(["intent", *(s.value for s in coverage.stages)])]
    for intent in coverage.intents:
        cells = [coverage.cells[stage, intent].describe() for stage in coverage.stages]
        lines.append("\t".join([intent, *cells]))
    return "\n".join(lines) + "\n"


def table(coverage: Coverage) -> str:
    """The matrix for a terminal, then the gaps per stage and a legend."""
    first = max([len("intent"), *map(len, coverage.intents)]) + 2
    header = "intent".ljust(first) + "".join(_fit(s.value) for s in coverage.stages)
    lines = [header, "─" * len(header)]
    for intent in coverage.intents:
        cells = (_fit(coverage.cells[stage, intent].short()) for stage in coverage.stages)
        lines.append(intent.ljust(first) + "".join(cells))
    lines.append("")
    total = 0
    for stage in coverage.stages:
        gaps = coverage.gaps(stage)
        total += len(gaps)
        lines.append(f"{stage.value}: " + (", ".join(gaps) if gaps else "no gaps"))
    lines.append(f"{total} gap{'s' if total != 1 else ''} in {len(coverage.stages)} stages")
    lines.append(LEGEND)
    return "\n".join(lines) + "\n"


def _fit(text: str) -> str:
    """`text` cut or padded to one column."""
    if len(text) >= CELL_WIDTH:
        text = text[: CELL_WIDTH - 2] + "…"
    return text.ljust(CELL_WIDTH)
