"""Policy files as text, and where in them a value was written (for `file:line:col`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

from bot.lifecycle import Stage

MAX_YAML_DEPTH = 30  # the deepest shipped policy nests 8 levels
CATALOG_FILE = "catalog.yml"
COMMON_FILE = "common.yml"
POLICY_FILES: tuple[str, ...] = (
    *(f"{stage.value}.yml" for stage in Stage),
    COMMON_FILE,
    CATALOG_FILE,
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a policy set, at a place in one of its files."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


def read_directory(directory: Path) -> tuple[dict[str, str], list[Problem]]:
    """The policy files of `directory` by name, and problems with missing or stray files."""
    files: dict[str, str] = {}
    problems: list[Problem] = []
    if not directory.is_dir():
        return files, [Problem(str(directory), 1, 1, "not a directory")]
    for name in POLICY_FILES:
        path = directory / name
        try:
            files[name] = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            problems.append(Problem(str(path), 1, 1, "missing: every stage needs its file"))
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), 1, 1, f"cannot read: {exc}"))
    for path in sorted(directory.glob("*.y*ml")):
        if path.name not in POLICY_FILES:
            problems.append(
                Problem(
                    str(path),
                    1,
                    1,
                    f"unknown stage {path.stem!r}: policy files are " + ", ".join(POLICY_FILES),
                )
            )
    return files, problems


class Locator:
    """Maps a path inside a YAML document (`rules.0.when.intent`) to its line and column."""

    def __init__(self, root: Node | None) -> None:
        self._root = root

    @classmethod
    def of(cls, text: str) -> Locator:
        """The locator of a document that is known to parse."""
        return cls(compose(text))

    def locate(self, path: Sequence[str | int]) -> tuple[int, int]:
        """The 1-based line and column of the deepest part of `path` found in the file.

        Parts that are not in the document (pydantic's union tags) are skipped, so an
        error always points at the closest place a marketer can see.
        """
        node = self._root
        if node is None:
            return 1, 1
        mark = node.start_mark
        for part in path:
            if isinstance(node, MappingNode):
                for key, value in node.value:
                    if key.value == str(part):
                        mark, node = key.start_mark, value
                        break
                else:
                    mark = node.start_mark  # where the missing key belongs
            elif (
                isinstance(node, SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                node = node.value[part]
                mark = node.start_mark
        return mark.line + 1, mark.column + 1


class _PolicyLoader(yaml.SafeLoader):
    """YAML without aliases and within `MAX_YAML_DEPTH`.

    An alias (`*name`) lets a few lines expand into billions of values (the "billion
    laughs"), and deep nesting exhausts the recursive composer; marketers need neither.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        mark: Any = event.start_mark
        if isinstance(event, AliasEvent):
            raise ComposerError(None, None, "aliases (*name) are not allowed; write it out", mark)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise ComposerError(None, None, f"nested deeper than {MAX_YAML_DEPTH} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


# YAML 1.2 booleans: only true/false. In YAML 1.1 `yes`, `no`, `on` and `off` are booleans
# too, which would turn a reply's `yes:` / `no:` meanings (and a text of "no") into True/False.
_PolicyLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PolicyLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def compose(text: str) -> Node | None:
    """The node tree of a policy document (None when empty).

    Raises:
        yaml.YAMLError: a syntax error, an alias, or nesting deeper than `MAX_YAML_DEPTH`.

    """
    loader = _PolicyLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def construct(node: Node | None) -> Any:
    """The Python value of a node tree from `compose`."""
    if node is None:
        return None
    loader = _PolicyLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()
