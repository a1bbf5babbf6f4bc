"""Property tests of the analysis: its claims checked against the reference and the Machine on random
rules (every operator, ``$or``, dotted and nested keys) and random events.

Each runs 190 examples, or twice that (the main property of ``test_properties`` runs 750: the analysis
runs a Machine per example); ``HYPOTHESIS_PROFILE=thorough`` runs 25 times as many.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import eventmatch
from eventmatch.analysis import FindingKind, Subject, analyze, json_text
from eventmatch.analysis.budget import Budget, Unknown
from eventmatch.analysis.examples import world_of
from eventmatch.analysis.normal_form import normal_form
from eventmatch.analysis.relations import rule_within
from eventmatch.analysis.worlds import EVENTS
from eventmatch.events import parse_event
from eventmatch.flatten import PathSet, flatten
from eventmatch.ir import Rule
from eventmatch.reference import rule_matches, witness
from eventmatch.sns import compile_policy_rule, message_event

from .profiles import examples
from .strategies import KEYS, events, events_for, filter_policies, patterns
from .test_properties import machine_of

_EXAMPLES = examples(190)

# Values no event can take or every event takes, mixed into the shared strategies' patterns.
_EMPTY_RANGES = [{"numeric": [">", x, "<", math.nextafter(x, math.inf)]} for x in (1.0, -0.5, 100.0)]
_EVERY_LEAF = [[{"exists": True}, {"exists": False}], [{"anything-but": "x"}, "x", {"exists": False}]]


@st.composite
def odd_patterns(draw: st.DrawFn) -> dict[str, Any]:
    """A random pattern, sometimes with a field no value meets or one every value (and absence) meets."""
    pattern = draw(patterns())
    shape = draw(st.integers(0, 5))
    key = draw(st.sampled_from(KEYS))
    if shape == 0:
        pattern[key] = [draw(st.sampled_from(_EMPTY_RANGES))]
    elif shape == 1:
        pattern[key] = draw(st.sampled_from(_EVERY_LEAF))
    elif shape == 2:
        pattern = {key: draw(st.sampled_from(_EVERY_LEAF))}
    return pattern


def reference_matches(rule: Rule, event: Any) -> bool:
    paths = PathSet(condition.path for alternative in rule for condition in alternative)
    return rule_matches(rule, flatten(parse_event(event), paths))


def _agree(pattern: dict[str, Any], event: Any) -> bool:
    """The reference's answer, after checking that the Machine (with the event as JSON text too) agrees."""
    rule = eventmatch.compile_pattern(pattern).rule
    expected = reference_matches(rule, event)
    machine = machine_of([("r", pattern)])
    assert bool(machine.match(event)) == expected
    assert bool(machine.match(json_text(event))) == expected
    return expected


@settings(max_examples=_EXAMPLES * 2)
@given(pattern=odd_patterns())
def test_every_example_event_matches(pattern: dict[str, Any]) -> None:
    try:
        examples = eventmatch.example_events(pattern)
    except eventmatch.UnsatisfiablePatternError:
        return  # never-matches claims are checked below
    assert examples
    for example in examples:
        assert _agree(pattern, example), example


@settings(max_examples=_EXAMPLES)
@given(pattern=odd_patterns())
def test_every_near_miss_fails_exactly_its_condition(pattern: dict[str, Any]) -> None:
    try:
        misses = eventmatch.near_misses(pattern)
    except eventmatch.UnsatisfiablePatternError:
        return
    rule = eventmatch.compile_pattern(pattern).rule
    paths = PathSet(condition.path for alternative in rule for condition in alternative)
    for miss in misses:
        assert not _agree(pattern, miss.event), miss
        alternative = rule[miss.alternative]
        (condition,) = [condition for condition in alternative if condition.path == miss.path]
        leaves = flatten(parse_event(miss.event), paths)
        assert witness((condition,), leaves) is None, miss
        assert witness(tuple(c for c in alternative if c is not condition), leaves) is not None, miss


def _random_events(pattern: dict[str, Any], draw: Callable[[st.SearchStrategy[Any]], Any]) -> list[Any]:
    return [draw(st.one_of(events, events_for(pattern))) for _ in range(draw(st.integers(1, 6)))]


