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


# A chain: consecutive exact-only steps looked up at once, by the tuple of the event's values
# at their paths (the first step's path, then ``rest``), to the nodes they lead to.
Chain: TypeAlias = "tuple[tuple[str, ...], dict[tuple[Any, ...], tuple[Node, ...]]]"
# How the plain walk takes the steps on one path: (exact, others, the chain starting with
# these steps or None); a chain only when the path's steps are all exact.
PlainStep: TypeAlias = "tuple[dict[Any, tuple[Node, ...]], ValueIndex[Node] | None, Chain | None]"

_LONGEST_CHAIN = 6


def _next_path(node: Node) -> str | None:
    """The path a node only leads on by, exact values only (a chain can skip the node)."""
    if node.terminal or node.absent or len(node.fields) != 1:
        return None
    ((path, (_, others)),) = node.fields.items()
    return path if others is None else None


def _chain(path: str, exact: dict[Any, tuple[Node, ...]]) -> Chain | None:
    """The chain from the steps ``exact`` on ``path``, as far as every node reached only leads
    on by one same path; None when that is not even one step further."""
    rest: list[str] = []
    level = [child for children in exact.values() for child in children]
    while len(rest) < _LONGEST_CHAIN - 1:
        nexts = {_next_path(node) for node in level}
        if len(nexts) != 1 or None in nexts:
            break
        rest.append(nexts.pop())  # type: ignore[arg-type]
        level = [
            child for node in level for children in node.fields[rest[-1]][0].values() for child in children
        ]
    if not rest:
        return None
    table: dict[tuple[Any, ...], list[Node]] = {}

    def descend(keys: tuple[Any, ...], node: Node) -> None:
        if len(keys) > len(rest):
            targets = table.setdefault(keys, [])
            if node not in targets:
                targets.append(node)
            return
        for key, children in node.fields[rest[len(keys) - 1]][0].items():
            for child in children:
                descend((*keys, key), child)

    for key, children in exact.items():
        for child in children:
            descend((key,), child)
    return tuple(rest), {keys: tuple(nodes) for keys, nodes in table.items()}


def plain_plan(node: Node) -> dict[str, PlainStep]:
    """How the plain walk takes the steps leaving ``node``, made once per node: chains of
    exact steps through nodes that only lead on become single lookups."""
    plan: dict[str, PlainStep] = {}
    for path, (exact, others) in node.fields.items():
        plan[path] = (exact, others, _chain(path, exact) if others is None else None)
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
