"""From a problem's line and column back to the place in the file's data it is about.

The loader turns a path (`rules.0.do.0.reply.text.en`) into `file:line:col`; the studio
needs the reverse to show the problem next to the field. Every key, value and list item
of the document is indexed by where it starts; a problem points at one of them.
"""

from __future__ import annotations

import bisect

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from bot.policies.source import compose

Path = tuple[str | int, ...]


class Places:
    """The paths of one YAML document by the line and column where each part starts."""

    def __init__(self, text: str) -> None:
        self._marks: dict[tuple[int, int], Path] = {}
        self._deep: dict[tuple[int, int], Path] = {}
        try:
            root = compose(text)  # bounded: no aliases, limited nesting
        except yaml.YAMLError:
            root = None
        if root is not None:
            self._index(root, ())
        self._sorted = sorted(self._marks)

    def path_at(self, line: int, column: int, *, deep: bool = True) -> Path:
        """The part of the document starting at (`line`, `column`), 1-based.

        A block mapping starts where its first key does: `deep` picks the key (a problem
        with its value), otherwise the mapping (a key missing from it). A place between
        parts gives the part before it.
        """
        exact = (self._deep if deep else self._marks).get((line, column))
        if exact is not None:
            return exact
        index = bisect.bisect_right(self._sorted, (line, column)) - 1
        return self._marks[self._sorted[index]] if index >= 0 else ()

    def _index(self, node: Node, path: Path) -> None:
        self._mark(node, path)
        if isinstance(node, MappingNode):
            for key, value in node.value:
                inner = (*path, str(key.value))
                self._mark(key, inner)
                self._index(value, inner)
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                self._index(item, (*path, index))

    def _mark(self, node: Node, path: Path) -> None:
        where = (node.start_mark.line + 1, node.start_mark.column + 1)
        self._marks.setdefault(where, path)
        self._deep[where] = path
