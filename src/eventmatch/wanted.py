"""Reading only the wanted paths of an event: a trie of the rules' path steps, turned into
Python code that reads the event with one ``dict.get`` per wanted step (the event's other keys
are never looked at). ``reader_source`` shows the code made for a rule set.

This *plain* reading covers the easy case exactly; it gives up (returns False) when the event
needs the general reader (:func:`eventmatch.flatten.flatten`): an object inside an array on
a wanted path (its leaves need array positions), an event key with a dot that spells
part of a wanted path (``{"a.b": 1}`` is a leaf at ``a.b`` too), or an object that is not a
plain dict. Scalars in nested arrays are read, and their path reported as *trailed* (their
leaves sit in array elements, which matters only next to another trailed path of the same
rule). Rule sets with an empty path step (``"a..b"``) always take the general reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .events import MAX_DEPTH, DuplicateKeyObject, leaf_key

__all__ = [
    "WantedNode",
    "read_other",
    "reader_namespace",
    "reader_source",
    "wanted_trie",
]


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


def _scalars(array: list[Any], keys: list[Any], path: str) -> int:
    """Add the typed keys of the scalars in ``array`` (the value at ``path``) and its nested
    arrays to ``keys``: 0 when an object is among them (the general reader must place its
    leaves) or the arrays nest too deeply (it refuses the event), 2 when a nested array was
    met (the keys sit in array elements), else 1. Nested arrays wait in a list, not in
    recursive calls, so that no depth of nesting exhausts Python's recursion limit."""
    pending: list[tuple[list[Any], int]] | None = None  # nested arrays with their depths
    depth = 0  # how deep ``array`` is in the event (root object: 1), once nesting is met
    while True:
        for element in array:
            kind = type(element)
            if kind is str or (kind is float and element - element == 0.0):  # finite floats are keys
                keys.append(element)
                continue
            key = leaf_key(element)
            if key is not None:
                keys.append(key)
            elif kind is list:
                if pending is None:
                    pending = []
                    depth = path.count(".") + 2  # every step of a plainly read path is an object
                if depth >= MAX_DEPTH:
                    return 0
                pending.append((element, depth + 1))
            elif kind is dict or isinstance(element, list | Mapping):
                return 0
        if not pending:
            return 1 if pending is None else 2
        array, depth = pending.pop()


def read_other(values: dict[str, Any], trailed: list[str], path: str, value: Any, is_leaf: bool) -> bool:
    """The plain reading of a value at a wanted path that is not a string, or not an object
    with wanted steps below (the readers handle those two inline)."""
    kind = type(value)
    if kind is list:
        keys: list[Any] = []
        shape = _scalars(value, keys, path)
        if not shape:
            return False
        if is_leaf and keys:
            values[path] = keys[0] if len(keys) == 1 else keys
            if shape == 2:
                trailed.append(path)
    elif kind is str or kind is dict:
        pass  # a string where only objects are wanted, or an object with nothing wanted in it
    elif kind is DuplicateKeyObject or isinstance(value, Mapping):
        return False
    elif is_leaf:
        found = leaf_key(value)
        if found is not None:
            values[path] = found
    return True


def reader_source(trie: WantedNode) -> str:
    """The Python source of the plain reader of ``trie``: one function per object level, one
    ``dict.get`` per wanted key, with the rule set's keys and paths written in as constants
    (``DOTTED_<n>`` is the set of dotted keys level ``n`` refuses). ``read_0`` reads the
    event's top level."""
    functions: list[list[str]] = []

    def emit(node: WantedNode) -> str:
        name = f"read_{len(functions)}"
        lines = [f"def {name}(obj, values, trailed):"]
        functions.append(lines)
        if len(node.dotted) > 4:
            lines.append(f"    if not DOTTED_{name[5:]}.isdisjoint(obj): return False")
        elif node.dotted:
            lines.append(f"    if {' or '.join(f'{key!r} in obj' for key in node.dotted)}: return False")
        for key, path, is_leaf, sub in node.entries:
            lines.append(f"    v = obj.get({key!r}, MISSING)")
            lines.append("    if v is not MISSING:")
            branch = "if"
            if is_leaf:
                lines.append(f"        if type(v) is str: values[{path!r}] = v")
                branch = "elif"
            if sub is not None:
                lines.append(f"        {branch} type(v) is dict:")
                lines.append(f"            if not {emit(sub)}(v, values, trailed): return False")
                branch = "elif"
            lines.append(
                f"        {branch} not read_other(values, trailed, {path!r}, v, {is_leaf}): return False"
            )
        lines.append("    return True")
        return name

    emit(trie)
    return "\n".join(line for lines in reversed(functions) for line in lines) + "\n"


def _levels(trie: WantedNode) -> list[WantedNode]:
    """The nodes of ``trie`` in the order :func:`reader_source` numbers them."""
    nodes = [trie]
    for _, _, _, sub in trie.entries:
        if sub is not None:
            nodes.extend(_levels(sub))
    return nodes


def reader_namespace(trie: WantedNode) -> dict[str, Any]:
    """The names the code of :func:`reader_source` reads, besides builtins."""
    namespace: dict[str, Any] = {"MISSING": _MISSING, "read_other": read_other}
    for number, node in enumerate(_levels(trie)):
        namespace[f"DOTTED_{number}"] = frozenset(node.dotted)
    return namespace
