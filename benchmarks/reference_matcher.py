"""A small, slow reference matcher used to check the benchmark workloads.

It evaluates EventBridge patterns on already-parsed events with the plain "flatten, then AND across paths,
OR within a value array" model: exact values, prefix, suffix, equals-ignore-case, wildcard, anything-but,
numeric, exists, cidr and ``$or``. It deliberately ignores array consistency and the IP-literal rule for
exact strings, so it is only trusted for patterns that never constrain two fields of one array of objects
and never match IP addresses exactly; the workload generators respect both limits.
"""

from __future__ import annotations

import functools
import ipaddress
import operator
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

Leaves = dict[str, list[Any]]
Conjunction = dict[str, list[Any]]

_NUMERIC_OPS = {"=": operator.eq, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


def flatten(event: Any, path: str = "", out: Leaves | None = None) -> Leaves:
    """Collect the leaves of ``event`` by dotted path; array levels are transparent."""
    leaves: Leaves = {} if out is None else out
    if isinstance(event, dict):
        for key, value in event.items():
            flatten(value, f"{path}.{key}" if path else key, leaves)
    elif isinstance(event, list):
        for item in event:
            flatten(item, path, leaves)
    else:
        leaves.setdefault(path, []).append(event)
    return leaves


def expand(pattern: dict[str, Any], path: str = "") -> list[Conjunction]:
    """Expand a pattern (with any ``$or``) into flat conjunctions of ``path -> value array``."""
    results: list[Conjunction] = [{}]
    for key, value in pattern.items():
        if key == "$or" and isinstance(value, list):
            options = [conj for branch in value for conj in expand(branch, path)]
        elif isinstance(value, dict):
            options = expand(value, f"{path}.{key}" if path else key)
        else:
            options = [{f"{path}.{key}" if path else key: value}]
        results = [{**done, **option} for done in results for option in options]
    return results


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same_literal(pattern: Any, leaf: Any) -> bool:
    if _is_number(pattern):
        return _is_number(leaf) and float(pattern) == float(leaf)
    if isinstance(pattern, bool) or pattern is None:
        return leaf is pattern
    return isinstance(leaf, str) and leaf == pattern


@functools.lru_cache(maxsize=4096)
def _wildcard_regex(operand: str) -> re.Pattern[str]:
    parts: list[str] = []
    chars = iter(operand)
    for char in chars:
        if char == "\\":
            parts.append(re.escape(next(chars)))
        elif char == "*":
            parts.append(".*")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.DOTALL)


def _string_op(name: str, operand: Any, leaf: str) -> bool:
    if isinstance(operand, dict):  # {"prefix": {"equals-ignore-case": ...}} and the suffix form
        return _string_op(name, operand["equals-ignore-case"].lower(), leaf.lower())
    if name == "prefix":
        return leaf.startswith(operand)
    if name == "suffix":
        return leaf.endswith(operand)
    if name == "equals-ignore-case":
        return leaf.lower() == str(operand).lower()
    if name == "wildcard":
        return _wildcard_regex(operand).fullmatch(leaf) is not None
    raise ValueError(f"unsupported string operator {name}")


def _excluded(operand: Any, leaf: Any) -> bool:
    """True when ``leaf`` is excluded by the operand of an ``anything-but``."""
    if isinstance(operand, dict):
        ((name, values),) = operand.items()
        values = values if isinstance(values, list) else [values]
        return isinstance(leaf, str) and any(_string_op(name, value, leaf) for value in values)
    values = operand if isinstance(operand, list) else [operand]
    return any(_same_literal(value, leaf) for value in values)


def _numeric(terms: list[Any], leaf: Any) -> bool:
    if not _is_number(leaf):
        return False
    return all(_NUMERIC_OPS[terms[i]](leaf, terms[i + 1]) for i in range(0, len(terms), 2))


def _in_cidr(block: str, leaf: Any) -> bool:
    if not isinstance(leaf, str):
        return False
    try:
        return ipaddress.ip_address(leaf) in ipaddress.ip_network(block, strict=False)
    except ValueError:
        return False


def _leaf_matches(matcher: Any, leaf: Any) -> bool:
    if not isinstance(matcher, dict):
        return _same_literal(matcher, leaf)
    ((name, operand),) = matcher.items()
    if name == "anything-but":
        return not _excluded(operand, leaf)
    if name == "numeric":
        return _numeric(operand, leaf)
    if name == "cidr":
        return _in_cidr(operand, leaf)
    return isinstance(leaf, str) and _string_op(name, operand, leaf)


def _path_matches(matchers: list[Any], leaves: list[Any]) -> bool:
    for matcher in matchers:
        if isinstance(matcher, dict) and "exists" in matcher:
            if bool(leaves) == matcher["exists"]:
                return True
        elif any(_leaf_matches(matcher, leaf) for leaf in leaves):
            return True
    return False


def conjunction_matches(conjunction: Conjunction, leaves: Leaves) -> bool:
    """True when every path of ``conjunction`` is satisfied by the flattened event ``leaves``."""
    return all(_path_matches(matchers, leaves.get(path, [])) for path, matchers in conjunction.items())


class ReferenceMatcher:
    """Brute-force matcher with one exact-value pre-filter so that 100,000 routing rules stay checkable.

    Rules whose ``source`` and ``detail-type`` are plain lists of strings are indexed by every
    (source, detail-type) pair they accept; every other rule is evaluated for every event.
    """

    def __init__(self, rules: Iterable[tuple[str, dict[str, Any]]]) -> None:
        self._indexed: defaultdict[tuple[str, str], list[tuple[str, list[Conjunction]]]] = defaultdict(list)
        self._always: list[tuple[str, list[Conjunction]]] = []
        for name, pattern in rules:
            entry = (name, expand(pattern))
            keys = list(self._index_keys(pattern))
            for key in keys:
                self._indexed[key].append(entry)
            if not keys:
                self._always.append(entry)

    @staticmethod
    def _index_keys(pattern: dict[str, Any]) -> Iterator[tuple[str, str]]:
        sources, detail_types = pattern.get("source"), pattern.get("detail-type")
        if not (isinstance(sources, list) and isinstance(detail_types, list)):
            return
        if all(isinstance(value, str) for value in [*sources, *detail_types]):
            yield from ((source, detail_type) for source in sources for detail_type in detail_types)

    def match(self, event: dict[str, Any]) -> list[str]:
        """Names of the rules matching ``event``, without duplicates, in rule order of discovery."""
        leaves = flatten(event)
        key = (event.get("source"), event.get("detail-type"))
        candidates = self._always
        if isinstance(key[0], str) and isinstance(key[1], str):
            candidates = [*self._indexed.get((key[0], key[1]), []), *self._always]
        return [
            name
            for name, conjunctions in candidates
            if any(conjunction_matches(conj, leaves) for conj in conjunctions)
        ]
