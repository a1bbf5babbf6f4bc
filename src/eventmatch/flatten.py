"""Flattening an event into the leaves at each dotted path (SPEC 1.2 and 1.3).

Keys are joined with ``.`` and arrays are transparent, so ``{"a":[{"b":1}]}`` has the leaf
``1`` at ``a.b``. Each leaf carries its *trail*: the (array, element) pairs above it, which is
what array-consistent matching compares. Given a :class:`PathSet`, only the subtrees that
lead to a wanted path are visited: the rest of the event is never walked. This is the hot
path of matching, hence the exact type checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import count
from typing import Any

from .errors import InvalidEventError
from .events import MAX_DEPTH, TOO_DEEP, DuplicateKeyObject, Leaf, Trail, leaf_key

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
    """The leaves of ``event`` by path; with ``wanted``, only at the wanted paths.

    The event is walked with an explicit stack, so no depth of nesting exhausts Python's
    recursion limit; InvalidEventError when the walk goes more than MAX_DEPTH arrays and
    objects deep."""
    leaves: dict[str, list[Leaf]] = {}
    array_ids = count()
    visit = wanted.visit if wanted is not None else None
    prefixes = wanted.prefixes if wanted is not None else None
    leaf_paths = wanted.leaves if wanted is not None else None
    skip_empty_key = wanted is not None and not wanted.empty_key_used

    def record(path: str, key: Any, trail: Trail) -> None:
        found = leaves.get(path)
        if found is None:
            leaves[path] = [(key, trail)]
        else:
            found.append((key, trail))

    # One frame per open object or array: (its prefix or path, its trail, the rest of its
    # items, its array id or -1 for an object). An array yields (index, element) pairs.
    stack: list[tuple[str | None, Trail, Iterator[tuple[Any, Any]], int]] = [(None, (), _items(event), -1)]
    while stack:
        if len(stack) > MAX_DEPTH:
            raise InvalidEventError(TOO_DEEP)
        where, trail, items, array_id = stack[-1]
        for key, value in items:
            if array_id < 0:
                path = key if where is None else where + "." + key
                if visit is not None and (path not in visit or (skip_empty_key and not key)):
                    continue
            else:
                path = where
            kind = type(value)
            if kind is str:  # the commonest leaf, inline
                if leaf_paths is None or path in leaf_paths:
                    record(path, value, trail)
            elif kind is list:
                stack.append((path, _inner(trail, array_id, key), enumerate(value), next(array_ids)))
                break
            elif kind is dict or kind is DuplicateKeyObject or isinstance(value, Mapping):
                if prefixes is None or path in prefixes:
                    stack.append((path, _inner(trail, array_id, key), _items(value), -1))
                    break
            elif leaf_paths is None or path in leaf_paths:
                leaf = leaf_key(value)
                if leaf is not None:
                    record(path, leaf, trail)
        else:
            stack.pop()
    return leaves


def _inner(trail: Trail, array_id: int, index: int) -> Trail:
    """The trail of an object or array met in an array element (``array_id`` >= 0) or as an
    object's value. Only objects and arrays inside an array are pinned to their element:
    scalars in an array are just several values of the same field."""
    return trail if array_id < 0 else (*trail, (array_id, index))


def _items(obj: Mapping[str, Any] | DuplicateKeyObject) -> Iterator[tuple[str, Any]]:
    return iter(obj) if isinstance(obj, DuplicateKeyObject) else iter(obj.items())
