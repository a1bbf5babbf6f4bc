"""The plain match of a snapshot as one generated Python function.

Every event the plain reading covers (:mod:`eventmatch.wanted`) starts at the root, and the
root's steps are the same for every event of a rule set: so they are written out as Python
code after the reader's, with the root's dicts, chains and checks as constants, instead of
being interpreted by a generic loop; the nodes they reach are visited by their own code
(:mod:`eventmatch.node_code`). ``plain_match_source`` shows the code made for a rule set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from types import CodeType
from typing import Any, TypeAlias

from .compiled import Node, plain_plan
from .node_code import NodeWriter, namespace, node_visit
from .walk import tangled
from .wanted import WantedNode, reader_namespace, reader_source

__all__ = ["PlainMatch", "plain_match", "plain_match_source"]

# The rules an event matches, sorted; None when the event needs the general reading.
PlainMatch: TypeAlias = Callable[[dict[str, Any]], "list[str] | None"]


def _root_lines(root: Node, constants: list[Any]) -> list[str]:
    """The lines taking the root's steps, filling ``matched`` and ``pending``; the objects
    they read are added to ``constants``."""
    writer = NodeWriter(constants)
    plan = root.plan if root.plan is not None else plain_plan(root)
    writer.steps(root, plan.items(), root.absent, "    ")
    return writer.lines


def _source(trie: WantedNode, root: Node, constants: list[Any]) -> str:
    lines = [
        "def plain_match(event):",
        "    values = {}",
        "    trailed = []",
        "    if not read_0(event, values, trailed): return None",
        "    if trailed and tangled(trailed, PARTNERS): return None",
        "    matched = set(ROOT_TERMINAL)",
        "    pending = []",
        *_root_lines(root, constants),
        # the walk of :func:`eventmatch.walk.walk_nodes`, without its call
        "    while pending:",
        "        node = pending.pop()",
        "        (node.visit or node_visit(node))(values, matched, pending)",
        "    return sorted(matched) if len(matched) > 1 else list(matched)",
    ]
    return reader_source(trie) + "\n".join(lines) + "\n"


def plain_match_source(trie: WantedNode, root: Node) -> str:
    """The Python source of the plain match of the rule set whose wanted paths are ``trie``
    and whose automaton is ``root``."""
    return _source(trie, root, [])


@lru_cache(maxsize=512)
def _code(source: str) -> CodeType:
    """The compiled ``source``: rule sets of one shape (their paths and the form of their
    root's steps) share it, their dicts and checks being the namespace's constants ``C<n>``."""
    return compile(source, "<eventmatch plain match>", "exec")


def plain_match(trie: WantedNode, root: Node, partners: Mapping[str, frozenset[str]]) -> PlainMatch:
    """The plain match of a rule set (see :func:`plain_match_source`), compiled; ``partners``
    are the paths sharing a route with each path (for :func:`eventmatch.walk.tangled`)."""
    constants: list[Any] = []
    source = _source(trie, root, constants)
    names = reader_namespace(trie)
    names.update(
        namespace(),
        **{f"C{number}": constant for number, constant in enumerate(constants)},
        ROOT_TERMINAL=root.terminal,
        PARTNERS=partners,
        tangled=tangled,
        node_visit=node_visit,
    )
    exec(_code(source), names)
    matcher: PlainMatch = names["plain_match"]
    return matcher
