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

__all__ = ["Chain", "FieldSteps", "Node", "PlainStep", "compile_state", "plain_plan"]

_NO_PATHS: frozenset[str] = frozenset()
# Shared by the leaves; nothing ever adds to them.
_NO_FIELDS: dict[str, Any] = {}
_NO_PLAN: dict[str, Any] = {}


class Node:
    """A compiled state; never changed once built."""

    __slots__ = ("absent", "below", "fields", "plan", "terminal")

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
        # made on the first plain walk through here (a node with no fields needs none)
        self.plan: dict[str, PlainStep] | None = None if fields else _NO_PLAN


# (exact key -> children, the other tests' index or None)
FieldSteps: TypeAlias = "tuple[dict[Any, tuple[Node, ...]], ValueIndex[Node] | None]"


# A chain: consecutive exact-only steps looked up at once, from the tuple of the event's values
# at their paths, to the nodes they lead to. ``rest`` are the paths after the first (None for
# a chain of one step, whose table is keyed by the bare value).
Chain: TypeAlias = "tuple[tuple[str, ...] | None, dict[Any, tuple[Node, ...]]]"
# How the plain walk takes the steps on one path: (exact, others, chains starting with this
# step); chains only when the path's steps are all exact.
PlainStep: TypeAlias = "tuple[dict[Any, tuple[Node, ...]], ValueIndex[Node] | None, tuple[Chain, ...] | None]"

_LONGEST_CHAIN = 6


def _passes_through(node: Node) -> bool:
    """Whether a node only leads on, by exact values on one path (a chain can skip it)."""
    if node.terminal or node.absent or len(node.fields) != 1:
        return False
    return next(iter(node.fields.values()))[1] is None


def _chains(path: str, exact: dict[Any, tuple[Node, ...]]) -> tuple[Chain, ...]:
    tables: dict[tuple[str, ...], dict[Any, list[Node]]] = {}

    def descend(paths: tuple[str, ...], keys: tuple[Any, ...], node: Node) -> None:
        if len(paths) < _LONGEST_CHAIN and _passes_through(node):
            ((next_path, (next_exact, _)),) = node.fields.items()
            for key, children in next_exact.items():
                for child in children:
                    descend((*paths, next_path), (*keys, key), child)
            return
        table = tables.setdefault(paths, {})
        targets = table.setdefault(keys if len(keys) > 1 else keys[0], [])
        if node not in targets:
            targets.append(node)

    for key, children in exact.items():
        for child in children:
            descend((path,), (key,), child)
    return tuple(
        (paths[1:] or None, {key: tuple(nodes) for key, nodes in table.items()})
        for paths, table in tables.items()
    )


def plain_plan(node: Node) -> dict[str, PlainStep]:
    """How the plain walk takes the steps leaving ``node``, made once per node: chains of
    exact steps through nodes that only lead on become single lookups."""
    plan: dict[str, PlainStep] = {}
    for path, (exact, others) in node.fields.items():
        chains = None
        if others is None and any(
            _passes_through(child) for children in exact.values() for child in children
        ):
            chains = _chains(path, exact)
        plan[path] = (exact, others, chains)
    node.plan = plan
    return plan


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
    terminal = tuple(dict.fromkeys(state.terminal)) if state.terminal else ()
    if state.fields is None and state.absent is None:  # a leaf: most states are
        leaf = state.compiled = Node(terminal, _NO_FIELDS, (), _NO_PATHS)
        return leaf
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
    compiled = Node(terminal, fields, tuple(absent), interned.setdefault(frozen, frozen))
    state.compiled = compiled
    return compiled
