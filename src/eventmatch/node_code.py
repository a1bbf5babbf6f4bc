"""The steps leaving a compiled node, as generated Python code.

The plain walk visits a node by code written for it: per path, one ``values.get``, the exact
lookup (or the chain of exact lookups of :func:`eventmatch.compiled.plain_plan`), and the
node's :mod:`~eventmatch.matchers.checks` as inline comparisons, with the node's dicts,
reaches and operands as constants (a generic loop interpreting the same steps made a match at
10 routing rules 40% slower, measured when this replaced it). A node's code is made on its
first visit; the source names no value, only constants, so nodes of one *shape* share one
compiled code object.
:mod:`eventmatch.plain_match` writes the root's steps with the same lines.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import CodeType, FunctionType
from typing import Any, Final

from .compiled import Chain, Node, PlainStep, Reach, Visit, plain_plan
from .ir import Constant
from .matchers.checks import NOT_ONE_OF, PREFIX, PRESENT, RANGE, SUFFIX, Check
from .steps import take_listed, take_several, take_step

__all__ = ["NodeWriter", "namespace", "node_visit", "settle", "visit_source"]

# Up to this many exact values on a path are compared one by one rather than looked up.
MAX_COMPARED_KEYS: Final = 3
# A node with more paths than this gets one function a path (:func:`_sparse_visit`), so that
# only the paths the event has are read when they are fewer than the node's.
MAX_WRITTEN_PATHS: Final = 12


class NodeWriter:
    """Lines of generated code taking a node's steps into the locals ``matched`` (names) and
    ``pending`` (nodes still to visit); the objects they read are constants ``C<n>``. The
    leaf at a path is read from the plain reading ``values`` (its typed key, or the list of
    its keys when it has several).
    """

    def __init__(self, constants: list[Any]) -> None:
        self.constants = constants  # what the code reads as ``C0``, ``C1``, ...
        self.lines: list[str] = []
        self._path_names: dict[str, str] = {}

    def constant(self, value: Any) -> str:
        """An expression reading ``value``, a new constant."""
        self.constants.append(value)
        return f"C{len(self.constants) - 1}"

    def read(self, path: str) -> str:
        """An expression giving what ``values`` holds at ``path``, None when it has no leaf."""
        return f"values.get({self.path_constant(path)})"

    def path_constant(self, path: str) -> str:
        """The constant holding ``path``, one a path."""
        name = self._path_names.get(path)
        if name is None:
            name = self._path_names[path] = self.constant(path)
        return name

    def steps(
        self,
        node: Node,
        plan: Iterable[tuple[str, PlainStep]],
        absent: Iterable[tuple[str, Node]],
        indent: str,
    ) -> None:
        """The lines taking the steps ``plan`` (path -> its steps in ``node``'s plan) and the
        absence steps ``absent``."""
        node_name = self.constant(node)
        for path, step in plan:
            self._path(node_name, path, step, indent)
        for path, child in absent:
            self.lines.append(f"{indent}if {self.read(path)} is None:")
            self._take_constant(((), (child,)), indent + "    ")

    def _path(self, node_name: str, path: str, step: PlainStep, indent: str) -> None:
        exact, others, chain, checks = step
        inner = indent + "    "
        self.lines += [f"{indent}f = {self.read(path)}", f"{indent}if f is not None:"]
        if others is not None and (checks is None or not _disjoint(exact, checks)):
            self.lines.append(f"{inner}pending.extend({self._generic_step(step)})")
            return
        # the node's steps are read from its plan here: several leaves at a path are rare, and
        # a constant for each of the steps would be read (counted) at every call
        listed = f"take_listed({node_name}, {self.path_constant(path)}, f, matched)"
        self.lines += [f"{inner}if type(f) is list:", f"{inner}    pending.extend({listed})", f"{inner}else:"]
        inner += "    "
        if chain is not None:
            self._chain(exact, chain, inner)
            return
        if len(exact) > MAX_COMPARED_KEYS:
            self.lines.append(f"{inner}r = {self.constant(exact)}.get(f)")
            self._take_found(exact.values(), inner)
        else:
            self._compared(exact, inner)
        for check in checks or ():
            self._check(check, inner)
        if not exact and not checks:
            self.lines.append(f"{inner}pass")

    def _compared(self, exact: dict[Any, Reach], indent: str) -> None:
        """The lines taking the few steps ``exact`` by comparing ``f`` with their keys (a dict
        lookup touches more memory, which at a large rule set is mostly out of cache)."""
        branch = "if"
        for key, reach in exact.items():
            # as a dict compares its stored key with the one looked up
            self.lines.append(f"{indent}{branch} {self.constant(key)} == f:")
            self._take_constant(reach, indent + "    ")
            branch = "elif"

    def _generic_step(self, step: PlainStep) -> str:
        """A call taking the steps of a path for the leaf or leaves ``f``, returning the nodes."""
        exact, others, _, checks = step
        if others is None:
            return f"take_several({self.constant(exact)}, None, f, matched)"
        return (
            f"take_step({self.constant(exact)}, {self.constant(others)}, {self.constant(checks)}, f, matched)"
        )

    def _chain(self, exact: dict[Any, Reach], chain: Chain, indent: str) -> None:
        rest, table = chain
        later = [f"g{position}" for position in range(len(rest))]
        for local, path in zip(later, rest, strict=True):
            self.lines.append(f"{indent}{local} = {self.read(path)}")
        table_name = self.constant(table)
        # A chain step without a leaf: nothing beyond it matches. One with several leaves:
        # the first step alone, the nodes it reaches take the rest.
        inner = indent + "    "
        self.lines += [
            f"{indent}if {' and '.join(f'{local} is not None' for local in later)}:",
            f"{inner}if {' or '.join(f'type({local}) is list' for local in later)}:",
            f"{inner}    r = {self.constant(exact)}.get(f)",
            f"{inner}    if r is not None:",
            f"{inner}        names, nodes = r",
            f"{inner}        if names: matched.update(names)",
            f"{inner}        if nodes: pending.extend(nodes)",
            f"{inner}else:",
            f"{inner}    k = (f, {', '.join(later)})",
            f"{inner}    r = {table_name}.get(k)",
            f"{inner}    if r is not None:",
            f"{inner}        if type(r) is tuple: r = settle({table_name}, k, r)",
            f"{inner}        r(values, matched, pending)",
        ]

    def _take_found(self, reaches: Iterable[Reach], indent: str) -> None:
        """The lines taking the reach in the local ``r``, one of ``reaches`` or None."""
        with_names = with_nodes = False
        for names, nodes in reaches:
            with_names = with_names or bool(names)
            with_nodes = with_nodes or bool(nodes)
            if with_names and with_nodes:
                break
        lines = [f"{indent}if r is not None:"]
        if with_names and with_nodes:
            lines += [
                f"{indent}    names, nodes = r",
                f"{indent}    if names: matched.update(names)",
                f"{indent}    if nodes: pending.extend(nodes)",
            ]
        elif with_names:
            lines.append(f"{indent}    matched.update(r[0])")
        elif with_nodes:
            lines.append(f"{indent}    pending.extend(r[1])")
        else:
            return
        self.lines += lines

    def _take_constant(self, reach: Reach, indent: str) -> None:
        names, nodes = reach
        lines = []
        if names:
            lines.append(f"{indent}matched.update({self.constant(names)})")
        if len(nodes) == 1:
            lines.append(f"{indent}pending.append({self.constant(nodes[0])})")
        elif nodes:
            lines.append(f"{indent}pending.extend({self.constant(nodes)})")
        self.lines += lines or [f"{indent}pass"]

    def _check(self, check: Check[Reach], indent: str) -> None:
        """The lines of one check on the leaf ``f`` (a single typed key), as
        :func:`eventmatch.matchers.checks.passing` tests it."""
        code, operand, reach = check
        if code == PRESENT:
            self._take_constant(reach, indent)
            return
        if code == PREFIX:
            condition = f"type(f) is str and (f + '\"').startswith({self.constant(operand)})"
        elif code == SUFFIX:
            condition = f"type(f) is str and ('\"' + f).endswith({self.constant(operand)})"
        elif code == RANGE:
            low, low_open, high, high_open = operand
            above = "<" if low_open else "<="
            below = "<" if high_open else "<="
            bounds = f"{self.constant(low)} {above} f {below} {self.constant(high)}"
            condition = f"(type(f) is int or type(f) is float) and {bounds}"
        else:
            assert code == NOT_ONE_OF
            condition = f"f not in {self.constant(operand)} and f is not OPAQUE"
        self.lines.append(f"{indent}if {condition}:")
        self._take_constant(reach, indent + "    ")


def _disjoint(exact: dict[Any, Reach], checks: tuple[Check[Reach], ...]) -> bool:
    """Whether the checks' reaches share no node with each other or with the exact steps: then
    taking them one by one visits no node twice."""
    seen: set[Node] = set()
    for _, _, (_, nodes) in checks:
        if not seen.isdisjoint(nodes):
            return False
        seen.update(nodes)
    return not seen or all(seen.isdisjoint(nodes) for _, nodes in exact.values())


def settle(table: dict[tuple[Any, ...], Reach | Visit], key: tuple[Any, ...], reach: Reach) -> Visit:
    """The function taking ``reach``, put in its place in a chain's ``table``: at a large rule
    set the reach tuple, its nodes tuple and the node are each a memory fetch a lookup would
    make again and again (15% of a routing match at 100,000 rules). Matching threads may
    settle one key at once: they make equal functions."""
    names, nodes = reach
    take: Visit
    if not names and len(nodes) == 1:  # the commonest case: the node's own visit
        take = node_visit(nodes[0])
    else:

        def take(values: Mapping[str, Any], matched: set[str], pending: list[Node]) -> None:
            if names:
                matched.update(names)
            pending.extend(nodes)

    table[key] = take
    return take


_NAMESPACE: Final[dict[str, Any]] = {
    "__builtins__": builtins,
    "OPAQUE": Constant.OPAQUE,
    "settle": settle,
    "take_listed": take_listed,
    "take_several": take_several,
    "take_step": take_step,
}


def namespace() -> dict[str, Any]:
    """The names generated step code reads besides its constants."""
    return dict(_NAMESPACE)


def visit_source(node: Node, constants: list[Any], path: str | None = None) -> str:
    """The source of a function ``visit(values, matched, pending, C0, C1, ...)`` taking
    ``node``'s steps (only those on ``path`` when one is given: no terminal, no absence);
    its constants ``C<n>`` are the ``constants`` it adds to, in order."""
    writer = NodeWriter(constants)
    plan = node.plan if node.plan is not None else plain_plan(node)
    if path is not None:
        writer.steps(node, [(path, plan[path])], (), "    ")
    else:
        if node.terminal:
            writer.lines.append(f"    matched.update({writer.constant(node.terminal)})")
        writer.steps(node, plan.items(), node.absent, "    ")
    parameters = ", ".join(["values", "matched", "pending", *(f"C{n}" for n in range(len(constants)))])
    return "\n".join([f"def visit({parameters}):", *(writer.lines or ["    pass"])]) + "\n"


@lru_cache(maxsize=4096)
def _code(source: str) -> CodeType:
    """The code of the function ``source`` defines (nodes of one shape share it)."""
    module = compile(source, "<eventmatch node>", "exec")
    return next(constant for constant in module.co_consts if isinstance(constant, CodeType))


def _compiled_visit(node: Node, path: str | None = None) -> Visit:
    # The constants are the function's defaults, read as locals, and the globals are shared by
    # every node: at a large rule set most nodes are out of cache, and a namespace a node is
    # more memory to fetch. (One tuple of constants, indexed, measured slower.)
    constants: list[Any] = []
    code = _code(visit_source(node, constants, path))
    visit: Visit = FunctionType(code, _NAMESPACE, "visit", tuple(constants))
    return visit


def _sparse_visit(node: Node, plan: dict[str, PlainStep]) -> Visit:
    """The visit of a node with many paths: one function a path, and only the paths the event
    has are looked at when they are fewer than the node's."""
    takes = {path: _compiled_visit(node, path) for path in plan}
    terminal, absent = node.terminal, node.absent

    def visit(values: Mapping[str, Any], matched: set[str], pending: list[Node]) -> None:
        if terminal:
            matched.update(terminal)
        if len(takes) <= len(values):
            for take in takes.values():
                take(values, matched, pending)
        else:
            for path in values:
                present = takes.get(path)
                if present is not None:
                    present(values, matched, pending)
        for path, child in absent:
            if path not in values:
                pending.append(child)

    return visit


def node_visit(node: Node) -> Visit:
    """The function taking ``node``'s steps for an event's plain reading ``values``: the
    names it completes go to ``matched``, the nodes it reaches to ``pending``. Made once a
    node, on its first visit."""
    if node.visit is None:
        plan = node.plan if node.plan is not None else plain_plan(node)
        if len(plan) > MAX_WRITTEN_PATHS:
            node.visit = _sparse_visit(node, plan)
        else:
            node.visit = _compiled_visit(node)
    return node.visit
