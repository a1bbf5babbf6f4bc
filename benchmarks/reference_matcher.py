"""The workloads' checker: eventmatch's reference interpreter, indexed for large rule sets.

It answers with the project's executable specification (:mod:`eventmatch.reference`), not
with the Machine being benchmarked. To check 100,000 rules in reasonable time, rules whose
``source`` and ``detail-type`` are plain lists of strings are only tried on events with one
of those (source, detail-type) pairs; every other rule is tried on every event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import eventmatch
from eventmatch.events import parse_event
from eventmatch.flatten import PathSet, flatten
from eventmatch.ir import Rule
from eventmatch.reference import rule_matches

__all__ = ["ReferenceMatcher"]


class ReferenceMatcher:
    """Which rules match an event, according to the reference interpreter."""

    def __init__(self, rules: Iterable[tuple[str, dict[str, Any]]]) -> None:
        self._indexed: defaultdict[tuple[str, str], list[tuple[str, Rule]]] = defaultdict(list)
        self._always: list[tuple[str, Rule]] = []
        paths: set[str] = set()
        for name, pattern in rules:
            entry = (name, eventmatch.compile_pattern(pattern).rule)
            paths.update(condition.path for alternative in entry[1] for condition in alternative)
            keys = list(self._index_keys(pattern))
            for key in keys:
                self._indexed[key].append(entry)
            if not keys:
                self._always.append(entry)
        self._paths = PathSet(paths)  # an event is read with every rule's paths, as a machine reads it

    @staticmethod
    def _index_keys(pattern: dict[str, Any]) -> Iterator[tuple[str, str]]:
        sources, detail_types = pattern.get("source"), pattern.get("detail-type")
        if not (isinstance(sources, list) and isinstance(detail_types, list)):
            return
        if all(isinstance(value, str) for value in [*sources, *detail_types]):
            yield from ((source, detail_type) for source in sources for detail_type in detail_types)

    def match(self, event: dict[str, Any]) -> list[str]:
        """Names of the rules matching ``event``, without duplicates, in rule order of discovery."""
        leaves = flatten(parse_event(event), self._paths)
        key = (event.get("source"), event.get("detail-type"))
        candidates = self._always
        if isinstance(key[0], str) and isinstance(key[1], str):
            candidates = [*self._indexed.get((key[0], key[1]), []), *self._always]
        return list(dict.fromkeys(name for name, rule in candidates if rule_matches(rule, leaves)))
