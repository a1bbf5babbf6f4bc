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

from collections.abc import Mapping, Sequence
from typing import Any

from .arrays import Holdings, Pins, consistent, holdings_of, joins, project
from .compiled import Node
from .events import Leaf

__all__ = ["walk", "walk_pinned", "walk_plain"]


def walk_plain(root: Node, values: Mapping[str, Sequence[Any]]) -> set[str]:
    """The rules matched by an event whose leaves are ``values`` (path -> typed keys), none of
    them inside an array element."""
    matched: set[str] = set()
    pending = [root]
    pop, push, extend = pending.pop, pending.append, pending.extend
    event_paths = len(values)
    while pending:
        node = pop()
        if node.terminal:
            matched.update(node.terminal)
        fields = node.fields
        if fields:
            if len(fields) <= event_paths:
                present = [(steps, values[path]) for path, steps in fields.items() if path in values]
            else:
                present = [(fields[path], found) for path, found in values.items() if path in fields]
            for (exact, others), found in present:
                if others is None and len(found) == 1:
                    reached = exact.get(found[0])
                    if reached:
                        extend(reached)
                    continue
                # Several leaves may reach one child: visit it once.
                children: set[Node] = set()
                for key in found:
                    hit = exact.get(key)
                    if hit:
                        children.update(hit)
                    if others is not None:
                        others.lookup(key, children)
                extend(children)
        for path, child in node.absent:
            if path not in values:
                push(child)
    return matched


class _PinnedWalk:
    """The state of one pinned walk: the event's leaves and what is worked out about them."""

    __slots__ = ("holdings", "leaves", "visible_cache")

    def __init__(self, leaves: Mapping[str, Sequence[Leaf]], holdings: Holdings) -> None:
        self.leaves = leaves
        self.holdings = holdings
        self.visible_cache: dict[Node, frozenset[int]] = {}

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
        reached_by: dict[tuple[int, Any], tuple[Node, ...]] = {}  # (id(exact), key) -> children
        while pending:
            node, pins = pending.pop()
            if node.terminal:
                matched.update(node.terminal)
            for path, (exact, others) in node.fields.items():
                found = leaves.get(path)
                if not found:
                    continue
                held = path in holdings
                for key, trail in found:
                    if pins and (trail or held) and not joins(path, trail, pins, holdings):
                        continue
                    lookup_key = (id(exact), key)
                    reached = reached_by.get(lookup_key)
                    if reached is None:
                        children: set[Node] = set(exact.get(key, ()))
                        if others is not None:
                            others.lookup(key, children)
                        reached = reached_by[lookup_key] = tuple(children)
                    if not reached:
                        continue
                    extended = (*pins, (path, trail)) if trail or held else pins
                    for child in reached:
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


def walk(root: Node, leaves: Mapping[str, Sequence[Leaf]]) -> set[str]:
    """The rules matched by a flattened event, by whichever walk it needs."""
    holdings = holdings_of(leaves)
    if holdings:
        return walk_pinned(root, leaves, holdings)
    return walk_plain(root, {path: [key for key, _ in found] for path, found in leaves.items()})