@settings(max_examples=_EXAMPLES)
@given(data=st.data())
def test_never_and_every_claims_hold_for_random_events(data: st.DataObject) -> None:
    rules = data.draw(st.lists(odd_patterns(), min_size=1, max_size=4))
    subjects = [Subject(f"r{i}", eventmatch.compile_pattern(p).rule) for i, p in enumerate(rules)]
    for finding in analyze(subjects):
        if finding.kind not in (FindingKind.NEVER, FindingKind.EVERY):
            continue
        pattern = rules[finding.subject]
        for event in _random_events(pattern, data.draw):
            assert _agree(pattern, event) == (finding.kind is FindingKind.EVERY), (finding, event)


# Values a weaker pattern may add (some make others redundant, which the normal form must not overdo).
_ADDED = ["x", "", 5, True, None, {"prefix": "x"}, {"prefix": ""}, {"wildcard": "*"}, {"exists": True}]
_ADDED += [{"exists": False}, {"anything-but": "x"}, {"numeric": [">", 0]}, {"equals-ignore-case": "x"}]


def _weakened(pattern: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A pattern likely to take every event ``pattern`` takes: some keys dropped, some values added."""
    weaker: dict[str, Any] = {}
    for position, (key, value) in enumerate(pattern.items()):
        last_chance = position == len(pattern) - 1 and not weaker
        if key != "$or" and not last_chance and rng.random() < 0.3:
            continue
        if isinstance(value, list) and key != "$or" and rng.random() < 0.5:
            value = [*value, rng.choice(_ADDED)]
        elif isinstance(value, dict):
            value = _weakened(value, rng)
        weaker[key] = value
    return weaker


@settings(max_examples=_EXAMPLES)
@given(data=st.data())
def test_every_subsumed_claim_survives_random_events(data: st.DataObject) -> None:
    first = data.draw(patterns())
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    second = data.draw(st.one_of(st.just(_weakened(first, rng)), patterns()))
    rules = [eventmatch.compile_pattern(pattern).rule for pattern in (first, second)]
    try:
        claimed = rule_within(rules[0], rules[1], world_of(rules[0], sns=False), Budget())
    except Unknown:
        return
    if claimed:
        for event in _random_events(first, data.draw):
            if _agree(first, event):
                assert _agree(second, event), event
    subjects = [Subject("first", rules[0]), Subject("second", rules[1])]
    for finding in analyze(subjects):
        if finding.kind in (FindingKind.SUBSUMED, FindingKind.DUPLICATE):
            small, big = (first, second) if finding.subject == 0 else (second, first)
            for event in _random_events(small, data.draw):
                if _agree(small, event):
                    assert _agree(big, event), (finding, event)


def _number_spellings(value: float) -> list[str]:
    """Texts of one decimal: ``5`` as ``5.0``, ``5e0``, ``50e-1``."""
    sign, digits, exponent = Decimal(repr(float(value))).as_tuple()
    mantissa = ("-" if sign else "") + "".join(map(str, digits))
    assert isinstance(exponent, int)
    return [repr(float(value)), f"{mantissa}e{exponent}", f"{mantissa}0e{exponent - 1}"]


def _respelled_value(value: Any, rng: random.Random) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _Spelled(rng.choice(_number_spellings(value)))
    if isinstance(value, list):  # an anything-but list, or a numeric operator's operands
        items = [_respelled_value(item, rng) for item in value]
        if not any(isinstance(item, str) and item in ("<", "<=", "=", ">", ">=") for item in value):
            rng.shuffle(items)
        return items
    if isinstance(value, dict):
        return {key: _respelled_value(item, rng) for key, item in value.items()}
    return value


def _respelled(pattern: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """``pattern`` rewritten without changing its meaning: value lists, anything-but lists and
    ``$or`` branches shuffled, numbers spelled otherwise (as JSON text: ``5`` as ``5.0`` or ``50e-1``)."""
    rewritten: dict[str, Any] = {}
    for key, value in pattern.items():
        if key == "$or":
            branches = [_respelled(branch, rng) for branch in value]
            rng.shuffle(branches)
            rewritten[key] = branches
        elif isinstance(value, dict):
            rewritten[key] = _respelled(value, rng)
        else:
            items = [_respelled_value(item, rng) for item in value]
            rng.shuffle(items)
            rewritten[key] = items
    return rewritten


class _Spelled(float):
    """A number to be written with the given spelling."""

    def __new__(cls, text: str) -> _Spelled:
        spelled = super().__new__(cls, float(text))
        spelled.text = text  # type: ignore[attr-defined]
        return spelled


def _text(value: Any) -> str:
    if isinstance(value, _Spelled):
        return value.text  # type: ignore[attr-defined, no-any-return]
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(key)}: {_text(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_text(item) for item in value) + "]"
    return json.dumps(value)


@settings(max_examples=_EXAMPLES)
@given(pattern=patterns(), seed=st.integers(0, 2**32), event=events)
def test_duplicates_are_found_for_rewrites_of_a_rule(pattern: dict[str, Any], seed: int, event: Any) -> None:
    rewritten = _text(_respelled(pattern, random.Random(seed)))
    try:
        rules = [eventmatch.compile_pattern(pattern).rule, eventmatch.compile_pattern(rewritten).rule]
    except eventmatch.InvalidPatternError:
        assume(False)  # a respelled number the pattern language refuses (beyond comparable doubles)
    assert _agree(pattern, event) == reference_matches(rules[1], event)
    findings = analyze([Subject("written", rules[0]), Subject("rewritten", rules[1])])
    kinds = {finding.kind for finding in findings}
    if FindingKind.NEVER not in kinds and FindingKind.EVERY not in kinds:
        assert any(f.kind is FindingKind.DUPLICATE and f.subject == 1 for f in findings), (
            rewritten,
            findings,
        )


_VOCABULARY = [*_ADDED, "xy", 0, 7.5, False, {"wildcard": "x*"}, {"anything-but": ["x", ""]}]
_VOCABULARY += [
    {"numeric": [">=", 5]},
    {"numeric": ["<", 0]},
    {"suffix": ""},
    {"anything-but": {"prefix": "x"}},
]
_PROBES = [{}, {"a": []}, {"a": {"b": 1}}] + [
    {"a": value} for value in ("x", "xy", "", "y", 5, 0, -1, 7.5, True, False, None)
]


@settings(max_examples=_EXAMPLES * 2)
@given(
    values=st.lists(st.lists(st.sampled_from(_VOCABULARY), min_size=1, max_size=4), min_size=2, max_size=2),
    event=events,
)
def test_rules_of_one_normal_form_match_the_same_events(values: list[list[Any]], event: Any) -> None:
    first, second = ({"a": value, "b": ["k"]} for value in values)
    rules = [eventmatch.compile_pattern(pattern).rule for pattern in (first, second)]
    forms = [normal_form(rule, EVENTS, Budget()) for rule in rules]
    if forms[0] == forms[1]:
        for probe in [*_PROBES, event]:
            probe = {**probe, "b": "k"}
            assert reference_matches(rules[0], probe) == reference_matches(rules[1], probe), (values, probe)


# -- SNS ---------------------------------------------------------------------------------------------------


@settings(max_examples=_EXAMPLES)
@given(scope=st.sampled_from(["MessageAttributes", "MessageBody"]), data=st.data())
def test_example_messages_are_delivered_and_near_misses_are_not(scope: str, data: st.DataObject) -> None:
    policy = data.draw(filter_policies(scope))
    compiled = eventmatch.compile_filter_policy(policy, scope)
    machine = eventmatch.Machine()
    machine.add_filter_policy("s", policy, scope)
    rule = compile_policy_rule(policy, scope)
    paths = PathSet(condition.path for alternative in rule for condition in alternative)
    for message in eventmatch.example_messages(policy, scope):
        assert compiled.matches(message.attributes, message.body), message
        assert machine.match_message(message.attributes, message.body) == ["s"]
    for miss in eventmatch.near_miss_messages(policy, scope):
        message = miss.event
        assert not compiled.matches(message.attributes, message.body), miss
        assert machine.match_message(message.attributes, message.body) == []
        leaves = flatten(message_event(message.attributes, message.body), paths)
        alternative = rule[miss.alternative]
        failing = [c for c in alternative if witness((c,), leaves) is None]
        assert len(failing) == 1, miss
        assert witness(tuple(c for c in alternative if c is not failing[0]), leaves) is not None
