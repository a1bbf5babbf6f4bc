"""Reading only the wanted paths of an event: a trie of the rules' path steps, walked over
the event with one ``dict.get`` per wanted step (the event's other keys are never looked at).

This *plain* reading covers the easy case exactly; it gives up (returns False) when the event
needs the general reader (:func:`eventmatch.flatten.flatten`): an object or array inside an
array on a wanted path (its leaves need array positions), an event key with a dot that spells
part of a wanted path (``{"a.b": 1}`` is a leaf at ``a.b`` too), or an object that is not a
plain dict. Rule sets with an empty path step (``"a..b"``) always take the general reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .events import DuplicateKeyObject, leaf_key

__all__ = ["WantedNode", "read_plain", "wanted_trie"]


class WantedNode:
    """The wanted steps below one object of the event."""

    __slots__ = ("dotted", "entries")

    def __init__(
        self, entries: tuple[tuple[str, str, bool, WantedNode | None], ...], dotted: tuple[str, ...]
    ):
        self.entries = entries  # (key, dotted path, a leaf is wanted here, the wanted steps below)
        self.dotted = dotted  # keys with dots that would spell a wanted path or prefix from here


def _build(tree: dict[str, Any], prefix: str | None) -> tuple[WantedNode, list[str]]:
    """The node for ``tree`` (key -> (is_leaf, subtree)) and the dotted chains of its steps."""
    entries: list[tuple[str, str, bool, WantedNode | None]] = []
    chains: list[str] = []
    dotted: list[str] = []
    for key, (is_leaf, subtree) in tree.items():
        path = key if prefix is None else prefix + "." + key
        sub: WantedNode | None = None
        chains.append(key)
        if subtree:
            sub, below = _build(subtree, path)
            longer = [key + "." + chain for chain in below]
            chains.extend(longer)
            dotted.extend(longer)
        entries.append((key, path, is_leaf, sub))
    return WantedNode(tuple(entries), tuple(dotted)), chains


def wanted_trie(paths: Iterable[str]) -> WantedNode | None:
    """The trie of ``paths``, or None when some path has an empty step."""
    tree: dict[str, Any] = {}
    for path in paths:
        steps = path.split(".")
        if "" in steps:
            return None
        level = tree
        for position, step in enumerate(steps):
            is_leaf, subtree = level.get(step, (False, {}))
            last = position == len(steps) - 1
            level[step] = (is_leaf or last, subtree)
            level = subtree
    return _build(tree, None)[0]


_MISSING: Any = object()


def read_plain(obj: dict[str, Any], node: WantedNode, values: dict[str, list[Any]]) -> bool:
    """Add the typed keys of ``obj``'s leaves at the wanted paths to ``values``; False (with
    ``values`` partly filled) when the event needs the general reader."""
    for key in node.dotted:
        if key in obj:
            return False
    for key, path, is_leaf, sub in node.entries:
        value = obj.get(key, _MISSING)
        if value is _MISSING:
            continue
        kind = type(value)
        if kind is str:
            if is_leaf:
                values[path] = [value]
        elif kind is dict:
            if sub is not None and not read_plain(value, sub, values):
                return False
        elif kind is list:
            keys: list[Any] = []
            for element in value:
                if type(element) is str:
                    keys.append(element)
                    continue
                found = leaf_key(element)
                if found is not None:
                    keys.append(found)
                elif type(element) is dict or isinstance(element, list | Mapping):
                    return False  # its leaves sit in an array element
            if is_leaf and keys:
                values[path] = keys
        elif kind is DuplicateKeyObject or isinstance(value, Mapping):
            return False
        elif is_leaf:
            found = leaf_key(value)
            if found is not None:
                values[path] = [found]
    return True
