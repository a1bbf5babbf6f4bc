"""Compiled nodes: the immutable automaton that matching reads.

Each node of the rule store compiles to one :class:`Node`, cached on the store state until
a change passes through it, so publishing after a change recompiles only the states on the
changed routes and reuses every other node. A node files the steps leaving it by path:
exact values (and numeric equality) in a plain dict of typed keys, every other test family
in one :class:`~eventmatch.matchers.value_index.ValueIndex` per path (and, when they are
few and simple, as :mod:`~eventmatch.matchers.checks` too). What a step reaches is kept as
a :data:`Reach`, the reached leaves by their rule names: they are most of the nodes, and a
walk never needs to visit them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeAlias

from .ir import Exact, Numeric, Test
from .matchers.checks import MAX_CHECKS, Check, as_checks
from .matchers.value_index import ValueIndex
from .store import StoreState

__all__ = [
    "Chain",
    "FieldSteps",
    "Node",
    "PlainStep",
    "Reach",
    "Visit",
    "compile_state",
    "plain_plan",
    "reach_of",
]

_NO_PATHS: frozenset[str] = frozenset()
# Shared by the leaves; nothing ever adds to them.
_NO_FIELDS: dict[str, Any] = {}
_NO_PLAN: dict[str, Any] = {}


class Node:
    """A compiled state; never changed once built."""

    __slots__ = ("absent", "below", "fields", "plan", "terminal", "visit")

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
        self.visit: Visit | None = None  # its code for the plain walk, made on the first visit


# What one step reaches: the names of the rules it completes (the reached leaves' terminals, so
# that no walk visits a leaf) and the reached nodes that lead on.
Reach: TypeAlias = "tuple[tuple[str, ...], tuple[Node, ...]]"
# (exact key -> its reach, the other tests' index or None, the same tests as checks when they
# are few and simple)
FieldSteps: TypeAlias = "tuple[dict[Any, Reach], ValueIndex[Node] | None, tuple[Check[Reach], ...] | None]"
# A chain: consecutive exact-only steps looked up at once, by the tuple of the event's values
# at their paths (the first step's path, then ``rest``), to what they reach; the plain walk
# replaces a reach it takes by the function taking it (:func:`eventmatch.node_code.settle`).
Chain: TypeAlias = "tuple[tuple[str, ...], dict[tuple[Any, ...], Reach | Visit]]"
# How the plain walk takes the steps on one path: the field's steps and the chain starting
# with them (None unless all of the path's steps are exact and lead on to one same path).
PlainStep: TypeAlias = (
    "tuple[dict[Any, Reach], ValueIndex[Node] | None, Chain | None, tuple[Check[Reach], ...] | None]"
)

# How the plain walk visits a node (:mod:`eventmatch.node_code`): for an event's plain reading,
# the names the node's steps complete go to the set, the nodes they reach to the list.
Visit: TypeAlias = "Callable[[Mapping[str, Any], set[str], list[Node]], None]"

_LONGEST_CHAIN = 6


def _next_path(node: Node) -> str | None:
    """The path a node only leads on by, exact values only (a chain can skip the node)."""
    if node.terminal or node.absent or len(node.fields) != 1:
        return None
    ((path, (_, others, _)),) = node.fields.items()
    return path if others is None else None


def _chain(exact: dict[Any, Reach]) -> Chain | None:
    """The chain from the steps ``exact``, as far as every node reached only leads on by one
    same path and no step on the way completes a rule; None when that is not even one step."""
    rest: list[str] = []
    reaches = list(exact.values())
    while len(rest) < _LONGEST_CHAIN - 1 and not any(names for names, _ in reaches):
        level = [node for _, nodes in reaches for node in nodes]
        nexts = {_next_path(node) for node in level}
        if len(nexts) != 1 or None in nexts:
            break
        rest.append(nexts.pop())  # type: ignore[arg-type]
        reaches = [reach for node in level for reach in node.fields[rest[-1]][0].values()]
    if not rest:
        return None
    # keys -> the names and nodes they reach, as dicts (ordered sets)
    table: dict[tuple[Any, ...], tuple[dict[str, None], dict[Node, None]]] = {}

    def descend(keys: tuple[Any, ...], reach: Reach) -> None:
        names, nodes = reach
        if len(keys) > len(rest):
            found_names, found_nodes = table.setdefault(keys, ({}, {}))
            found_names.update(dict.fromkeys(names))
            found_nodes.update(dict.fromkeys(nodes))
            return
        for node in nodes:
            for key, further in node.fields[rest[len(keys) - 1]][0].items():
                descend((*keys, key), further)

    for key, reach in exact.items():
        descend((key,), reach)
    return tuple(rest), {keys: (tuple(names), tuple(nodes)) for keys, (names, nodes) in table.items()}


def reach_of(nodes: Sequence[Node]) -> Reach:
    """The reach of a step to ``nodes``: leaves (no steps leave them) count by their names."""
    if len(nodes) == 1:  # the commonest case: share the node's own tuples
        node = nodes[0]
        return ((), (node,)) if node.fields or node.absent else (node.terminal, ())
    names: dict[str, None] = {}
    inner: list[Node] = []
    for node in nodes:
        if node.fields or node.absent:
            inner.append(node)
        else:
            names.update(dict.fromkeys(node.terminal))
    return tuple(names), tuple(inner)


def plain_plan(node: Node) -> dict[str, PlainStep]:
    """How the plain walk takes the steps leaving ``node``, made once per node: chains of
    exact steps through nodes that only lead on become single lookups."""
    plan: dict[str, PlainStep] = {}
    for path, (exact, others, checks) in node.fields.items():
        plan[path] = (exact, others, _chain(exact) if others is None else None, checks)
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
    named = state.terminal
    terminal = (named[0],) if named and len(named) == 1 else tuple(dict.fromkeys(named)) if named else ()
    if state.fields is None and state.absent is None:  # a leaf: most states are
        leaf = state.compiled = Node(terminal, _NO_FIELDS, (), _NO_PATHS)
        return leaf
    below: set[str] = set()
    fields: dict[str, FieldSteps] = {}
    for path, steps in (state.fields or {}).items():
        exact: dict[Any, list[Node]] = {}
        others: ValueIndex[Node] | None = None
        filed: list[tuple[Test, Node]] = []  # the tests in ``others``, with their targets
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
                    filed.append((test, node))
        below.add(path)
        checks = None
        if filed and len(filed) <= MAX_CHECKS:
            checks = as_checks([(test, reach_of((node,))) for test, node in filed])
        fields[path] = ({key: reach_of(nodes) for key, nodes in exact.items()}, others, checks)
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
