"""Flattening an event into the leaves at each dotted path (SPEC 1.2 and 1.3).

Keys are joined with ``.`` and arrays are transparent, so ``{"a":[{"b":1}]}`` has the leaf
``1`` at ``a.b``. Each leaf carries its *trail*: the (array, element) pairs above it, which is
what array-consistent matching compares. Given a :class:`PathSet`, only the subtrees that
lead to a wanted path are visited: the rest of the event is never walked. This is the hot
path of matching, hence the exact type checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import count
from typing import Any

from .events import DuplicateKeyObject, Leaf, Trail, leaf_key

__all__ = ["PathSet", "flatten", "java_split"]


def java_split(path: str) -> list[str]:
    """``path.split(".")`` as Java does it: trailing empty parts are dropped."""
    if not path:
        return [""]
    parts = path.split(".")
    while parts and parts[-1] == "":
        parts.pop()
    return parts


class PathSet:
    """The dotted paths some rule constrains, and every dot-prefix that leads to them.

    event-ruler reads an event key only when some rule uses it as a *step* (a dot-separated
    part of its paths, trailing empty parts not counted). For keys on the way to a wanted
    path that only changes the empty key: ``{"a": {"": [...]}}`` sees leaves through an
    ``"a."`` key but not through ``{"a": {"": ...}}``, unless some rule has an empty step.
    """

    __slots__ = ("empty_key_used", "leaves", "prefixes", "visit")

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self.leaves: frozenset[str] = frozenset(paths)
        self.prefixes: frozenset[str] = frozenset(
            path[:index] for path in self.leaves for index, char in enumerate(path) if char == "."
        )
        self.visit: frozenset[str] = self.leaves | self.prefixes
        self.empty_key_used = any("" in java_split(path) for path in self.leaves)


def flatten(
    event: Mapping[str, Any] | DuplicateKeyObject, wanted: PathSet | None = None
) -> dict[str, list[Leaf]]:
    """The leaves of ``event`` by path; with ``wanted``, only at the wanted paths."""
    leaves: dict[str, list[Leaf]] = {}
    array_ids = count()
    visit = wanted.visit if wanted is not None else None
    prefixes = wanted.prefixes if wanted is not None else None
    leaf_paths = wanted.leaves if wanted is not None else None
    skip_empty_key = wanted is not None and not wanted.empty_key_used

    def walk(obj: Any, prefix: str | None, trail: Trail) -> None:
        items = obj if type(obj) is DuplicateKeyObject else obj.items()
        for key, value in items:
            path = key if prefix is None else prefix + "." + key
            if visit is not None and (path not in visit or (skip_empty_key and not key)):
                continue
            if type(value) is str:  # the commonest leaf, inline
                if leaf_paths is None or path in leaf_paths:
                    found = leaves.get(path)
                    if found is None:
                        leaves[path] = [(value, trail)]
                    else:
                        found.append((value, trail))
            else:
                add(path, value, trail)

    def add(path: str, value: Any, trail: Trail) -> None:
        kind = type(value)
        if kind is str:
            if leaf_paths is None or path in leaf_paths:
                record(path, value, trail)
        elif kind is list:
            # Only objects and arrays inside an array are pinned to their element: scalars
            # in an array are just several values of the same field.
            array_id = next(array_ids)
            for index, element in enumerate(value):
                element_kind = type(element)
                if element_kind is dict or element_kind is list or element_kind is DuplicateKeyObject:
                    add(path, element, (*trail, (array_id, index)))
                else:
                    add(path, element, trail)
        elif kind is dict or kind is DuplicateKeyObject or isinstance(value, Mapping):
            if prefixes is None or path in prefixes:
                walk(value, path, trail)
        elif leaf_paths is None or path in leaf_paths:
            key = leaf_key(value)
            if key is not None:
                record(path, key, trail)

    def record(path: str, key: Any, trail: Trail) -> None:
        found = leaves.get(path)
        if found is None:
            leaves[path] = [(key, trail)]
        else:
            found.append((key, trail))

    walk(event, None, ())
    return leaves
