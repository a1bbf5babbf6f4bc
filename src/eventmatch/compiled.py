"""Compiled nodes: the immutable automaton that matching reads.

Each node of the rule store compiles to one :class:`Node`, cached on the store state until
a change passes through it, so publishing after a change recompiles only the states on the
changed routes and reuses every other node. A node files the steps leaving it by path:
exact values (and numeric equality) in a plain dict of typed keys, every other test family
in one :class:`~eventmatch.matchers.value_index.ValueIndex` per path.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from .ir import Exact, Numeric
from .matchers.value_index import ValueIndex
from .store import StoreState

__all__ = ["FieldSteps", "Node", "compile_state"]

_NO_PATHS: frozenset[str] = frozenset()


class Node:
    """A compiled state; never changed once built."""

    __slots__ = ("absent", "below", "fields", "terminal")

    def __init__(
        self,
        terminal: tuple[str, ...],
        fields: dict[str, FieldSteps],
        absent: tuple[tuple[str, Node], ...],
        below: frozenset[str],
    ) -> None:
        self.terminal = terminal  # names of the rules a route of which ends here
        self.fields = fields  # path -> the steps leaving here on that path
        self.absent = absent  # (path, child) for "no leaf at path" steps
        self.below = below  # every path a step below this node reads (array consistency needs it)


# (exact key -> children, the other tests' index or None)
FieldSteps: TypeAlias = "tuple[dict[Any, tuple[Node, ...]], ValueIndex[Node] | None]"


def _exact_key(test: object) -> tuple[bool, Any]:
    """Whether a test is an equality on one typed key, and the key."""
    if type(test) is Exact:
        return True, test.key
    if type(test) is Numeric and test.low == test.high:
        return True, test.low
    return False, None


def compile_state(state: StoreState, interned: dict[frozenset[str], frozenset[str]]) -> Node:
    """The node of ``state``, compiling the states below it that changed since last time.
    ``interned`` shares equal ``below`` sets between the nodes of one publication."""
    if state.compiled is not None:
        return state.compiled
    below: set[str] = set()
    fields: dict[str, FieldSteps] = {}
    for path, steps in (state.fields or {}).items():
        exact: dict[Any, list[Node]] = {}
        others: ValueIndex[Node] | None = None
        for tests, child in steps.items():
            node = compile_state(child, interned)
            below.update(node.below)
            for test in tests:
                is_exact, key = _exact_key(test)
                if is_exact:
                    targets = exact.setdefault(key, [])
                    if node not in targets:
                        targets.append(node)
                else:
                    others = others if others is not None else ValueIndex()
                    others.add(test, node)
        below.add(path)
        fields[path] = ({key: tuple(nodes) for key, nodes in exact.items()}, others)
    absent: list[tuple[str, Node]] = []
    for path, child in (state.absent or {}).items():
        node = compile_state(child, interned)
        below.update(node.below)
        below.add(path)
        absent.append((path, node))
    frozen = frozenset(below) if below else _NO_PATHS
    terminal = tuple(state.terminal) if state.terminal else ()
    compiled = Node(terminal, fields, tuple(absent), interned.setdefault(frozen, frozen))
    state.compiled = compiled
    return compiled
