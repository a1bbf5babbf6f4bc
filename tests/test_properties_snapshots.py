"""Property and concurrency tests for matching against compiled snapshots.

``Machine.match_many`` against ``match`` and the reference interpreter on random rule sets
(hypothesis), and, with plain threads, what readers see while another thread changes the
rules: every pickled, copied or matched view must be the rule set after some prefix of the
writer's operations, and a match never sees half of an ``add_rules`` batch.
"""

from __future__ import annotations

import copy
import json
import pickle
import random
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import eventmatch

from .profiles import examples
from .strategies import events, events_for, patterns
from .test_properties import machine_of, reference_names

Rules = list[tuple[str, dict[str, Any]]]
NAMES = [f"r{i}" for i in range(12)]


# -- match_many against match and the reference --------------------------------------------------

_ENCODINGS: list[Callable[[dict[str, Any]], object]] = [
    lambda event: event,
    orjson.dumps,
    json.dumps,
    lambda event: json.dumps(event).encode(),
    lambda event: json.dumps(event, indent=1, ensure_ascii=False),
]
encodings = st.sampled_from(_ENCODINGS)


few_rules = st.lists(st.tuples(st.sampled_from(NAMES), patterns()), min_size=1, max_size=15)


@st.composite
def rules_and_event_lists(draw: st.DrawFn) -> tuple[Rules, list[dict[str, Any]], list[object]]:
    """A rule set, a list of events (most built to meet a rule), and the same events each as
    a dict or as JSON text (str or bytes)."""
    rules = draw(few_rules)
    batch = [
        draw(st.one_of(events, events_for(draw(st.sampled_from(rules))[1])))
        for _ in range(draw(st.integers(0, 8)))
    ]
    encoded = [draw(encodings)(event) for event in batch]
    return rules, batch, encoded


@settings(max_examples=examples(100))
@given(case=rules_and_event_lists())
def test_match_many_is_match_per_event_and_the_reference(
    case: tuple[Rules, list[dict[str, Any]], list[object]],
) -> None:
    rules, batch, encoded = case
    machine = machine_of(rules)
    expected = [reference_names(rules, event) for event in batch]
    assert [machine.match(event) for event in encoded] == expected
    assert machine.match_many(encoded) == expected
    assert machine.match_many(batch) == expected
    assert machine.match_many(event for event in encoded) == expected  # a generator
    assert machine.match_many(iter(batch)) == expected


_NOT_OBJECTS: list[object] = [
    b"[1]",
    b"{",
    "[1]",
    "{",
    b"",
    "",
    "null",
    "5",
    b'"text"',
    b'{"a": 1',
    b'{"a": 1} x',
    [1],
    None,
    5,
]


@settings(max_examples=examples(50))
@given(
    rules=st.lists(st.tuples(st.sampled_from(NAMES), patterns()), min_size=1, max_size=10),
    before=st.lists(events, max_size=4),
    bad=st.sampled_from(_NOT_OBJECTS),
    after=st.lists(st.one_of(events, st.sampled_from(_NOT_OBJECTS)), max_size=3),
    as_generator=st.booleans(),
)
def test_match_many_raises_at_an_event_that_is_not_a_json_object(
    rules: Rules,
    before: list[dict[str, Any]],
    bad: object,
    after: list[object],
    as_generator: bool,
) -> None:
    machine = machine_of(rules)
    with pytest.raises(eventmatch.InvalidEventError):
        machine.match(bad)
    batch = [*before, bad, *after]
    with pytest.raises(eventmatch.InvalidEventError):
        machine.match_many(iter(batch) if as_generator else batch)
    # The machine is none the worse for it.
    assert machine.match_many(before) == [reference_names(rules, event) for event in before]


def test_match_many_of_nothing_is_an_empty_list() -> None:
    machine = machine_of([("r", {"a": ["x"]})])
    assert machine.match_many([]) == []
    assert machine.match_many(iter(())) == []
    assert eventmatch.Machine().match_many([{"a": "x"}, b"{}"]) == [[], []]


