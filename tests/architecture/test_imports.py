"""No import cycles among the modules of `bot/` and `actions/`.

Every import counts, also one inside a function or under `TYPE_CHECKING`: each is a
dependency a reader has to follow, and a cycle means neither side can be understood,
tested or replaced alone.
"""

from __future__ import annotations

from tests.architecture.modules import Module, imported, modules


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def import_graph(found: list[Module]) -> dict[str, set[str]]:
    known = {m.name for m in found}
    return {m.name: imported(m, known) for m in found}


def test_the_checker_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles_in_bot_and_actions() -> None:
    graph = import_graph(modules())
    assert len(graph) > 100  # the walk found the code
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(
        " <-> ".join(cycle) + "\n    " + _edges(graph, cycle) for cycle in found
    )


def _edges(graph: dict[str, set[str]], cycle: list[str]) -> str:
    members = set(cycle)
    return "; ".join(
        f"{source} -> {target}" for source in cycle for target in sorted(graph[source] & members)
    )
