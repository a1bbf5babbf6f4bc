"""The plain match of a snapshot as one generated Python function.

Every event the plain reading covers (:mod:`eventmatch.wanted`) starts at the root, and the
root's steps are the same for every event of a rule set: so they are written out as Python
code after the reader's, with the root's dicts, chains and checks as constants, instead of
being interpreted by the generic loop of :func:`eventmatch.walk.walk_nodes`, which takes the
nodes they reach. ``plain_match_source`` shows the code made for a rule set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from types import CodeType
from typing import Any, TypeAlias

from .compiled import Node, plain_plan
from .walk import take_several, take_step, tangled, walk_nodes
from .wanted import WantedNode, reader_namespace, reader_source

__all__ = ["PlainMatch", "plain_match", "plain_match_source"]

# The rules an event matches, sorted; None when the event needs the general reading.
PlainMatch: TypeAlias = Callable[[dict[str, Any]], "list[str] | None"]


def _reach(indent: str, reach: str) -> list[str]:
    """The lines taking the reach held in the local ``reach``."""
    return [
        f"{indent}if {reach} is not None:",
        f"{indent}    names, nodes = {reach}",
        f"{indent}    if names: matched.update(names)",
        f"{indent}    if nodes: pending.extend(nodes)",
    ]


def _root_lines(root: Node, constants: dict[str, Any]) -> list[str]:
    """The lines taking the root's steps, filling ``matched`` and ``pending``; the objects
    they read are added to ``constants``."""
    plan = root.plan if root.plan is not None else plain_plan(root)
    lines: list[str] = []
    for number, (path, (exact, others, chain, checks)) in enumerate(plan.items()):
        names = {"PATH": path, "EXACT": exact, "OTHERS": others, "CHECKS": checks}
        constants.update({f"{name}_{number}": value for name, value in names.items()})
        exact_, path_ = f"EXACT_{number}", f"PATH_{number}"
        lines += [f"    f = values.get({path_})", "    if f is not None:"]
        if others is not None:
            step = f"take_step({exact_}, OTHERS_{number}, CHECKS_{number}, f, matched)"
            lines.append(f"        pending.extend({step})")
            continue
        lines += [
            "        if type(f) is list:",
            f"            pending.extend(take_several({exact_}, None, f, matched))",
        ]
        if chain is None:
            lines += ["        else:", f"            r = {exact_}.get(f)"]
            lines += _reach("            ", "r")
            continue
        rest, table = chain
        constants[f"CHAIN_{number}"] = table
        later = [f"g{position}" for position in range(len(rest))]
        lines.append("        else:")
        for local, later_path in zip(later, rest, strict=True):
            constants[f"LATER_{number}_{local}"] = later_path
            lines.append(f"            {local} = values.get(LATER_{number}_{local})")
        # A chain step without a leaf: nothing beyond it matches. One with several leaves:
        # the first step alone, the nodes it reaches take the rest.
        lines += [
            f"            if {' and '.join(f'{local} is not None' for local in later)}:",
            f"                if {' or '.join(f'type({local}) is list' for local in later)}:",
            f"                    r = {exact_}.get(f)",
            "                else:",
            f"                    r = CHAIN_{number}.get((f, {', '.join(later)}))",
        ]
        lines += _reach("                ", "r")
    for number, (path, child) in enumerate(root.absent):
        constants[f"ABSENT_PATH_{number}"] = path
        constants[f"ABSENT_{number}"] = child
        lines.append(f"    if ABSENT_PATH_{number} not in values: pending.append(ABSENT_{number})")
    return lines


def _source(trie: WantedNode, root: Node, constants: dict[str, Any]) -> str:
    lines = [
        "def plain_match(event):",
        "    values = {}",
        "    trailed = []",
        "    if not read_0(event, values, trailed): return None",
        "    if trailed and tangled(trailed, PARTNERS): return None",
        "    matched = set(ROOT_TERMINAL)",
        "    pending = []",
        *_root_lines(root, constants),
        "    if pending: walk_nodes(pending, values, matched)",
        "    return sorted(matched) if len(matched) > 1 else list(matched)",
    ]
    return reader_source(trie) + "\n".join(lines) + "\n"


def plain_match_source(trie: WantedNode, root: Node) -> str:
    """The Python source of the plain match of the rule set whose wanted paths are ``trie``
    and whose automaton is ``root``."""
    return _source(trie, root, {})


@lru_cache(maxsize=512)
def _code(source: str) -> CodeType:
    """The compiled ``source``: rule sets of one shape (their paths and the form of their
    root's steps) share it, their dicts and checks being constants of the namespace."""
    return compile(source, "<eventmatch plain match>", "exec")


def plain_match(trie: WantedNode, root: Node, partners: Mapping[str, frozenset[str]]) -> PlainMatch:
    """The plain match of a rule set (see :func:`plain_match_source`), compiled; ``partners``
    are the paths sharing a route with each path (for :func:`eventmatch.walk.tangled`)."""
    namespace = reader_namespace(trie)
    namespace.update(
        ROOT_TERMINAL=root.terminal,
        PARTNERS=partners,
        tangled=tangled,
        take_several=take_several,
        take_step=take_step,
        walk_nodes=walk_nodes,
    )
    source = _source(trie, root, namespace)
    exec(_code(source), namespace)
    matcher: PlainMatch = namespace["plain_match"]
    return matcher