def test_match_many_stops_reading_a_generator_at_the_bad_event() -> None:
    machine = machine_of([("r", {"a": ["x"]})])
    read: list[int] = []

    def feed() -> Iterator[object]:
        for index, event in enumerate([{"a": "x"}, b'{"a": "x"}', b"[1]", {"a": "x"}]):
            read.append(index)
            yield event

    with pytest.raises(eventmatch.InvalidEventError):
        machine.match_many(feed())
    assert read[:3] == [0, 1, 2]


# -- snapshots under concurrent changes ----------------------------------------------------------

POOL: list[dict[str, Any]] = [
    {"a": ["x"]},
    {"a": [{"prefix": "x"}]},
    {"a": [{"suffix": "yz"}, "q"]},
    {"b": [{"numeric": [">", 1]}]},
    {"b": [{"numeric": [">=", 3, "<", 10]}]},
    {"c": {"d": [{"exists": True}]}},
    {"c": {"d": [{"exists": False}]}},
    {"arr": {"k": [1], "v": ["p"]}},
    {"arr": {"k": [2], "v": ["p"]}},
    {"arr": {"k": [{"anything-but": 1}], "w": [{"exists": False}]}},
    {"a": [{"wildcard": "x*z"}]},
    {"a": [{"anything-but": "y"}]},
    {"a": [{"equals-ignore-case": "XYZ"}]},
    {"b": [2], "$or": [{"a": ["x"]}, {"c": {"d": [3]}}]},
    {"e": ["never"]},
    {"arr": {"k": [2]}, "a": [{"prefix": "xy"}]},
]
INVALID: dict[str, Any] = {"a": [{"wildcard": "x**"}]}

PROBES: list[dict[str, Any]] = [
    {"a": "xyz", "b": 2, "c": {"d": 3}},
    {"a": "xyz", "b": [2, 5], "arr": [{"k": 1, "v": "q"}, {"k": 2, "v": "p"}], "c": {"d": 3}},
    {"a": "y", "arr": [{"k": 3, "v": "p"}, {"k": 1, "w": 0}], "e": "never"},
]
# The same probes, also as JSON text, to match in one match_many call.
PROBE_BATCH: list[object] = [*PROBES, *(orjson.dumps(probe) for probe in PROBES), json.dumps(PROBES[1])]


def _expand(results: list[list[str]]) -> list[list[str]]:
    """The reference's answers for PROBE_BATCH, from its answers for PROBES."""
    return [*results, *results, results[1]]


Operation = tuple[str, Any]


def churn_operations(seed: int, count: int) -> list[Operation]:
    """A reproducible sequence of changes: add_rule, add_rules, remove_rule (of a present
    name, or of an absent one, which raises KeyError), and invalid additions."""
    rng = random.Random(seed)
    present: set[str] = set()
    operations: list[Operation] = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.35:
            name = rng.choice(NAMES)
            operations.append(("add_rule", (name, rng.choice(POOL))))
            present.add(name)
        elif roll < 0.6:
            batch = [(rng.choice(NAMES), rng.choice(POOL)) for _ in range(rng.randint(1, 6))]
            operations.append(("add_rules", batch))
            present.update(name for name, _ in batch)
        elif roll < 0.92 and present:
            name = rng.choice(sorted(present))
            operations.append(("remove_rule", name))
            present.discard(name)
        elif roll < 0.96:
            operations.append(("remove_rule", rng.choice([n for n in NAMES if n not in present] or NAMES)))
            present.discard(operations[-1][1])
        else:
            batch = [(rng.choice(NAMES), rng.choice(POOL)), (rng.choice(NAMES), INVALID)]
            operations.append(("add_rules", batch))
    return operations


def prefix_states(operations: list[Operation]) -> list[Rules]:
    """The rules (in the machine's name order) after each prefix of ``operations``."""
    state: dict[str, list[dict[str, Any]]] = {}
    states: list[Rules] = [[]]
    for kind, argument in operations:
        if kind == "add_rule":
            state.setdefault(argument[0], []).append(argument[1])
        elif kind == "add_rules":
            if all(pattern is not INVALID for _, pattern in argument):
                for name, pattern in argument:
                    state.setdefault(name, []).append(pattern)
        else:
            state.pop(argument, None)
        states.append([(name, pattern) for name, patterns in state.items() for pattern in patterns])
    return states


