"""Flattening an event into the leaves at each dotted path (SPEC 1.2 and 1.3).

Keys are joined with ``.`` and arrays are transparent, so ``{"a":[{"b":1}]}`` has the leaf
``1`` at ``a.b``. Each leaf carries its *trail*: the (array, element) pairs above it, which is
what array-consistent matching compares. Given a :class:`PathSet`, only the subtrees that
lead to a wanted path are visited: the rest of the event is never walked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import count
from typing import Any

from .events import DuplicateKeyObject, Leaf, Trail, leaf_key

__all__ = ["PathSet", "flatten"]


def java_split(path: str) -> list[str]:
    """``path.split(".")`` as Java does it: trailing empty parts are dropped."""
    parts = path.split(".")
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    return [] if parts == [""] and path else parts


class PathSet:
    """The dotted paths some rule constrains, every dot-prefix that leads to them, and the
    *steps* (dot-separated parts) of those paths.

    An event key is seen only when it is a step, or all of its dot-separated parts are:
    event-ruler skips the other keys while reading an event, which is why a pattern path
    ending in an empty key (``{"a": {"": [...]}}``) only sees leaves through ``"a."`` keys.
    """

    __slots__ = ("leaves", "prefixes", "steps")

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self.leaves: frozenset[str] = frozenset(paths)
        self.prefixes: frozenset[str] = frozenset(
            path[:index] for path in self.leaves for index, char in enumerate(path) if char == "."
        )
        self.steps: frozenset[str] = frozenset(step for path in self.leaves for step in java_split(path))

    def is_step(self, key: str) -> bool:
        """Whether event-ruler would read an event key at all."""
        if key in self.steps:
            return True
        return "." in key and all(part in self.steps for part in java_split(key))


def flatten(
    event: Mapping[str, Any] | DuplicateKeyObject, wanted: PathSet | None = None
) -> dict[str, list[Leaf]]:
    """The leaves of ``event`` by path; with ``wanted``, only at the wanted paths."""
    leaves: dict[str, list[Leaf]] = {}
    array_ids = count()

    def add(path: str, value: Any, trail: Trail) -> None:
        if isinstance(value, Mapping | DuplicateKeyObject):
            if wanted is None or path in wanted.prefixes:
                walk(value.items() if isinstance(value, Mapping) else value, path, trail)
        elif isinstance(value, list):
            # Only objects and arrays inside an array are pinned to their element: scalars
            # in an array are just several values of the same field.
            array_id = next(array_ids)
            for index, element in enumerate(value):
                if isinstance(element, Mapping | DuplicateKeyObject | list):
                    add(path, element, (*trail, (array_id, index)))
                else:
                    add(path, element, trail)
        elif wanted is None or path in wanted.leaves:
            key = leaf_key(value)
            if key is not None:
                leaves.setdefault(path, []).append((key, trail))

    def walk(items: Iterable[tuple[str, Any]], prefix: str | None, trail: Trail) -> None:
        for key, value in items:
            if wanted is not None and not wanted.is_step(key):
                continue
            add(key if prefix is None else f"{prefix}.{key}", value, trail)

    walk(event.items() if isinstance(event, Mapping) else event, None, ())
    return leaves
