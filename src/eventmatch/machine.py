"""The Machine: many named rules compiled into one shared automaton, matched in one pass.

Rules are filed as routes (:mod:`eventmatch.routes`) in a trie (:mod:`eventmatch.store`)
whose states share the steps their routes begin with; matching reads an immutable compiled
snapshot of it (:mod:`eventmatch.snapshot`), so its cost follows the event and the states it
reaches, not the number of rules, and it takes no lock.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from .collector import collector_paused
from .ir import Exact, Rule
from .pattern import Pattern, compile_pattern
from .routes import Route, order_steps, ways
from .snapshot import Snapshot
from .sns import compile_policy_rule, message_event
from .store import RuleStore

__all__ = ["Machine"]


def _compiled(pattern: Any) -> Pattern:
    return pattern if isinstance(pattern, Pattern) else compile_pattern(pattern)


class Machine:
    """Many named EventBridge patterns (and SNS filter policies), matched in one pass.

    >>> machine = Machine()
    >>> machine.add_rule("ec2", {"source": ["aws.ec2"]})
    >>> machine.match({"source": "aws.ec2"})
    ['ec2']

    Adding a name again with another pattern means OR. Thread safety: changes are serialized
    by a lock and build the next compiled snapshot, which is published with one attribute
    swap the first time an event is matched after them (so a batch of changes compiles once);
    matching reads the current snapshot and takes no lock. A pattern that fails to compile
    leaves the machine unchanged. Pickling, ``==``, ``copy.deepcopy``, ``len`` and
    :meth:`rule_names` are safe while another thread changes the rules. A Machine pickles as
    its rules' routes and unpickles to an equal machine.
    """

    def __init__(self) -> None:
        # The routes filed per name: all a Machine keeps of its rules besides the trie
        # (removal walks them again, pickling and equality use them).
        self._routes: dict[str, list[Route]] = {}
        self._exact_values: dict[str, Counter[Any]] = {}  # exact keys the rules test, per path
        self._store = RuleStore()
        self._snapshot: Snapshot | None = None  # None: changed since the last publication
        self._lock = threading.RLock()

    # -- rules ---------------------------------------------------------------------------------

    def add_rule(self, name: str, pattern: Any) -> None:
        """Add ``pattern`` (a dict, JSON text, or a compiled :class:`Pattern`) under ``name``.

        Raises :class:`~eventmatch.InvalidPatternError` and changes nothing when the
        pattern is invalid.
        """
        self._add([(name, _compiled(pattern).rule)])

    def add_rules(self, rules: Iterable[tuple[str, Any]]) -> None:
        """Add many ``(name, pattern)`` pairs at once: all of them, or none when one is invalid
        (the :class:`~eventmatch.InvalidPatternError` names no rule; its path does). Faster than
        :meth:`add_rule` in a loop for large rule sets (the cyclic garbage collector is paused
        while the rules are filed)."""
        with collector_paused():
            self._add([(name, _compiled(pattern).rule) for name, pattern in rules])

    def add_filter_policy(self, name: str, policy: Any, scope: str = "MessageAttributes") -> None:
        """Add an SNS subscription filter policy (a dict or JSON text) for ``scope``
        (``"MessageAttributes"`` or ``"MessageBody"``) under ``name``; match messages with
        :meth:`match_message`. Raises :class:`~eventmatch.InvalidFilterPolicyError` and
        changes nothing when the policy is invalid."""
        self._add([(name, compile_policy_rule(policy, scope))])

    def _add(self, rules: list[tuple[str, Rule]]) -> None:
        """File compiled rules: every rule's statistics first, so that all get the best order."""
        filed = [(name, way) for name, rule in rules for alternative in rule for way in ways(alternative)]
        with self._lock:
            for _, (present, _absent) in filed:
                self._count_values(present)
            for name, (present, absent) in filed:
                self._file(name, (*order_steps(present, self._exact_values), *absent))
            self._snapshot = None

    def _file(self, name: str, route: Route) -> None:
        self._store.insert(route, name)
        self._routes.setdefault(name, []).append(route)

    def _count_values(self, steps: Iterable[tuple[str, Any]], change: int = 1) -> None:
        for path, tests in steps:
            if tests is None:
                continue
            counts = self._exact_values.get(path)
            if counts is None:
                counts = self._exact_values[path] = Counter()
            for test in tests:
                if type(test) is Exact:
                    count = counts.get(test.key, 0) + change
                    if count:
                        counts[test.key] = count
                    else:
                        del counts[test.key]

    def remove_rule(self, name: str) -> None:
        """Remove every pattern added under ``name``; KeyError if there is none."""
        with self._lock:
            for route in self._routes.pop(name):
                self._store.delete(route, name)
                self._count_values(route, -1)
            self._snapshot = None

    def rule_names(self) -> list[str]:
        """The names of the rules, in the order they were first added."""
        with self._lock:
            return list(self._routes)

    def __len__(self) -> int:
        return len(self._routes)

    def __contains__(self, name: object) -> bool:
        return name in self._routes

    def _canonical(self) -> dict[str, Counter[frozenset[Any]]]:
        with self._lock:
            return {
                name: Counter(frozenset(route) for route in routes) for name, routes in self._routes.items()
            }

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not isinstance(other, Machine):
            return False
        # Both rule sets at one moment: hold both locks (in a fixed order, so that two threads
        # comparing the same pair the other way round cannot deadlock).
        first, second = sorted((self, other), key=id)
        with first._lock, second._lock:
            return other._canonical() == self._canonical()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Machine with {len(self._routes)} rule(s)>"

    def __getstate__(self) -> dict[str, Any]:
        with self._lock:
            # Equal steps are one object in the pickle (rules share most of their values):
            # a smaller pickle, and far fewer objects to rebuild when it is loaded.
            shared: dict[Any, Any] = {}
            routes = {
                name: [tuple(shared.setdefault(step, step) for step in route) for route in named]
                for name, named in self._routes.items()
            }
        return {"routes": routes}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]
        routes: dict[str, list[Route]] = state["routes"]
        with collector_paused():
            for named in routes.values():
                for route in named:
                    self._count_values(route)
            for name, named in routes.items():
                for route in named:
                    # Refile with this machine's statistics, as add_rules would.
                    present = [step for step in route if step[1] is not None]
                    absent = [step for step in route if step[1] is None]
                    self._file(name, (*order_steps(present, self._exact_values), *absent))

    # -- matching ------------------------------------------------------------------------------

    def _publish(self) -> Snapshot:
        """The current snapshot, compiling the changes since the last one first."""
        with self._lock, collector_paused():
            snapshot = self._snapshot
            if snapshot is None:
                snapshot = self._snapshot = Snapshot(self._store)
            return snapshot

    def match(self, event: object) -> list[str]:
        """The names of the rules ``event`` (a dict, or JSON text) matches, each once, sorted.

        Raises :class:`~eventmatch.InvalidEventError` when the event is not a JSON object.
        """
        return (self._snapshot or self._publish()).match(event)

    def match_many(self, events: Iterable[object]) -> list[list[str]]:
        """:meth:`match` for each of ``events`` (dicts or JSON texts), in order, against one
        snapshot of the rules.

        Raises :class:`~eventmatch.InvalidEventError` at the first event that is not a JSON
        object; match events one by one to go on past bad ones.
        """
        return (self._snapshot or self._publish()).match_many(events)

    def match_message(
        self, message_attributes: Mapping[str, Any] | None = None, body: object = None
    ) -> list[str]:
        """The names of the filter policies that accept an SNS message (its attributes, in the
        Publish API or notification shape, and its body as text, bytes or a dict).

        EventBridge rules in the same machine see the message as an event without fields."""
        return self.match(message_event(message_attributes, body))