def apply(machine: eventmatch.Machine, operation: Operation) -> None:
    kind, argument = operation
    if kind == "add_rule":
        machine.add_rule(*argument)
    elif kind == "add_rules":
        if any(pattern is INVALID for _, pattern in argument):
            with pytest.raises(eventmatch.InvalidPatternError):
                machine.add_rules(argument)
        else:
            machine.add_rules(argument)
    elif argument in machine:
        machine.remove_rule(argument)
    else:
        with pytest.raises(KeyError):
            machine.remove_rule(argument)


@pytest.fixture
def fast_switching() -> Iterator[None]:
    """Switch threads far more often than the default 5 ms, so that races show up."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


class Progress:
    """How far the writer has got: ``done`` operations have returned, ``started`` have
    begun, so the rule set at any moment is the one after a prefix in [done, started]."""

    def __init__(self) -> None:
        self.started = 0
        self.done = 0
        self.finished = False
        self.errors: list[BaseException] = []
        self.stop = False  # set when a reader gives up: the writer stops too
        self._observed = 0  # observations the readers have completed
        self._changed = threading.Condition()

    def observe(self) -> None:
        """A reader completed one observation."""
        with self._changed:
            self._observed += 1
            self._changed.notify_all()

    def halt(self) -> None:
        with self._changed:
            self.stop = True
            self._changed.notify_all()

    def pace(self) -> None:
        """Let the readers run: wait (a second at most) until two more observations complete,
        so that one began after the last change and the readers see many of the writer's
        states, not just the first and the last."""
        with self._changed:
            target = self._observed + 2
            self._changed.wait_for(lambda: self._observed >= target or self.stop, timeout=1.0)


def run_writer(machine: eventmatch.Machine, operations: list[Operation], progress: Progress) -> None:
    try:
        for index, operation in enumerate(operations):
            if progress.stop:
                break
            progress.started = index + 1
            apply(machine, operation)
            progress.done = index + 1
            if index % 4 == 3:
                progress.pace()
    except BaseException as error:  # reported by the main thread
        progress.errors.append(error)
    finally:
        progress.finished = True


class Prefixes:
    """The expected views of the machine after each prefix of the writer's operations."""

    def __init__(self, operations: list[Operation]) -> None:
        self.rules = prefix_states(operations)
        self.names = [list(dict.fromkeys(name for name, _ in rules)) for rules in self.rules]
        self._machines: dict[int, eventmatch.Machine] = {}
        self._answers: dict[int, list[list[str]]] = {}

    def machine(self, index: int) -> eventmatch.Machine:
        if index not in self._machines:
            self._machines[index] = machine_of(self.rules[index])
        return self._machines[index]

    def answers(self, index: int) -> list[list[str]]:
        """The reference's answers for PROBE_BATCH after prefix ``index``."""
        if index not in self._answers:
            rules = self.rules[index]
            self._answers[index] = _expand([reference_names(rules, probe) for probe in PROBES])
        return self._answers[index]

    def explain(self, window: range, what: str, seen: object) -> str:
        return f"{what} {seen!r} is no state after a prefix in {window} of the writer's operations"

    def check_copy(self, window: range, machine: eventmatch.Machine) -> None:
        """``machine`` (an unpickled or deep copy) is the rule set after some prefix in ``window``."""
        names = machine.rule_names()
        fits = [index for index in window if self.names[index] == names]
        assert fits, self.explain(window, "rule_names()", names)
        assert any(machine == self.machine(index) for index in fits), self.explain(window, "copy", names)
        answers = machine.match_many(PROBE_BATCH)
        assert answers in [self.answers(index) for index in fits], self.explain(window, "answers", answers)
        assert [machine.match(probe) for probe in PROBE_BATCH] == answers
        assert len(machine) == len(names)

    def check_answers(self, window: range, answers: list[list[str]]) -> None:
        """``answers`` to PROBE_BATCH come from one rule set after some prefix in ``window``."""
        assert any(answers == self.answers(index) for index in window), self.explain(
            window, "match_many answers", answers
        )


