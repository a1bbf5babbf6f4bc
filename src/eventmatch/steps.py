"""Taking the steps on one path of a compiled node for the event's leaves there.

The generated code of :mod:`eventmatch.node_code` takes the common cases inline (one leaf,
exact values and a few checks); these functions take the rest: several leaves at a path, and
tests that only an index answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .compiled import Node, Reach, plain_plan
from .matchers.checks import Check, passing
from .matchers.value_index import ValueIndex

__all__ = ["take_listed", "take_reaches", "take_several", "take_step"]


def take_several(
    exact: Mapping[Any, Reach], others: ValueIndex[Node] | None, found: Sequence[Any], matched: set[str]
) -> set[Node]:
    """The steps on one path for its leaves ``found``: the names they complete go to
    ``matched``, the nodes they reach are returned, each once (several leaves may reach one)."""
    children: set[Node] = set()
    if exact:
        for key in found:
            reached = exact.get(key)
            if reached is not None:
                names, nodes = reached
                if names:
                    matched.update(names)
                if nodes:
                    children.update(nodes)
    if others is not None:
        others.lookup_many(found, children)
    return children


def take_reaches(reaches: Sequence[Reach], matched: set[str]) -> Iterable[Node]:
    """The steps one leaf takes to ``reaches``: their names go to ``matched``, their nodes are
    returned, each once."""
    if len(reaches) == 1:
        names, nodes = reaches[0]
        if names:
            matched.update(names)
        return nodes
    children: set[Node] = set()
    for names, nodes in reaches:
        if names:
            matched.update(names)
        children.update(nodes)
    return children


def take_step(
    exact: Mapping[Any, Reach],
    others: ValueIndex[Node],
    checks: Sequence[Check[Reach]] | None,
    found: Any,
    matched: set[str],
) -> Iterable[Node]:
    """The steps on a path with tests besides exact ones, for its leaf or leaves ``found``:
    the names they complete go to ``matched``, the nodes they reach are returned."""
    if type(found) is not list:
        if checks is not None:
            reaches = passing(checks, found)
            reached = exact.get(found) if exact else None
            if reached is not None:
                reaches.append(reached)
            return take_reaches(reaches, matched) if reaches else ()
        found = (found,)
    return take_several(exact, others, found, matched)


def take_listed(node: Node, path: str, found: Sequence[Any], matched: set[str]) -> set[Node]:
    """:func:`take_several` for the steps of ``node`` on ``path``."""
    plan = node.plan if node.plan is not None else plain_plan(node)
    exact, others, _, _ = plan[path]
    return take_several(exact, others, found, matched)
