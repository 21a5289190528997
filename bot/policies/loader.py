"""Loading a policy directory into a `PolicySet`, with every problem reported at once."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.errors import BotError
from bot.lifecycle import Stage
from bot.policies.schema import CommonPolicy, PolicySet, StagePolicy

COMMON_FILE = "common.yml"


class PolicyError(BotError):
    """A policy directory that cannot be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid stage policies:\n" + "\n".join(problems))
        self.problems = problems


def policy_files(directory: Path) -> list[Path]:
    """The files that make up a policy set, in a stable order."""
    return [directory / f"{stage.value}.yml" for stage in Stage] + [directory / COMMON_FILE]


def load_policies(directory: Path) -> PolicySet:
    """Load and validate every policy file of `directory`.

    Raises:
        PolicyError: listing every problem found, as `file: where: message`.

    """
    problems: list[str] = []
    documents: dict[Path, Any] = {}
    digest = hashlib.sha256()
    for path in policy_files(directory):
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            problems.append(f"{path}: cannot read: {exc.strerror or exc}")
            continue
        digest.update(path.name.encode() + b"\0" + text.encode())
        try:
            documents[path] = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{mark.line + 1}:{mark.column + 1}: " if mark else ""
            problems.append(f"{path}:{where}YAML syntax error: {getattr(exc, 'problem', exc)}")

    stages: dict[Stage, StagePolicy] = {}
    common: CommonPolicy | None = None
    for path, document in documents.items():
        try:
            if path.name == COMMON_FILE:
                common = CommonPolicy.model_validate(document)
                continue
            policy = StagePolicy.model_validate(document)
        except ValidationError as exc:
            problems.extend(_describe(path, exc))
            continue
        if policy.stage.value != path.stem:
            problems.append(
                f"{path}: stage: is {policy.stage.value!r} but the file is for {path.stem!r}"
            )
        stages[policy.stage] = policy

    if problems or common is None:
        raise PolicyError(problems)
    return PolicySet(stages=stages, common=common, revision=digest.hexdigest()[:12])


def _describe(path: Path, error: ValidationError) -> list[str]:
    return [
        f"{path}: {'.'.join(str(part) for part in item['loc']) or '(top)'}: {item['msg']}"
        for item in error.errors()
    ]
