"""Array consistency for the engine (SPEC 1.3), with event-ruler's pinned-element lookups.

A partial match carries the leaves it has used as ``(path, trail)`` *pins*. A new leaf can
join them when it lies in the same element of every array it shares with each (consistency)
and when event-ruler would offer it next to them: event-ruler matches a rule's fields in Java
path order and, once a field has pinned array elements, offers a later field only its leaves
inside the pinned elements of the arrays that hold that field.

What keeps this linear is :func:`project`: of the pins, only what a step still to come can
observe is kept, so partial matches that differ only in pins no later step can see become
one. The reference interpreter has its own, plain, version of these rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

from .events import Leaf, Trail

__all__ = ["Holdings", "Pins", "consistent", "holdings_of", "joins", "project"]

# The arrays (by id) that hold some leaf of each path, for the paths with leaves in arrays.
Holdings: TypeAlias = Mapping[str, frozenset[int]]
Pins: TypeAlias = tuple[tuple[str, Trail], ...]

_NONE: frozenset[int] = frozenset()


def holdings_of(leaves: Mapping[str, Sequence[Leaf]]) -> dict[str, frozenset[int]]:
    """For each path with leaves inside arrays, the arrays holding them."""
    held: dict[str, frozenset[int]] = {}
    for path, found in leaves.items():
        arrays = {array for _, trail in found for array, _ in trail}
        if arrays:
            held[path] = frozenset(arrays)
    return held


def consistent(first: Trail, second: Trail) -> bool:
    """Whether two leaves lie in the same element of every array they share."""
    # Trails run from the outermost array in; shared arrays form a common beginning.
    for (array_a, index_a), (array_b, index_b) in zip(first, second, strict=False):
        if array_a != array_b:
            return True
        if index_a != index_b:
            return False
    return True


def _java_key(path: str) -> bytes:
    # Java's String.compareTo orders by UTF-16 code unit.
    return path.encode("utf-16-be", "surrogatepass")


def _offers(pinner: Trail, later_path: str, later: Trail, holdings: Holdings) -> bool:
    """Whether event-ruler offers a leaf (``later``) at ``later_path`` once ``pinner``'s
    elements are pinned: every pinned element of an array holding that path must be its own."""
    holding = holdings.get(later_path, _NONE)
    return all(pin in later for pin in pinner if pin[0] in holding)


def joins(path: str, trail: Trail, pins: Pins, holdings: Holdings) -> bool:
    """Whether a leaf at ``path`` with ``trail`` can join the leaves ``pins``."""
    order: bytes | None = None
    for other_path, other in pins:
        if not consistent(trail, other):
            return False
        if not trail and not other:
            continue
        order = order if order is not None else _java_key(path)
        if _java_key(other_path) < order:
            if other and not _offers(other, path, trail, holdings):
                return False
        elif trail and not _offers(trail, other_path, other, holdings):
            return False
    return True


def project(pins: Pins, visible: frozenset[int], holdings: Holdings) -> Pins:
    """The part of ``pins`` that the steps still to come can observe: ``visible`` are the
    arrays holding leaves of their paths. A leaf's arrays are all visible when any is (they
    nest), so a pin's visible part is the start of its trail; a pin with none is kept only
    when its own path is held in a visible array (event-ruler's lookups would see it)."""
    kept: list[tuple[str, Trail]] = []
    for path, trail in pins:
        seen = trail
        if trail and trail[-1][0] not in visible:
            length = 0
            while length < len(trail) and trail[length][0] in visible:
                length += 1
            seen = trail[:length]
        if seen or not visible.isdisjoint(holdings.get(path, _NONE)):
            kept.append((path, seen))
    if len(kept) > 1:
        kept.sort()
    return tuple(kept)
