"""Walking the compiled automaton over an event's leaves.

Two walks give the same answers. :func:`walk_plain` is for events with no leaf inside an
array element on a wanted path (most events): no array bookkeeping at all, and since the
automaton is a tree, no set of visited states either. :func:`walk_pinned` carries each
partial match's pins (:mod:`eventmatch.arrays`), projected to what later steps can observe,
so its work stays linear in the leaves at the rules' paths.

Absence steps come last in every route, so absence is judged against all the leaves a match
uses (decision D7).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .arrays import Holdings, Pins, consistent, holdings_of, joins, project
from .compiled import Node, Reach
from .events import Leaf
from .node_code import node_visit

__all__ = [
    "tangled",
    "walk",
    "walk_nodes",
    "walk_pinned",
    "walk_plain",
]


def walk_plain(root: Node, values: Mapping[str, Any]) -> set[str]:
    """The rules matched by an event whose leaves are ``values`` (path -> its typed key, or
    the list of its typed keys when it has several), none of them inside an array element."""
    matched: set[str] = set()
    walk_nodes([root], values, matched)
    return matched


def walk_nodes(pending: list[Node], values: Mapping[str, Any], matched: set[str]) -> None:
    """Add to ``matched`` the rules matched below the ``pending`` nodes (which it consumes),
    for the plain reading ``values`` (see :func:`walk_plain`)."""
    pop = pending.pop
    while pending:
        node = pop()
        (node.visit or node_visit(node))(values, matched, pending)


_NOWHERE: Reach = ((), ())


class _PinnedWalk:
    """The state of one pinned walk: the event's leaves and what is worked out about them."""

    __slots__ = ("by_element", "holdings", "leaves", "outside", "visible_cache")

    def __init__(self, leaves: Mapping[str, Sequence[Leaf]], holdings: Holdings) -> None:
        self.leaves = leaves
        self.holdings = holdings
        self.visible_cache: dict[Node, frozenset[int]] = {}
        # path -> its leaves by the outermost array element holding them
        self.by_element: dict[str, dict[tuple[int, int], list[Leaf]]] = {}
        self.outside: dict[tuple[str, int], list[Leaf]] = {}  # (path, array) -> leaves not in it

    def candidates(self, path: str, found: Sequence[Leaf], pins: Pins) -> Sequence[Leaf]:
        """The leaves of ``path`` that may join ``pins``: when a pin lies in an element of an
        array holding the path, only the path's leaves in that element or outside that array
        (the others share the array at another element). This keeps two conditions on the
        elements of one long array linear instead of quadratic."""
        held = self.holdings.get(path)
        if held is None or len(found) < 8:
            return found
        for _, trail in pins:
            if trail and trail[0][0] in held:
                element = trail[0]
                break
        else:
            return found
        groups = self.by_element.get(path)
        if groups is None:
            groups = self.by_element[path] = {}
            for leaf in found:
                if leaf[1]:
                    groups.setdefault(leaf[1][0], []).append(leaf)
        outside_key = (path, element[0])
        outside = self.outside.get(outside_key)
        if outside is None:
            outside = self.outside[outside_key] = [
                leaf for leaf in found if not leaf[1] or leaf[1][0][0] != element[0]
            ]
        inside = groups.get(element, [])
        return [*inside, *outside] if outside else inside

    def visible(self, node: Node) -> frozenset[int]:
        """The arrays holding leaves of the paths read below ``node``."""
        found = self.visible_cache.get(node)
        if found is None:
            holdings = self.holdings
            arrays: set[int] = set()
            for path in node.below:
                held = holdings.get(path)
                if held:
                    arrays.update(held)
            found = self.visible_cache[node] = frozenset(arrays)
        return found

    def run(self, root: Node) -> set[str]:
        leaves, holdings = self.leaves, self.holdings
        matched: set[str] = set()
        start: tuple[Node, Pins] = (root, ())
        pending = [start]
        seen = {start}
        reached_by: dict[tuple[int, Any], Reach] = {}  # (id(exact), key) -> what the step reaches
        while pending:
            node, pins = pending.pop()
            if node.terminal:
                matched.update(node.terminal)
            for path, (exact, others, _) in node.fields.items():
                found = leaves.get(path)
                if not found:
                    continue
                held = path in holdings
                if pins and held:
                    found = self.candidates(path, found, pins)
                for key, trail in found:
                    if pins and (trail or held) and not joins(path, trail, pins, holdings):
                        continue
                    lookup_key = (id(exact), key)
                    reached = reached_by.get(lookup_key)
                    if reached is None:
                        names, nodes = exact.get(key, _NOWHERE)
                        children: set[Node] = set(nodes)
                        if others is not None:
                            others.lookup(key, children)
                        reached = reached_by[lookup_key] = (names, tuple(children))
                    names, nodes = reached
                    if names:
                        matched.update(names)  # the step is taken: the leaves it reaches match
                    if not nodes:
                        continue
                    extended = (*pins, (path, trail)) if trail or held else pins
                    for child in nodes:
                        step = (child, project(extended, self.visible(child), holdings) if extended else ())
                        if step not in seen:
                            seen.add(step)
                            pending.append(step)
            for path, child in node.absent:
                around = leaves.get(path)
                if around and any(
                    not trail or all(consistent(trail, pinned) for _, pinned in pins) for _, trail in around
                ):
                    continue
                step = (child, project(pins, self.visible(child), holdings) if pins else ())
                if step not in seen:
                    seen.add(step)
                    pending.append(step)
        return matched


def walk_pinned(root: Node, leaves: Mapping[str, Sequence[Leaf]], holdings: Holdings) -> set[str]:
    """The rules matched by an event whose leaves (path -> (key, trail)) include some inside
    array elements (``holdings``: which arrays hold which paths)."""
    return _PinnedWalk(leaves, holdings).run(root)


def tangled(trailed: Iterable[str], partners: Mapping[str, frozenset[str]]) -> bool:
    """Whether two of the ``trailed`` paths (those with leaves in array elements) share a
    rule's route: only then can array positions change an answer."""
    paths = trailed if isinstance(trailed, set | frozenset) else set(trailed)
    return any(not paths.isdisjoint(partners.get(path, ())) for path in paths)


def walk(
    root: Node, leaves: Mapping[str, Sequence[Leaf]], partners: Mapping[str, frozenset[str]]
) -> set[str]:
    """The rules matched by a flattened event, by whichever walk it needs (``partners``: for
    each path, the paths that share a route with it)."""
    holdings = holdings_of(leaves)
    if holdings and tangled(holdings, partners):
        return walk_pinned(root, leaves, holdings)
    values = {
        path: found[0][0] if len(found) == 1 else [key for key, _ in found] for path, found in leaves.items()
    }
    return walk_plain(root, values)
