"""Findings about rule sets: overridden conditions, duplicates, subsumption, overlaps, samples, unknowns."""

from __future__ import annotations

from typing import Any

import pytest

import eventmatch
from eventmatch.analysis import Exclusive, FindingKind, RuleFinding, Sample, Subject, analyze
from eventmatch.analysis.budget import Budget
from eventmatch.analysis.overrides import overridden
from eventmatch.analysis.relations import alternative_within
from eventmatch.analysis.worlds import EVENTS
from eventmatch.cli.located import LocatedDict, Position
from eventmatch.sns import compile_policy_rule


def _subjects(patterns: dict[str, Any]) -> list[Subject]:
    return [Subject(name, eventmatch.compile_pattern(p).rule, written=p) for name, p in patterns.items()]


def _found(findings: list[RuleFinding], subjects: list[Subject]) -> set[tuple[str, str, tuple[str, ...]]]:
    return {
        (subjects[f.subject].name, f.kind.value, tuple(subjects[o].name for o in f.others)) for f in findings
    }


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ('{"detail.a": [1], "detail": {"a": [2]}}', ['"detail.a"', '"detail" > "a"']),
        ('{"a": [1], "b": [2], "a": [3]}', ['"a"', '"a"']),
        ({"a": ["1"], "$or": [{"a": ["2"]}, {"b": ["3"]}]}, ['"a"', '$or[0] > "a"']),
        ({"x": {"$or": [{"a": [1]}, {"b": [2]}], "a": [3]}}, ['"x" > $or[0] > "a"', '"x" > "a"']),
    ],
)
def test_a_path_written_twice_is_found_in_the_pattern_as_written(
    pattern: object, expected: list[str]
) -> None:
    (override,) = overridden(pattern)
    assert [override.first, override.last] == expected
    assert "only the last one counts" in str(override)


def test_overrides_are_found_in_yaml_documents_too() -> None:
    document = LocatedDict()
    document.add("a", [1], Position(1, 1))
    document.add("a", [2], Position(2, 1))
    assert [o.path for o in overridden(document)] == ["a"]
    assert overridden({"a": [1], "b": {"c": [2]}}) == []


def test_duplicates_ignore_how_a_rule_is_written() -> None:
    subjects = _subjects(
        {
            "first": {"source": ["x"], "n": [5, "y"]},
            "respelled": '{"n": ["y", 5.0e0], "source": ["x"]}',
            "wildcard": {"source": ["x"], "k": [{"wildcard": "ab*"}]},
            "prefix": {"k": [{"prefix": "ab"}], "source": ["x"]},  # another form, the same meaning
        }
    )
    found = _found(analyze(subjects), subjects)
    assert ("respelled", "duplicate", ("first",)) in found
    assert ("prefix", "duplicate", ("wildcard",)) in found


def test_subsumed_is_reported_only_when_proven() -> None:
    subjects = _subjects(
        {
            "narrow": {"source": ["x"], "d": {"state": ["stopped"], "size": [{"numeric": [">", 10]}]}},
            "wide": {"source": ["x"], "d": {"state": ["stopped", "running"]}},
            "other": {"source": ["y"]},
        }
    )
    assert _found(analyze(subjects), subjects) == {("narrow", "subsumed", ("wide",))}


def test_absence_in_an_array_element_keeps_subsumption_unproven() -> None:
    # {"d": [{"x": "1"}, {"z": 5}]} matches the first (no z in the element x pins) but not the second.
    small = eventmatch.compile_pattern({"d": {"x": ["1"], "z": [{"exists": False}]}}).rule[0]
    big = eventmatch.compile_pattern({"d": {"z": [{"exists": False}]}}).rule[0]
    event = {"d": [{"x": "1"}, {"z": 5}]}
    assert eventmatch.matches({"d": {"x": ["1"], "z": [{"exists": False}]}}, event)
    assert not eventmatch.matches({"d": {"z": [{"exists": False}]}}, event)
    assert not alternative_within(small, big, EVENTS, Budget())
    elsewhere = eventmatch.compile_pattern({"s": ["1"], "d": {"z": [{"exists": False}]}}).rule[0]
    assert alternative_within(elsewhere, big, EVENTS, Budget())  # s cannot pin an element of d


def test_overlaps_are_checked_in_exclusive_groups_only() -> None:
    subjects = _subjects(
        {
            "eu": {"source": ["shop"], "region": [{"prefix": "eu-"}]},
            "big": {"source": ["shop"], "total": [{"numeric": [">=", 1000]}]},
            "us": {"source": ["shop"], "region": [{"prefix": "us-"}]},
        }
    )
    findings = analyze(subjects, [Exclusive("same queue", (0, 1, 2))])
    overlaps = [f for f in findings if f.kind is FindingKind.OVERLAP]
    assert [(subjects[f.subject].name, subjects[f.others[0]].name) for f in overlaps] == [
        ("eu", "big"),
        ("big", "us"),
    ]
    for finding in overlaps:
        for index in (finding.subject, *finding.others):
            assert subjects[index].rule and eventmatch.Pattern(subjects[index].rule).matches(finding.event)
    assert "same queue" in overlaps[0].message
    assert not [f for f in analyze(subjects) if f.kind is FindingKind.OVERLAP]


def test_a_question_past_the_budget_is_unknown() -> None:
    wild = {f"k{i}": [{"wildcard": f"*a{'b' * i}*c*d{i}*"}] for i in range(3)}
    subjects = _subjects({"one": wild, "two": {**wild, "k0": [{"wildcard": "*a*c*"}]}})
    (finding,) = analyze(subjects, steps=3)
    assert finding.kind is FindingKind.UNKNOWN
    assert finding.message == "unknown whether it is subsumed by two (the step budget ran out)"
    assert _found(analyze(subjects), subjects) == {("one", "subsumed", ("two",))}


def test_sns_policies_every_message_with_attributes_and_subsumption() -> None:
    rules = {
        "any": compile_policy_rule({"a": [{"exists": True}, {"exists": False}]}),
        "eu": compile_policy_rule({"region": [{"prefix": "eu-"}], "kind": ["order"]}),
        "orders": compile_policy_rule({"kind": ["order", "refund"]}),
    }
    subjects = [Subject(name, rule, sns=True) for name, rule in rules.items()]
    findings = analyze(subjects)
    messages = {subjects[f.subject].name: f.message for f in findings}
    assert messages["any"].startswith("matches every message with attributes")
    assert messages["eu"] == "subsumed by orders: every message it accepts, they do too"


def test_rules_no_sample_event_matches_get_their_nearest_miss() -> None:
    subjects = _subjects(
        {"stopped": {"source": ["aws.ec2"], "state": ["stopped"]}, "s3": {"source": ["aws.s3"]}}
    )
    events = [{"source": "aws.s3"}, {"source": "aws.ec2", "state": "running"}, {"source": "x"}]
    sample = [Sample(f"line {n}", event, event) for n, event in enumerate(events, 1)]
    (finding,) = analyze(subjects, sample=sample)
    assert (finding.kind, subjects[finding.subject].name) == (FindingKind.UNMATCHED, "stopped")
    assert finding.event == events[1]
    assert "nearest miss is line 2: state: no value here passes a test" in finding.message
