"""Validating a draft the way the CLI does, with each problem placed in the form.

`python -m bot policies validate` and the studio run the same `parse_policies`; here each
problem also gets the path of the field it is about and the marketer's words for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.console.studio.messages import localise
from bot.console.studio.places import Places
from bot.policies.loader import PolicyError, parse_policies
from bot.policies.schema import PolicySet
from bot.policies.source import Problem

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, slots=True)
class Check:
    """A draft's policy set (None when it has errors) and every problem found in it."""

    policies: PolicySet | None
    problems: list[dict[str, Any]]

    @property
    def errors(self) -> int:
        """How many problems block publishing."""
        return sum(1 for p in self.problems if p["severity"] == ERROR)


def check(files: Mapping[str, str], intents: Iterable[str], lang: str) -> Check:
    """Validate `files` as one policy set; problems in the order of the files' lines."""
    try:
        policies: PolicySet | None = parse_policies(files, intents)
        found: list[Problem] = []
    except PolicyError as exc:
        policies, found = None, list(exc.problems)
    places: dict[str, Places] = {}
    problems = []
    for problem in found:
        if problem.file not in places:
            places[problem.file] = Places(files.get(problem.file, ""))
        problems.append(
            {
                "file": problem.file,
                "line": problem.line,
                "column": problem.column,
                "path": list(_place(places[problem.file], problem)),
                "severity": severity(problem),
                "message": localise(problem.message, lang),
            }
        )
    return Check(policies, problems)


def _place(places: Places, problem: Problem) -> tuple[str | int, ...]:
    # A missing key is reported where its mapping starts, which is also where the
    # mapping's first key starts: the mapping is meant, not that key.
    deep = not problem.message.startswith("missing ")
    return places.path_at(problem.line, problem.column, deep=deep)


def severity(problem: Problem) -> str:
    """`error` blocks publishing; `warning` (coverage gaps, when the validator reports them) not.

    Problems carry no severity yet; one that does (a `severity` attribute) is honoured.
    """
    value = str(getattr(problem, "severity", ERROR))
    return WARNING if value == WARNING else ERROR
