"""The rule store: the mutable trie that ``add_rule`` and ``remove_rule`` change.

Every alternative of every rule is filed as one or more *routes* (:mod:`eventmatch.routes`). Routes that begin
with the same steps share the states those steps lead to. The store is only ever read or
changed under the Machine's lock; matching reads the compiled snapshot
(:mod:`eventmatch.compiled`), which each state caches until a change passes through it.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .ir import Test
from .routes import Route

if TYPE_CHECKING:
    from .compiled import Node

__all__ = ["RuleStore", "StoreState"]


class StoreState:
    """A node of the trie: where the routes sharing a run of steps have got to."""

    __slots__ = ("absent", "compiled", "fields", "refs", "terminal")

    def __init__(self) -> None:
        # path -> the tests of each step leaving here on that path -> the state it leads to
        self.fields: dict[str, dict[tuple[Test, ...], StoreState]] | None = None
        self.absent: dict[str, StoreState] | None = None
        # the names of the routes ending here, once per route (a list: most hold one name)
        self.terminal: list[str] | None = None
        self.refs = 0  # routes passing through
        self.compiled: Node | None = None  # the snapshot's node, until a change passes through


class RuleStore:
    """The trie of routes, and how many steps use each path (the paths events are read at)."""

    __slots__ = ("path_counts", "path_sets", "root")

    def __init__(self) -> None:
        self.root = StoreState()
        self.path_counts: Counter[str] = Counter()
        # the sets of paths routes step on, with how many routes step on each: array
        # consistency only ever relates leaves of paths that share a route
        self.path_sets: Counter[frozenset[str]] = Counter()

    def partners(self) -> dict[str, frozenset[str]]:
        """For each path, the other paths that share some route with it."""
        found: dict[str, set[str]] = {}
        for paths in self.path_sets:
            if len(paths) > 1:
                for path in paths:
                    found.setdefault(path, set()).update(paths)
        return {path: frozenset(others - {path}) for path, others in found.items()}

    def _count_paths(self, route: Route, change: int) -> None:
        paths = frozenset([path for path, _ in route])
        self.path_sets[paths] += change
        if not self.path_sets[paths]:
            del self.path_sets[paths]

    def insert(self, route: Route, name: str) -> None:
        """File one route of the rule ``name``."""
        self._count_paths(route, 1)
        path_counts = self.path_counts
        state = self.root
        state.refs += 1
        state.compiled = None
        for path, tests in route:
            if tests is None:
                absent = state.absent
                if absent is None:
                    absent = state.absent = {}
                child = absent.get(path)
                if child is None:
                    child = absent[path] = StoreState()
            else:
                fields = state.fields
                if fields is None:
                    fields = state.fields = {}
                steps = fields.get(path)
                if steps is None:
                    steps = fields[path] = {}
                child = steps.get(tests)
                if child is None:
                    child = steps[tests] = StoreState()
            path_counts[path] = path_counts.get(path, 0) + 1
            child.refs += 1
            child.compiled = None
            state = child
        if state.terminal is None:
            state.terminal = [name]
        else:
            state.terminal.append(name)

    def delete(self, route: Route, name: str) -> None:
        """Undo one :meth:`insert` of ``route`` for ``name``."""
        self._count_paths(route, -1)
        state = self.root
        state.refs -= 1
        state.compiled = None
        for path, tests in route:
            if tests is None:
                assert state.absent is not None
                child = state.absent[path]
                child.refs -= 1
                if not child.refs:
                    del state.absent[path]
                    if not state.absent:
                        state.absent = None
            else:
                assert state.fields is not None
                steps = state.fields[path]
                child = steps[tests]
                child.refs -= 1
                if not child.refs:
                    del steps[tests]
                    if not steps:
                        del state.fields[path]
                        if not state.fields:
                            state.fields = None
            self.path_counts[path] -= 1
            if not self.path_counts[path]:
                del self.path_counts[path]
            child.compiled = None
            state = child
        assert state.terminal is not None
        state.terminal.remove(name)
        if not state.terminal:
            state.terminal = None
