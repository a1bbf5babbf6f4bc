"""Property tests: the Machine against the reference interpreter on random rule sets.

Each test names its examples (750 for the main property under the ``ci`` profile, 25 times as many
under ``HYPOTHESIS_PROFILE=thorough``; see ``profiles.py``). Shrunk failures become regular tests in
``test_machine.py``.
"""

from __future__ import annotations

import contextlib
import json
import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import eventmatch
from eventmatch.events import parse_event
from eventmatch.flatten import PathSet, flatten
from eventmatch.reference import rule_matches

from .profiles import examples
from .strategies import events, events_for, patterns

named_rules = st.lists(
    st.tuples(st.sampled_from([f"r{i}" for i in range(40)]), patterns()), min_size=1, max_size=200
)


def reference_names(rules: list[tuple[str, dict[str, Any]]], event: dict[str, Any]) -> list[str]:
    """What the reference interpreter says: names with a pattern that matches.

    The event is read with every rule's paths at once, as one machine reads it (event-ruler
    skips keys that no rule of the machine uses; that is part of the semantics).
    """
    compiled = [(name, eventmatch.compile_pattern(pattern).rule) for name, pattern in rules]
    paths = PathSet(
        condition.path for _, rule in compiled for alternative in rule for condition in alternative
    )
    leaves = flatten(parse_event(event), paths)
    return sorted({name for name, rule in compiled if rule_matches(rule, leaves)})


def machine_of(rules: list[tuple[str, dict[str, Any]]]) -> eventmatch.Machine:
    machine = eventmatch.Machine()
    for name, pattern in rules:
        machine.add_rule(name, pattern)
    return machine


@st.composite
def rules_and_events(draw: st.DrawFn) -> tuple[list[tuple[str, dict[str, Any]]], list[dict[str, Any]]]:
    """A rule set and a few events, most built to meet one of its rules."""
    rules = draw(named_rules)
    batch = [
        draw(st.one_of(events, events_for(draw(st.sampled_from(rules))[1]), events_for(rules[-1][1])))
        for _ in range(draw(st.integers(1, 5)))
    ]
    return rules, batch


# Half the profile's examples: each builds a Machine of up to 200 rules, and generates its code.
@settings(max_examples=examples(750))
@given(case=rules_and_events())
def test_machine_matches_the_reference(
    case: tuple[list[tuple[str, dict[str, Any]]], list[dict[str, Any]]],
) -> None:
    rules, batch = case
    machine = machine_of(rules)
    for event in batch:
        assert machine.match(event) == reference_names(rules, event)
        assert machine.match(json.dumps(event)) == reference_names(rules, event)


@settings(max_examples=examples(300))
@given(
    rules=named_rules,
    removals=st.lists(st.sampled_from([f"r{i}" for i in range(40)]), max_size=20),
    event=events,
)
def test_machine_after_removals_matches_the_reference(
    rules: list[tuple[str, dict[str, Any]]], removals: list[str], event: dict[str, Any]
) -> None:
    machine = machine_of(rules)
    remaining = list(rules)
    for name in removals:
        if name in machine:
            machine.remove_rule(name)
            remaining = [(n, p) for n, p in remaining if n != name]
        else:
            with pytest.raises(KeyError):
                machine.remove_rule(name)
    assert machine.match(event) == reference_names(remaining, event)
    assert sorted(machine.rule_names()) == sorted({n for n, _ in remaining})


@settings(max_examples=examples(300))
@given(rules=named_rules, event=events)
def test_removing_everything_leaves_an_empty_machine(
    rules: list[tuple[str, dict[str, Any]]], event: Any
) -> None:
    machine = machine_of(rules)
    for name in {n for n, _ in rules}:
        machine.remove_rule(name)
    assert machine.match(event) == []
    assert machine == eventmatch.Machine()


@settings(max_examples=examples(200))
@given(rules=named_rules, event=events)
def test_a_pickled_machine_matches_the_same(rules: list[tuple[str, dict[str, Any]]], event: Any) -> None:
    machine = machine_of(rules)
    copy = pickle.loads(pickle.dumps(machine))
    assert copy == machine
    assert copy.match(event) == machine.match(event)


@settings(max_examples=examples(500))
@given(pattern=patterns(), event=events)
def test_pattern_matches_agrees_with_a_one_rule_machine(pattern: dict[str, Any], event: Any) -> None:
    assert eventmatch.compile_pattern(pattern).matches(event) == bool(
        machine_of([("r", pattern)]).match(event)
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@settings(max_examples=examples(1000))
@given(value=json_values | st.binary() | st.text())
def test_any_input_is_a_pattern_or_a_clear_error(value: Any) -> None:
    with contextlib.suppress(eventmatch.InvalidPatternError):
        eventmatch.compile_pattern(value)


@settings(max_examples=examples(1000))
@given(pattern=patterns(), value=json_values | st.binary() | st.text())
def test_any_input_is_an_event_or_a_clear_error(pattern: dict[str, Any], value: Any) -> None:
    with contextlib.suppress(eventmatch.InvalidEventError):
        eventmatch.matches(pattern, value)
    text = json.dumps(value) if not isinstance(value, bytes) else value
    with contextlib.suppress(eventmatch.InvalidEventError):
        eventmatch.matches(pattern, text)
