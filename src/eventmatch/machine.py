"""The Machine: many rules compiled into one shared automaton, matched in one pass.

Every alternative of every rule is a sequence of *steps* (its conditions with some leaf, in
path order, then its conditions with no leaf, in path order). Alternatives that begin with
the same steps share the states those steps lead to, and a state files the tests of all
the steps leaving it by field in one value index per field (:mod:`eventmatch.matchers`).
Matching follows the event's leaves through those indexes, so its cost follows the event
and the states it reaches, not the number of rules.

Array consistency (SPEC 1.3): a partial match carries the paths and array positions of the
leaves it has used, and a leaf from another element of an array it already used cannot extend
it; nor can a leaf event-ruler would not offer next to them (``reference.admissible``).
Because absence steps come last, absence is judged against all the leaves a match uses
(decision D7).
"""

from __future__ import annotations

import gc
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from itertools import product
from typing import Any, TypeAlias

from .events import Trail, parse_event
from .flatten import PathSet, flatten
from .ir import Alternative, AnythingBut, Exact, Exists, Numeric, Rule, Test, Wildcard
from .matchers.value_index import ValueIndex
from .pattern import Pattern, compile_pattern
from .reference import array_holdings, consistent, offered
from .sns import compile_policy_rule, message_event

__all__ = ["Machine"]

# A step is (path, tests) for "a leaf at path passes one of tests", or (path, None) for
# "no leaf at path".
Step: TypeAlias = tuple[str, tuple[Test, ...] | None]
Route: TypeAlias = tuple[Step, ...]  # one way to meet one alternative, in the order filed
# The leaves a partial match has used, as (path, trail): those inside arrays, and those at
# paths that have leaves inside arrays elsewhere in the event (event-ruler's lookups see both).
Pinned: TypeAlias = tuple[tuple[str, Trail], ...]


class _State:
    """A node of the automaton: where the alternatives sharing a run of steps have got to."""

    __slots__ = ("absent", "fields", "refs", "terminal", "tests")

    def __init__(self, tests: tuple[Test, ...] | None = None) -> None:
        self.tests = tests  # the step's tests that lead here from the parent field
        self.fields: dict[str, _Field] | None = None
        self.absent: dict[str, _State] | None = None
        self.terminal: dict[str, int] | None = None
        self.refs = 0


def _anchor(tests: tuple[Test, ...]) -> Exact | None:
    return next((test for test in tests if isinstance(test, Exact)), None)


class _Field:
    """The steps on one path leaving one state: a child state per step, tests filed by value.

    Exact values, by far the commonest test, sit in a plain dict looked up inline; the other
    families go to a value index made on first use. A child is found again through one of its
    exact values (it knows its tests), so most fields need no dict of children besides."""

    __slots__ = ("exact", "loose_children", "others")

    def __init__(self) -> None:
        self.exact: dict[Any, list[_State]] = {}
        self.others: ValueIndex[_State] | None = None
        self.loose_children: dict[tuple[Test, ...], _State] | None = None  # steps with no exact value

    def child(self, tests: tuple[Test, ...]) -> _State | None:
        """The child the step with these tests leads to, if there is one."""
        anchor = _anchor(tests)
        if anchor is None:
            return self.loose_children.get(tests) if self.loose_children is not None else None
        return next((child for child in self.exact.get(anchor.key, ()) if child.tests == tests), None)

    def attach(self, child: _State) -> None:
        tests = child.tests
        assert tests is not None
        for test in tests:
            if isinstance(test, Exact):
                self.exact.setdefault(test.key, []).append(child)
            else:
                self.others = self.others if self.others is not None else ValueIndex()
                self.others.add(test, child)
        if _anchor(tests) is None:
            self.loose_children = self.loose_children if self.loose_children is not None else {}
            self.loose_children[tests] = child

    def detach(self, child: _State) -> None:
        tests = child.tests
        assert tests is not None
        for test in tests:
            if isinstance(test, Exact):
                targets = self.exact[test.key]
                targets.remove(child)
                if not targets:
                    del self.exact[test.key]
            else:
                assert self.others is not None
                self.others.remove(test, child)
                if not self.others:
                    self.others = None
        if self.loose_children is not None and self.loose_children.get(tests) is child:
            del self.loose_children[tests]
            if not self.loose_children:
                self.loose_children = None

    def __bool__(self) -> bool:
        return bool(self.exact) or bool(self.loose_children)


def _looseness(tests: tuple[Test, ...]) -> int:
    """How many leaves a step lets through, as a rank (0: exact values only). Loose steps
    (anything-but, exists) go last, so that a match is carried forward only by events that
    really fit so far: a loose step first would let every event into every rule behind it."""
    rank = 0
    for test in tests:
        if isinstance(test, AnythingBut | Exists):
            return 3
        if isinstance(test, Wildcard) or (isinstance(test, Numeric) and test.low != test.high):
            rank = 2
        elif not isinstance(test, Exact):
            rank = max(rank, 1)
    return rank


