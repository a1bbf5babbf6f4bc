"""Wildcard complexity scores, checked against values event-ruler computes (SPEC 2.6.4)."""

from __future__ import annotations

import itertools

import pytest

from eventmatch.complexity import _STAR, _Machine, rule_complexity, wildcard_complexity

# Single-pattern rules scored by event-ruler's MachineComplexityEvaluator (SPEC 2.6.4).
SPEC_SCORES = {
    "*": 2,
    "*a*": 3,
    "*a*b*": 4,
    "*/bin/*.jar": 4,
    "*a*b*c*d*": 6,
    "*a*b*c*d*e*f*": 8,
    "a*a*a*a*": 7,
    "*ab*ab*ab*": 7,
    "*:*:*": 5,
    "*:*:*:*:*": 9,
    "*:*:*:*:*:event-bus/*": 11,
    "/Users/*/dir/dir/dir/dir/dir/doc.txt": 7,
    "arn:aws:events:us-east-1:*:event-bus/*": 3,
    "/Users/*/doc.txt": 2,
}


@pytest.mark.parametrize(("operand", "score"), SPEC_SCORES.items())
def test_spec_scores(operand: str, score: int) -> None:
    assert wildcard_complexity([operand]) == score


def test_event_ruler_rule_level_example() -> None:
    # event-ruler's MachineComplexityEvaluatorTest: a rule whose only wildcard is "a*a*a*a*a*a*" scores 11.
    assert rule_complexity({"def": ["a*a*a*a*a*a*"]}) == 11


# event-ruler's own MachineComplexityEvaluatorTest cases, which build the byte machine from unquoted
# values. Only those whose last character is not '*' apply: quoted operands never end in '*', and
# this module builds no trailing-wildcard states. Every insertion order must give the same score.
UNQUOTED_MACHINE_SCORES = [
    (["abc"], 1),
    (["*ab"], 2),
    (["*aa"], 3),
    (["a*b"], 2),
    (["a*bc"], 2),
    (["a*bb"], 3),
    (["a*bcb"], 3),
    (["a*bbb"], 4),
    (["*ab*ad"], 4),
    (["*ab*d"], 3),
    (["a*b*bb"], 5),
    (["a*b*cb"], 4),
    (["a*b*cd"], 3),
    (["a*b*b"], 4),
    (["ab*c", "x*xx"], 3),
    (["*abc", "*abcde"], 4),
    (["a*bcd", "ab*cd"], 4),
    (["a*bc", "a*bcde"], 4),
    (["a*aaa", "aa*aa"], 7),
    (["a*bc", "abc*d"], 4),
    (["a*aaa", "aaa*a"], 6),
    (["a*aax", "aaa*x"], 5),
    (["ab*cd", "ab*wx", "ab*yz"], 6),
    (["F*eatureFeature", "Fe*atureFeature", "Fea*tureFeature"], 10),
    (["ab*c", "ab*c"], 2),
]


@pytest.mark.parametrize(("values", "score"), UNQUOTED_MACHINE_SCORES)
def test_event_ruler_machine_cases(values: list[str], score: int) -> None:
    for order in itertools.permutations(values):
        machine = _Machine()
        ids: dict[str, int] = {}
        for value in order:
            machine.add([_STAR if c == "*" else ord(c) for c in value], ids.setdefault(value, len(ids)))
        assert machine.score(None) == score, order


def test_no_star_and_no_operands() -> None:
    assert wildcard_complexity(["abc"]) == 1
    assert wildcard_complexity([""]) == 1
    assert wildcard_complexity([]) == 0
    assert rule_complexity({}) == 0


def test_escaped_star_and_backslash_are_literal() -> None:
    assert wildcard_complexity(["a\\*b"]) == wildcard_complexity(["a-b"]) == 1
    assert wildcard_complexity(["a\\\\*"]) == wildcard_complexity(["ab*"])


def test_utf8_bytes() -> None:
    assert wildcard_complexity(["é*é*"]) == wildcard_complexity(["a*a*"])


@pytest.mark.parametrize("operand", SPEC_SCORES)
def test_one_more_star_never_lowers_the_score(operand: str) -> None:
    base = wildcard_complexity([operand])
    for i in range(len(operand) + 1):
        widened = operand[:i] + "*" + operand[i:]
        if "**" not in widened:
            assert wildcard_complexity([widened]) >= base, widened


def test_repeated_segments_grow_with_each_star() -> None:
    scores = [wildcard_complexity(["*a" * k + "*"]) for k in range(8)]
    assert scores == sorted(set(scores))


def test_operands_of_one_field_add_up_fields_take_the_max() -> None:
    assert wildcard_complexity(["*a*"]) == wildcard_complexity(["*b*"]) == 3
    assert wildcard_complexity(["*a*", "*b*"]) == 6
    assert rule_complexity({"x": ["*a*"], "y": ["*b*"]}) == 3
    assert rule_complexity({"x": ["*a*b*"], "y": ["*"], "z": ["abc"]}) == 4


def test_limit_caps_like_event_ruler() -> None:
    operand = "*:*:*:*:*:event-bus/*"
    assert wildcard_complexity([operand], limit=7) == 7
    assert wildcard_complexity([operand], limit=100) == 11
    assert rule_complexity({"f": [operand]}, limit=10) == 10