@pytest.mark.parametrize("seed", [1, 2])
def test_snapshots_and_copies_are_consistent_under_concurrent_changes(
    seed: int, fast_switching: None
) -> None:
    operations = churn_operations(seed, 300)
    prefixes = Prefixes(operations)
    machine = eventmatch.Machine()
    progress = Progress()
    writer = threading.Thread(target=run_writer, args=(machine, operations, progress), daemon=True)
    writer.start()
    observations = 0
    try:
        while not progress.finished or observations < 3:
            done = progress.done

            blob = pickle.dumps(machine)
            assert machine == machine
            deep = copy.deepcopy(machine)
            assert isinstance(machine == deep, bool)
            assert isinstance(machine == pickle.loads(blob), bool)
            names = machine.rule_names()
            size = len(machine)
            answers = machine.match_many(PROBE_BATCH)
            single = machine.match(PROBES[1])
            single_text = machine.match(orjson.dumps(PROBES[0]))

            window = range(done, progress.started + 1)
            prefixes.check_copy(window, pickle.loads(blob))
            prefixes.check_copy(window, deep)
            assert names in [prefixes.names[index] for index in window], prefixes.explain(
                window, "rule_names()", names
            )
            assert size in {len(prefixes.names[index]) for index in window}, prefixes.explain(
                window, "len()", size
            )
            prefixes.check_answers(window, answers)
            assert single in [prefixes.answers(index)[1] for index in window]
            assert single_text in [prefixes.answers(index)[0] for index in window]
            observations += 1
            progress.observe()
    finally:
        progress.halt()
        writer.join(timeout=30)
    assert not writer.is_alive()
    if progress.errors:
        raise progress.errors[0]
    # At rest, the machine is exactly the last state.
    final = len(operations)
    prefixes.check_copy(range(final, final + 1), machine)
    prefixes.check_copy(range(final, final + 1), pickle.loads(pickle.dumps(machine)))
    assert machine == prefixes.machine(final)


def test_a_machine_equals_itself_while_another_thread_changes_it(fast_switching: None) -> None:
    """``m == m`` must hold at every moment. (A Machine.__eq__ that reads ``other`` and ``self``
    under two separate acquisitions of the lock fails this: a change landing between the two
    reads made a machine unequal to itself, tens of times in a thousand comparisons.)"""
    operations = churn_operations(11, 1000)
    machine = eventmatch.Machine()
    progress = Progress()
    writer = threading.Thread(target=run_writer, args=(machine, operations, progress), daemon=True)
    writer.start()
    unequal = 0
    comparisons = 0
    try:
        while not progress.finished:
            unequal += machine != machine
            comparisons += 1
            progress.observe()
    finally:
        progress.halt()
        writer.join(timeout=30)
    if progress.errors:
        raise progress.errors[0]
    assert unequal == 0, f"m == m was False {unequal} times in {comparisons} comparisons"


def test_readers_in_several_threads_see_consistent_snapshots(fast_switching: None) -> None:
    operations = churn_operations(7, 300)
    prefixes = Prefixes(operations)
    for index in range(len(prefixes.rules)):  # computed up front: the readers only look them up
        prefixes.answers(index)
    machine = eventmatch.Machine()
    progress = Progress()
    failures: list[BaseException] = []

    def read() -> None:
        try:
            while not progress.finished:
                done = progress.done
                answers = machine.match_many(PROBE_BATCH)
                prefixes.check_answers(range(done, progress.started + 1), answers)
                pickle.loads(pickle.dumps(machine))
                machine.rule_names()
                progress.observe()
        except BaseException as error:
            failures.append(error)
            progress.halt()

    readers = [threading.Thread(target=read, daemon=True) for _ in range(3)]
    for reader in readers:
        reader.start()
    run_writer(machine, operations, progress)
    for reader in readers:
        reader.join(timeout=30)
    assert not any(reader.is_alive() for reader in readers)
    if progress.errors:
        raise progress.errors[0]
    if failures:
        raise failures[0]
    assert machine == prefixes.machine(len(operations))


