"""A compiled snapshot of a rule set: what matching reads, immutable once published.

A Machine publishes a new snapshot after its rules change (one attribute swap), so matching
needs no lock and sees either the old rule set or the new one, never half of each. A
snapshot matches an event by the cheapest reading that is exact for it: the plain reading
of the wanted paths (:mod:`eventmatch.wanted`) and the plain walk when no wanted leaf sits
inside an array element, the general reader and the pinned walk otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .compiled import Node, compile_state, plain_plan
from .events import DuplicateKeyObject, parse_event, read_bytes
from .flatten import PathSet, flatten
from .ir import Rule
from .plain_match import plain_match
from .routes import order_steps, ways
from .store import RuleStore
from .walk import walk
from .wanted import wanted_trie

__all__ = ["Snapshot", "rule_snapshot"]


class Snapshot:
    """The compiled automaton of one rule set, and the paths its events are read at."""

    __slots__ = ("match_plain", "partners", "paths", "root")

    def __init__(self, store: RuleStore) -> None:
        self.root: Node = compile_state(store.root, {})
        if self.root.plan is None:
            plain_plan(self.root)  # the root's chains span the rule set: make them while publishing
        self.paths = PathSet(store.path_counts)
        self.partners = store.partners()
        trie = wanted_trie(self.paths.leaves)
        self.match_plain = plain_match(trie, self.root, self.partners) if trie is not None else None

    def match(self, event: object) -> list[str]:
        """The names of the rules ``event`` matches, each once, sorted."""
        parsed: Mapping[str, Any] | DuplicateKeyObject
        if isinstance(event, bytes):
            parsed = read_bytes(event)
        elif type(event) is dict:
            parsed = event
        else:
            parsed = parse_event(event)
        match_plain = self.match_plain
        if match_plain is not None and type(parsed) is dict:
            matched = match_plain(parsed)
            if matched is not None:
                return matched
        return sorted(walk(self.root, flatten(parsed, self.paths), self.partners))

    def match_many(self, events: Iterable[object]) -> list[list[str]]:
        """:meth:`match` for each event, in order."""
        match = self.match
        return [match(event) for event in events]


def rule_snapshot(rule: Rule) -> Snapshot:
    """A snapshot of one rule on its own (what a compiled pattern or policy matches with)."""
    store = RuleStore()
    for alternative in rule:
        for present, absent in ways(alternative):
            store.insert((*order_steps(present, {}), *absent), "")
    return Snapshot(store)
