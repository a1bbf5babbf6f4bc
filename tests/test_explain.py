"""eventmatch.explain: the explanation agrees with Pattern.matches, and says why."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eventmatch
from eventmatch.events import parse_event
from eventmatch.explain import Explanation, describe_test, explain
from eventmatch.flatten import PathSet, flatten
from eventmatch.reference import witness

from .strategies import events, events_for, patterns

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "eventbridge"


def check(pattern: Any, event: Any) -> Explanation:
    """Explain, and check the explanation against the matcher and the reference interpreter."""
    compiled = eventmatch.compile_pattern(pattern)
    result = explain(compiled, event)
    assert result.matched == compiled.matches(event)
    leaves = flatten(parse_event(event), PathSet(c.path for alt in compiled.rule for c in alt))
    assert [alt.matched for alt in result.alternatives] == [
        witness(alt, leaves) is not None for alt in compiled.rule
    ]
    assert result.decided_by == next((alt.index for alt in result.alternatives if alt.matched), None)
    for alternative in result.alternatives:
        passed = [condition.passed for condition in alternative.conditions]
        assert passed == sorted(passed)  # failing conditions first
        assert all(passed) == alternative.matched
    return result


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_explanation_agrees_with_matches(data: st.DataObject) -> None:
    pattern = data.draw(patterns())
    event = data.draw(st.one_of(events, events_for(pattern)))
    check(pattern, event)


def _corpus_cases() -> list[Any]:
    cases = []
    for path in sorted(CORPUS.glob("*.json")):
        for gi, group in enumerate(json.loads(path.read_text(encoding="utf-8")).get("groups", [])):
            pattern = group.get("pattern_text", group.get("pattern"))
            for ci, case in enumerate(group["cases"]):
                event = case.get("event_text", case.get("event"))
                cases.append(pytest.param(pattern, event, case["match"], id=f"{path.stem}/{gi}/{ci}"))
    return cases


@pytest.mark.skipif(not CORPUS.is_dir(), reason="corpus/eventbridge not present")
@pytest.mark.parametrize(("pattern", "event", "expected"), _corpus_cases())
def test_corpus(pattern: Any, event: Any, expected: bool) -> None:
    assert check(pattern, event).matched is expected


def test_failing_condition_first_with_values_and_note() -> None:
    result = check(
        {"source": ["aws.ec2"], "detail": {"state": ["running", {"prefix": "pend"}]}},
        {"source": "aws.ec2", "detail": {"state": ["stopped", "stopping"]}},
    )
    assert not result.matched
    failing, passing = result.alternatives[0].conditions
    assert (failing.path, failing.tests, failing.values, failing.passed, failing.chosen) == (
        "detail.state",
        ('"running"', 'prefix "pend"'),
        ('"stopped"', '"stopping"'),
        False,
        None,
    )
    assert failing.note == "no value here passes a test"
    assert (passing.path, passing.chosen, passing.note) == (
        "source",
        '"aws.ec2"',
        '"aws.ec2" passes "aws.ec2"',
    )


def test_missing_value_and_exists_false() -> None:
    result = check({"a": ["1"], "b": [{"exists": False}]}, {"b": 2})
    notes = {condition.path: condition.note for condition in result.alternatives[0].conditions}
    assert notes == {"a": "no value here", "b": "exists false, but there is a value here"}


def test_array_consistency_blames_the_condition_that_cannot_join() -> None:
    result = check({"a": {"b": ["1"], "c": ["2"]}}, {"a": [{"b": "1"}, {"c": "2"}]})
    blamed, other = result.alternatives[0].conditions
    assert (blamed.path, blamed.passed, other.path, other.passed) == ("a.c", False, "a.b", True)
    assert blamed.note == "holds on its own, but not in the same array element as the values of a.b"


def test_absence_judged_in_the_pinned_array_element() -> None:  # decision D7
    result = check({"a": {"b": ["1"], "c": [{"exists": False}]}}, {"a": [{"b": "1"}, {"c": "2"}]})
    assert result.matched
    absent = result.alternatives[0].conditions[1]
    assert (absent.path, absent.values, absent.chosen) == ("a.c", ('"2"',), None)
    assert "array element" in absent.note


def test_or_says_which_alternative_decided() -> None:
    result = check({"$or": [{"a": ["1"]}, {"b": [{"numeric": [">", 5]}]}]}, {"b": 7})
    assert (result.matched, result.decided_by) == (True, 1)
    assert str(result).splitlines()[:2] == ["match: $or alternative 2 of 2 matches", "alternative 2:"]
    missed = check({"$or": [{"a": ["1"], "c": ["3"]}, {"b": ["2"]}]}, {"a": "1"})
    assert str(missed).splitlines()[:2] == [
        "no match: none of the 2 $or alternatives matches",
        "alternative 1:",
    ]


def test_result_is_frozen_and_json_ready() -> None:
    result = explain('{"a": [1e400, {"cidr": "10.0.0.0/24"}]}', '{"a": 1e400}')
    assert result.matched
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.matched = False  # type: ignore[misc]
    document = json.loads(json.dumps(dataclasses.asdict(result)))
    assert document["alternatives"][0]["conditions"][0]["chosen"] == "1e400"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("x", '"x"'),
        (5, "5"),
        (2.5, "2.5"),
        (True, "true"),
        (None, "null"),
        ({"prefix": "us-"}, 'prefix "us-"'),
        ({"suffix": ".png"}, 'suffix ".png"'),
        ({"prefix": {"equals-ignore-case": "Us"}}, 'prefix equals-ignore-case "Us"'),
        ({"suffix": {"equals-ignore-case": "X"}}, 'suffix equals-ignore-case "X"'),
        ({"equals-ignore-case": "Ab"}, 'equals-ignore-case "Ab"'),
        ({"wildcard": "a*b"}, 'wildcard "a*b"'),
        ({"anything-but": "x"}, 'anything-but "x"'),
        ({"anything-but": [1, 2]}, "anything-but [1, 2]"),
        ({"anything-but": {"prefix": "x"}}, 'anything-but prefix "x"'),
        ({"numeric": ["=", 5]}, "numeric = 5"),
        ({"numeric": [">", 0, "<=", 1.5]}, "numeric > 0, <= 1.5"),
        ({"numeric": ["<", -3]}, "numeric < -3"),
        ({"numeric": [">=", 100]}, "numeric >= 100"),
        ({"cidr": "10.0.0.0/24"}, 'cidr "10.0.0.0/24"'),
        ({"cidr": "2001:db8::/32"}, 'cidr "2001:db8::/32"'),
        ("10.0.0.1", '"10.0.0.1" (an IP address)'),
        ({"exists": True}, "exists true"),
        ({"exists": False}, "exists false"),
    ],
)
def test_describe_test(value: Any, text: str) -> None:
    ((condition,),) = eventmatch.compile_pattern({"f": [value]}).rule
    (test,) = condition.tests
    assert describe_test(test) == text


def test_invalid_input_raises_the_library_errors() -> None:
    with pytest.raises(eventmatch.InvalidPatternError):
        explain({"a": "x"}, {})
    with pytest.raises(eventmatch.InvalidEventError):
        explain({"a": ["x"]}, "[1]")