# -- a match never sees half a batch -------------------------------------------------------------

BATCH_SIZE = 120
BATCH_NAMES = [f"h{i:03d}" for i in range(BATCH_SIZE)]
HALF_PROBE: dict[str, Any] = {
    "a": "xyz",
    "n": list(range(BATCH_SIZE)),
    "arr": [{"k": index % 6, "v": "p"} for index in range(6)],
    "s": "some text",
}


def _batch_pattern(index: int) -> dict[str, Any]:
    """Patterns of several kinds, all of them matching HALF_PROBE."""
    kind = index % 6
    if kind == 0:
        return {"n": [index]}
    if kind == 1:
        return {"arr": {"k": [index % 6], "v": ["p"]}}
    if kind == 2:
        return {"a": [{"prefix": "x"}], "n": [{"numeric": [">=", index]}]}
    if kind == 3:
        return {"s": [{"wildcard": "some*"}], "n": [index]}
    if kind == 4:
        return {"arr": {"k": [{"anything-but": 99}]}, "missing": [{"exists": False}]}
    return {"$or": [{"a": ["nope"]}, {"n": [index]}]}


BATCH = [(name, _batch_pattern(index)) for index, name in enumerate(BATCH_NAMES)]
STEADY: Rules = [("steady-plain", {"a": ["xyz"]}), ("steady-array", {"arr": {"k": [0], "v": ["p"]}})]


def test_the_batch_patterns_all_match_the_probe() -> None:
    assert reference_names(BATCH, HALF_PROBE) == BATCH_NAMES


def _check_batch_view(names: list[str], what: str) -> None:
    """``names`` (a view's batch names, in any order) are none, all, or - while the writer
    removes them one by one in the order they were added - the last ones added."""
    seen = set(names)
    assert len(seen) == len(names)
    tail = BATCH_NAMES[BATCH_SIZE - len(seen) :]
    assert seen == set(tail), f"{what} saw part of a batch: {sorted(seen)[:5]}... ({len(seen)} names)"


def test_a_match_never_sees_half_a_batch(fast_switching: None) -> None:
    machine = machine_of(STEADY)
    progress = Progress()
    probe_text = orjson.dumps(HALF_PROBE)

    def churn() -> None:
        try:
            for _ in range(12):
                if progress.stop:
                    break
                machine.add_rules(BATCH)
                progress.pace()
                for index, name in enumerate(BATCH_NAMES):  # in the order they were added
                    machine.remove_rule(name)
                    if index % 20 == 0:
                        progress.pace()
        except BaseException as error:
            progress.errors.append(error)
        finally:
            progress.finished = True

    writer = threading.Thread(target=churn, daemon=True)
    writer.start()
    full = empty = 0
    try:
        while not progress.finished:
            matched = machine.match(HALF_PROBE)
            assert matched[-2:] == ["steady-array", "steady-plain"]
            _check_batch_view(matched[:-2], "match")
            many = machine.match_many([HALF_PROBE, probe_text, HALF_PROBE])
            assert many[0] == many[1] == many[2], "one match_many call read several rule sets"
            _check_batch_view(many[0][:-2], "match_many")
            names = machine.rule_names()
            assert names[:2] == ["steady-plain", "steady-array"]
            _check_batch_view(names[2:], "rule_names()")
            full += len(matched) == BATCH_SIZE + 2
            empty += len(matched) == 2
            progress.observe()
    finally:
        progress.halt()
        writer.join(timeout=30)
    assert not writer.is_alive()
    if progress.errors:
        raise progress.errors[0]
    assert machine.match(HALF_PROBE) == ["steady-array", "steady-plain"]
    assert full > 0  # the writer's pacing lets the reader see whole batches