def _ways(alternative: Alternative) -> Iterator[tuple[list[Step], list[Step]]]:
    """The ways to meet one alternative, as (steps with a leaf, steps with no leaf): a
    condition that may also be met by absence gives one way for each."""
    if not any(condition.allows_absence for condition in alternative):
        yield [(condition.path, condition.tests) for condition in alternative], []
        return
    options: list[list[Step]] = []
    for condition in alternative:
        ways: list[Step] = []
        positive = condition.positive_tests
        if positive:
            ways.append((condition.path, positive))
        if condition.allows_absence:
            ways.append((condition.path, None))
        options.append(ways)
    for choice in product(*options):
        yield [step for step in choice if step[1] is not None], [step for step in choice if step[1] is None]


def _compiled(pattern: Any) -> Pattern:
    return pattern if isinstance(pattern, Pattern) else compile_pattern(pattern)


def _consistent_with(trail: Trail, pinned: Pinned) -> bool:
    return all(consistent(trail, other) for _, other in pinned)


class Machine:
    """Many named EventBridge patterns, matched against an event in one pass.

    >>> machine = Machine()
    >>> machine.add_rule("ec2", {"source": ["aws.ec2"]})
    >>> machine.match({"source": "aws.ec2"})
    ['ec2']

    Adding a name again with another pattern means OR. Thread safety: one lock serializes
    ``add_rule``, ``remove_rule`` and ``match`` (under CPython's GIL pure-Python matching
    would not run in parallel anyway), so matching is safe while another thread changes the
    rules; a pattern that fails to compile leaves the machine unchanged. A Machine pickles
    as its rules' steps and unpickles to an equal machine.
    """

    def __init__(self) -> None:
        # The step sequences filed per name: all a Machine keeps of its rules (removal walks
        # them again, pickling and equality use them).
        self._routes: dict[str, list[Route]] = {}
        self._exact_values: dict[str, Counter[Any]] = {}  # exact keys the rules test, per path
        self._root = _State()
        self._path_counts: Counter[str] = Counter()
        self._paths: PathSet | None = PathSet()
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
        :meth:`add_rule` in a loop for large rule sets: Python's cyclic garbage collector is paused
        while the automaton grows (it has no cycles to collect, and its sweeps over a growing heap
        would otherwise take half the time)."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._add([(name, _compiled(pattern).rule) for name, pattern in rules])
        finally:
            if collecting:
                gc.enable()

    def add_filter_policy(self, name: str, policy: Any, scope: str = "MessageAttributes") -> None:
        """Add an SNS subscription filter policy (a dict or JSON text) for ``scope``
        (``"MessageAttributes"`` or ``"MessageBody"``) under ``name``; match messages with
        :meth:`match_message`. Raises :class:`~eventmatch.InvalidFilterPolicyError` and
        changes nothing when the policy is invalid."""
        self._add([(name, compile_policy_rule(policy, scope))])

    def _add(self, rules: list[tuple[str, Rule]]) -> None:
        """File compiled rules: every rule's statistics first, so that all get the best order."""
        ways = [(name, way) for name, rule in rules for alternative in rule for way in _ways(alternative)]
        with self._lock:
            for _, (present, _absent) in ways:
                self._count_values(present, 1)
            for name, (present, absent) in ways:
                self._file(name, present, absent)

    def _count_values(self, steps: Iterable[Step], change: int) -> None:
        for path, tests in steps:
            if tests is None:
                continue
            counts = self._exact_values.get(path)
            if counts is None:
                counts = self._exact_values[path] = Counter()
            for test in tests:
                if isinstance(test, Exact):
                    counts[test.key] += change
                    if not counts[test.key]:
                        del counts[test.key]

    def _order(self, steps: list[Step]) -> list[Step]:
        """Steps with a leaf, most selective first: by looseness, then, among exact steps, by
        the share of the path's known values they accept (a tenant id before a status).
        Ties keep path order, so that rules alike share their first states."""

        def key(step: Step) -> tuple[int, float]:
            path, tests = step
            assert tests is not None
            looseness = _looseness(tests)
            if looseness:
                return looseness, 1.0
            return 0, len(tests) / max(1, len(self._exact_values.get(path, ())))

        return sorted(steps, key=key)

    def _file(self, name: str, present: list[Step], absent: list[Step]) -> None:
        route = (*self._order(present), *absent)
        self._insert(route, name)
        self._routes.setdefault(name, []).append(route)

    def match_message(
        self, message_attributes: Mapping[str, Any] | None = None, body: object = None
    ) -> list[str]:
        """The names of the filter policies that accept an SNS message (its attributes, in the
        Publish API or notification shape, and its body as text, bytes or a dict).

        EventBridge rules in the same machine see the message as an event without fields."""
        return self.match(message_event(message_attributes, body))

    def remove_rule(self, name: str) -> None:
        """Remove every pattern added under ``name``; KeyError if there is none."""
        with self._lock:
            for route in self._routes.pop(name):
                self._delete(route, name)
                self._count_values(route, -1)

    def rule_names(self) -> list[str]:
        """The names of the rules, in the order they were first added."""
        return list(self._routes)

    def __len__(self) -> int:
        return len(self._routes)

    def __contains__(self, name: object) -> bool:
        return name in self._routes

    def _canonical(self) -> dict[str, Counter[frozenset[Step]]]:
        return {name: Counter(frozenset(route) for route in routes) for name, routes in self._routes.items()}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Machine) and other._canonical() == self._canonical()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Machine with {len(self._routes)} rule(s)>"

    def __getstate__(self) -> dict[str, Any]:
        return {"routes": self._routes}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__()  # type: ignore[misc]
        routes: dict[str, list[Route]] = state["routes"]
        with self._lock:
            for named in routes.values():
                for route in named:
                    self._count_values(route, 1)
            for name, named in routes.items():
                for route in named:
                    present = [step for step in route if step[1] is not None]
                    self._file(name, present, [step for step in route if step[1] is None])

    # -- the automaton -------------------------------------------------------------------------

    def _insert(self, steps: Route, name: str) -> None:
        state = self._root
        state.refs += 1
        for path, tests in steps:
            if tests is None:
                state.absent = state.absent if state.absent is not None else {}
                child = state.absent.get(path)
                if child is None:
                    child = state.absent[path] = _State()
            else:
                state.fields = state.fields if state.fields is not None else {}
                field = state.fields.get(path)
                if field is None:
                    field = state.fields[path] = _Field()
                child = field.child(tests)
                if child is None:
                    child = _State(tests)
                    field.attach(child)
            self._path_counts[path] += 1
            child.refs += 1
            state = child
        state.terminal = state.terminal if state.terminal is not None else {}
        state.terminal[name] = state.terminal.get(name, 0) + 1
        self._paths = None

    def _delete(self, steps: Route, name: str) -> None:
        state = self._root
        state.refs -= 1
        for path, tests in steps:
            if tests is None:
                assert state.absent is not None
                child = state.absent[path]
                child.refs -= 1
                if not child.refs:
                    del state.absent[path]
            else:
                assert state.fields is not None
                field = state.fields[path]
                found = field.child(tests)
                assert found is not None
                child = found
                child.refs -= 1
                if not child.refs:
                    field.detach(child)
                    if not field:
                        del state.fields[path]
            self._path_counts[path] -= 1
            if not self._path_counts[path]:
                del self._path_counts[path]
            state = child
        assert state.terminal is not None
        state.terminal[name] -= 1
        if not state.terminal[name]:
            del state.terminal[name]
        self._paths = None

    # -- matching ------------------------------------------------------------------------------

    def match(self, event: object) -> list[str]:
        """The names of the rules ``event`` (a dict, or JSON text) matches, each once, sorted.

        Raises :class:`~eventmatch.InvalidEventError` when the event is not a JSON object.
        """
        parsed = parse_event(event)
        with self._lock:
            paths = self._paths
            if paths is None:
                paths = self._paths = PathSet(self._path_counts)
            return sorted(self._walk(flatten(parsed, paths)))

    def match_many(self, events: Iterable[object]) -> list[list[str]]:
        """:meth:`match` for each of ``events`` (dicts or JSON texts), in order.

        Raises :class:`~eventmatch.InvalidEventError` at the first event that is not a JSON
        object; match events one by one to go on past bad ones.
        """
        return [self.match(event) for event in events]

    def _walk(self, leaves: dict[str, list[tuple[Any, Trail]]]) -> set[str]:
        matched: set[str] = set()
        start: tuple[_State, Pinned] = (self._root, ())
        pending = [start]
        seen = {start}
        event_paths = len(leaves)
        # Which arrays hold each path's leaves: only events with leaves inside arrays need it.
        in_arrays = any(trail for found in leaves.values() for _, trail in found)
        holdings = array_holdings(leaves) if in_arrays else None
        while pending:
            state, pinned = pending.pop()
            if state.terminal:
                matched.update(state.terminal)
            fields = state.fields
            if fields:
                if len(fields) <= event_paths:
                    present = [(p, field, leaves[p]) for p, field in fields.items() if p in leaves]
                else:
                    present = [(p, fields[p], found) for p, found in leaves.items() if p in fields]
                for path, field, found in present:
                    exact, others = field.exact, field.others
                    held = holdings[path] if holdings is not None else None
                    for key, trail in found:
                        if pinned and (trail or held) and not offered(path, trail, pinned, holdings):  # type: ignore[arg-type]
                            continue
                        reached = exact.get(key)
                        if others is not None:
                            extra: set[_State] = set()
                            others.lookup(key, extra)
                            if extra:
                                reached = [*reached, *extra] if reached else list(extra)
                        if not reached:
                            continue
                        extended = (*pinned, (path, trail)) if trail or held else pinned
                        for child in reached:
                            step = (child, extended)
                            if step not in seen:
                                seen.add(step)
                                pending.append(step)
            if state.absent:
                for path, child in state.absent.items():
                    around = leaves.get(path)
                    if around and any(not trail or _consistent_with(trail, pinned) for _, trail in around):
                        continue
                    step = (child, pinned)
                    if step not in seen:
                        seen.add(step)
                        pending.append(step)
        return matched
