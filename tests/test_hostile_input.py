"""Hostile and real-world input (issue 9): deep nesting, huge integers, lone surrogates.

Every input here once crashed eventmatch with something other than an eventmatch error, or
gave different answers for the same event as text and as a dict.
"""

from __future__ import annotations

import contextlib
import json
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pytest

import eventmatch
from eventmatch import (
    InvalidEventError,
    InvalidFilterPolicyError,
    InvalidPatternError,
    Machine,
    compile_filter_policy,
    compile_pattern,
    explain,
)
from eventmatch.events import MAX_DEPTH
from eventmatch.pattern import MAX_PATH_STEPS

TOO_DEEP = "nested too deeply"


def lists(depth: int, leaf: Any = 1) -> Any:
    """``leaf`` inside ``depth`` nested lists."""
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def lists_text(depth: int, leaf: str = "1") -> str:
    """:func:`lists` as JSON text (json.dumps recurses once per level)."""
    return "[" * depth + leaf + "]" * depth


def at_a(value: str) -> str:
    """The JSON text of an object with ``value`` (JSON text) at ``a``."""
    return '{"a": ' + value + "}"


def nested_pattern(depth: int) -> str:
    return '{"a":' * depth + "[1]" + "}" * depth


def nested_event(depth: int, leaf: str = "1") -> str:
    return '{"a":' * depth + leaf + "}" * depth


def general_reader_machine(pattern: Any) -> Machine:
    """A Machine holding ``pattern`` and a rule with an empty path step, which makes it read
    every event with the general reader (``flatten``) instead of the plain one."""
    machine = Machine()
    machine.add_rule("r", pattern)
    machine.add_rule("empty-step", {"z": {"": ["never"]}})
    return machine


def plain_machine(pattern: Any) -> Machine:
    machine = Machine()
    machine.add_rule("r", pattern)
    return machine


MACHINES = [plain_machine, general_reader_machine]

# -- 1. deep events and patterns ------------------------------------------------------------------


@pytest.mark.parametrize("make", MACHINES)
def test_a_dict_event_with_5000_deep_lists_is_nested_too_deeply(make: Callable[[Any], Machine]) -> None:
    machine = make('{"a":[1]}')
    with pytest.raises(InvalidEventError, match=TOO_DEEP):
        machine.match({"a": lists(5000)})
    with pytest.raises(InvalidEventError, match=TOO_DEEP):
        machine.match_many([{"a": 1}, {"a": lists(5000)}])


@pytest.mark.parametrize(
    "check",
    [
        lambda event: compile_pattern({"a": [1]}).matches(event),
        lambda event: eventmatch.matches({"a": [1]}, event),
        lambda event: explain({"a": [1]}, event),
        lambda event: compile_filter_policy({"a": [1]}, "MessageBody").matches(None, event),
    ],
    ids=["Pattern.matches", "matches", "explain", "FilterPolicy.matches"],
)
def test_every_entry_point_refuses_a_5000_deep_dict_event(check: Callable[[Any], Any]) -> None:
    with pytest.raises(InvalidEventError, match=TOO_DEEP):
        check({"a": lists(5000)})


@pytest.mark.parametrize("make", MACHINES)
def test_the_depth_limit_is_the_same_for_dicts_and_text(make: Callable[[Any], Machine]) -> None:
    machine = make({"a": [1]})
    deepest = MAX_DEPTH - 1  # the lists, inside the event's object
    for event in ({"a": lists(deepest)}, at_a(lists_text(deepest))):
        assert machine.match(event) == ["r"]
    too_deep = at_a(lists_text(deepest + 1))
    for deep_event in ({"a": lists(deepest + 1)}, too_deep, too_deep.encode()):
        with pytest.raises(InvalidEventError, match=TOO_DEEP):
            machine.match(deep_event)


def test_deep_objects_inside_arrays_are_refused_not_kept_one_trail_each() -> None:
    # Each list level held a leaf and a list: a trail per level, as long as its depth.
    event: list[Any] = []
    for _ in range(100_000):
        event = [event, 1]
    with pytest.raises(InvalidEventError, match=TOO_DEEP):
        explain({"a": [1]}, {"a": event})
    with pytest.raises(InvalidEventError, match=TOO_DEEP):
        general_reader_machine({"a": [1]}).match({"a": event})


@pytest.mark.parametrize("depth", [1000, 1024, 1025, 5000, 100_000])
def test_deep_text_events_match_up_to_the_limit_and_are_refused_beyond(depth: int) -> None:
    pattern = compile_pattern('{"a":[1]}')
    objects = '{"b":' * (depth - 1) + '{"a":1}' + "}" * (depth - 1)
    arrays = '{"a":' + "[" * (depth - 1) + "1" + "]" * (depth - 1) + "}"
    for event, expected in ((objects, False), (arrays, True), (arrays.encode(), True)):
        if depth <= MAX_DEPTH:
            assert pattern.matches(event) is expected
        else:
            with pytest.raises(InvalidEventError, match=TOO_DEEP):
                pattern.matches(event)


@pytest.mark.parametrize(
    ("extra", "expected"),
    [('"a": 12345678901234567890123', ["big"]), ('"a": "x", "a": 1', ["one"]), ('"s": "\ud800"', [])],
    ids=["integer beyond 64 bits", "repeated key", "lone surrogate"],
)
def test_deep_text_that_needs_the_exact_reader_is_read_up_to_the_limit(
    extra: str, expected: list[str]
) -> None:
    # json's recursive decoder gives up near 1,000 levels: the exact reader must not.
    machine = Machine()
    machine.add_rule("one", {"a": [1]})
    machine.add_rule("big", '{"a": [12345678901234567890123]}')
    arrays = "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2)
    assert machine.match("{" + extra + ', "deep": [' + arrays + "]}") == expected
    with pytest.raises(InvalidEventError, match=TOO_DEEP):
        machine.match("{" + extra + ', "deep": [[' + arrays + "]]}")


def test_a_deep_pattern_matches_an_equally_deep_event_through_the_general_reader() -> None:
    depth = MAX_PATH_STEPS
    pattern = nested_pattern(depth)
    in_arrays = '{"a":[' * (depth - 1) + '{"a":1}' + "]}" * (depth - 1)
    assert compile_pattern(pattern).matches(nested_event(depth))
    assert explain(pattern, in_arrays).matched
    assert general_reader_machine(pattern).match(in_arrays) == ["r"]
    as_dict: dict[str, Any] = {"a": 1}
    for _ in range(depth - 1):
        as_dict = {"a": [as_dict]}
    assert general_reader_machine(pattern).match(as_dict) == ["r"]


@pytest.mark.parametrize(
    "pattern",
    [
        nested_pattern(900),
        json.loads(nested_pattern(900)),
        {".".join(["a"] * 2000): [1]},
        {".".join(["a"] * (MAX_PATH_STEPS + 1)): [1]},
    ],
    ids=["900 deep text", "900 deep dict", "2000 dotted steps", "one step too many"],
)
def test_a_pattern_deeper_than_the_engine_reads_is_refused(pattern: Any) -> None:
    with pytest.raises(InvalidPatternError, match="too deeply nested"):
        compile_pattern(pattern)
    with pytest.raises(InvalidPatternError, match="too deeply nested"):
        Machine().add_rule("r", pattern)
    with pytest.raises(InvalidFilterPolicyError, match="too deeply nested"):
        compile_filter_policy(pattern, "MessageBody")


def test_a_dotted_path_of_the_most_steps_matches() -> None:
    key = ".".join(["a"] * MAX_PATH_STEPS)
    assert plain_machine({key: [1]}).match({key: 1}) == ["r"]
    assert compile_filter_policy({key: [1]}, "MessageBody").matches(None, {key: 1})


@pytest.mark.parametrize("depth", [1000, 5000, 100_000])
def test_deep_pattern_and_policy_text_is_an_error(depth: int) -> None:
    with pytest.raises(InvalidPatternError, match="nested too deeply"):
        compile_pattern(nested_pattern(depth))
    for scope in ("MessageAttributes", "MessageBody"):
        with pytest.raises(InvalidFilterPolicyError, match="nested too deeply"):
            compile_filter_policy(nested_pattern(depth), scope)


def test_a_deep_dict_policy_is_an_error() -> None:
    policy: dict[str, Any] = {"x": ["y"]}
    for _ in range(5000):
        policy = {"a": policy}
    with pytest.raises(InvalidFilterPolicyError, match="too deeply nested"):
        compile_filter_policy(policy, "MessageBody")


def test_a_message_body_is_refused_as_deep_as_text_or_as_a_dict() -> None:
    policy = compile_filter_policy({"a": [1]}, "MessageBody")
    deepest = MAX_DEPTH - 2  # one level is the message's own
    assert policy.matches(None, {"a": lists(deepest)})
    assert policy.matches(None, at_a(lists_text(deepest)))
    for depth in (deepest + 1, deepest + 2):
        for form in ({"a": lists(depth)}, at_a(lists_text(depth))):
            with pytest.raises(InvalidEventError, match=TOO_DEEP):
                policy.matches(None, form)


def test_an_ordered_dict_in_an_array_is_pinned_to_its_element_like_a_dict() -> None:
    pattern = compile_pattern({"x": {"a": [1], "b": [4]}})
    plain = {"x": [{"a": 1, "b": 2}, {"a": 3, "b": 4}]}
    ordered = {"x": [OrderedDict(a=1, b=2), OrderedDict(a=3, b=4)]}
    assert not pattern.matches(plain)
    assert not pattern.matches(ordered)
    assert not explain(pattern, ordered).matched


# -- 2. huge integers -----------------------------------------------------------------------------

HUGE = 10**5000 + 7
HUGE_TEXT = "1" + "7".zfill(5000)  # str(HUGE) refuses more than 4300 digits


def test_the_huge_integer_text_is_its_digits() -> None:
    assert int(HUGE_TEXT[:4000]) * 10**1001 + int(HUGE_TEXT[4000:]) == HUGE
    assert compile_pattern({"a": [HUGE]}).rule == compile_pattern(at_a(f"[{HUGE_TEXT}]")).rule


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (at_a(f"[{HUGE_TEXT}]"), True),
        ({"a": [HUGE]}, True),
        (at_a(f"[-{HUGE_TEXT}]"), False),
        (at_a(f"[1{HUGE_TEXT}]"), False),
        ('{"a": [1e5000]}', False),
        ({"a": [{"numeric": [">", 0]}]}, False),
        ({"a": [{"exists": True}]}, True),
        ({"a": [{"anything-but": "x"}]}, True),
        ({"a": [{"anything-but": [1]}]}, True),
    ],
    ids=range(9),
)
def test_a_huge_integer_matches_by_its_text_as_text_and_as_a_dict(pattern: Any, expected: bool) -> None:
    compiled = compile_pattern(pattern)
    machine = plain_machine(pattern)
    for event in (at_a(HUGE_TEXT), at_a(f"[{HUGE_TEXT}]"), {"a": HUGE}, {"a": [HUGE]}):
        assert compiled.matches(event) is expected
        assert machine.match(event) == (["r"] if expected else [])
        assert explain(pattern, event).matched is expected


def test_a_huge_negative_integer_in_a_dict_matches_its_text() -> None:
    assert compile_pattern(at_a(f"[-{HUGE_TEXT}]")).matches({"a": -HUGE})
    (condition,) = explain({"a": [-HUGE]}, {"a": -HUGE}).alternatives[0].conditions
    assert condition.values == ("-" + HUGE_TEXT,)


@pytest.mark.parametrize("operand", [f'[">", {HUGE_TEXT}]', f'["=", {HUGE_TEXT}]'])
def test_a_huge_integer_is_no_numeric_operand(operand: str) -> None:
    with pytest.raises(InvalidPatternError, match="Cannot compare number"):
        compile_pattern(at_a(f'[{{"numeric": {operand}}}]'))
    with pytest.raises(InvalidPatternError, match="Cannot compare number"):
        compile_pattern({"a": [{"numeric": [">", HUGE]}]})
    with pytest.raises(InvalidFilterPolicyError, match="Cannot compare number"):
        compile_filter_policy(at_a(f'[{{"numeric": {operand}}}]'))


@pytest.mark.parametrize("policy", [at_a(f"[{HUGE_TEXT}]"), {"a": [HUGE]}], ids=["text", "dict"])
def test_a_policy_with_a_huge_integer_matches_it_in_every_attribute_kind(policy: Any) -> None:
    compiled = compile_filter_policy(policy)
    assert compiled.matches({"a": {"Type": "Number", "Value": HUGE_TEXT}})
    assert compiled.matches({"a": {"Type": "String.Array", "Value": f"[{HUGE_TEXT}]"}})
    assert not compiled.matches({"a": {"Type": "String", "Value": HUGE_TEXT}})
    body = compile_filter_policy(policy, "MessageBody")
    assert body.matches(None, at_a(HUGE_TEXT))
    assert body.matches(None, {"a": HUGE})


def test_a_string_holding_a_long_digit_run_after_a_colon_is_only_a_string() -> None:
    # The lossy-number scan read ":<5000 digits>" inside the string as an integer token.
    event = '{"a" : "x:' + "1" * 5000 + '"}'
    assert compile_pattern({"a": [{"prefix": "x:1"}]}).matches(event)


HUGE_OCTET = "1" * 5000 + "0.0.0.1"  # found by test_fuzz.py


@pytest.mark.parametrize(
    ("pattern", "event"),
    [
        ({"a": [HUGE_OCTET]}, {"a": "x"}),
        ({"a": [{"cidr": "10.0.0.0/8"}]}, {"a": HUGE_OCTET}),
        ({"a": [{"cidr": "10.0.0.0/" + "1" * 5000}]}, {"a": "x"}),
    ],
    ids=["in a pattern", "in an event", "as a cidr mask"],
)
def test_an_ip_shaped_string_with_a_huge_number_is_no_address(pattern: Any, event: Any) -> None:
    with contextlib.suppress(InvalidPatternError):  # what a huge mask should give
        assert not compile_pattern(pattern).matches(event)


def test_string_array_numbers_are_read_as_the_number_model_reads_them() -> None:
    for literal in ("1e400", "0.10000000000000001", "12345678901234567890"):
        policy = compile_filter_policy(at_a(f"[{literal}]"))
        assert policy.matches({"a": {"Type": "String.Array", "Value": f"[{literal}]"}})
        assert policy.matches({"a": {"Type": "Number", "Value": literal}})
    assert not compile_filter_policy('{"a": [0.1]}').matches(
        {"a": {"Type": "String.Array", "Value": "[0.10000000000000001]"}}
    )


# -- 3. SNS String.Array values -------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1000, 1023, 1025, 100_000])
def test_a_deeply_nested_string_array_value_is_an_attribute_with_no_value(depth: int) -> None:
    attribute = {"a": {"Type": "String.Array", "Value": '["x",' + "[" * depth + "]" * depth + "]"}}
    readable = depth < MAX_DEPTH  # inside the value's own array
    assert compile_filter_policy('{"a": ["x"]}').matches(attribute) is readable
    assert compile_filter_policy('{"a": [{"exists": true}]}').matches(attribute)
    machine = Machine()
    machine.add_filter_policy("p", '{"a": ["x"]}')
    assert machine.match_message(attribute) == (["p"] if readable else [])


# -- 4. lone surrogates ---------------------------------------------------------------------------

LONE = "\ud800"
POLICY_FORMS = {
    "escaped text": '{"a": ["\\ud800"]}',
    "text": '{"a": ["\ud800"]}',
    "bytes": b'{"a": ["\\ud800"]}',
    "dict": {"a": [LONE]},
}


@pytest.mark.parametrize("form", POLICY_FORMS, ids=list(POLICY_FORMS))
def test_a_lone_surrogate_compiles_alike_in_both_front_ends(form: str) -> None:
    policy = POLICY_FORMS[form]
    compiled = compile_filter_policy(policy)
    assert compiled.rule == compile_filter_policy(POLICY_FORMS["dict"]).rule
    assert compile_pattern(policy).rule == compile_pattern(POLICY_FORMS["dict"]).rule
    machine = Machine()
    machine.add_filter_policy("p", policy)
    machine.add_rule("r", policy)
    assert machine.match_message({"a": {"Type": "String", "Value": LONE}}) == ["p"]
    assert compiled.matches({"a": {"Type": "String.Array", "Value": '["\\ud800"]'}})


EVENT_FORMS = {
    "escaped text": '{"a": "\\ud800"}',
    "text": '{"a": "\ud800"}',
    "bytes": b'{"a": "\\ud800"}',
    "dict": {"a": LONE},
}


@pytest.mark.parametrize("form", EVENT_FORMS, ids=list(EVENT_FORMS))
def test_an_event_with_a_lone_surrogate_matches_alike_everywhere(form: str) -> None:
    event = EVENT_FORMS[form]
    for pattern in ({"a": [LONE]}, {"a": [{"prefix": LONE}]}, {"a": [{"wildcard": LONE + "*"}]}):
        assert compile_pattern(pattern).matches(event)
        assert plain_machine(pattern).match(event) == ["r"]
        assert general_reader_machine(pattern).match(event) == ["r"]
        assert compile_filter_policy(pattern, "MessageBody").matches(None, event)
    assert not compile_pattern({"a": ["\udc00"]}).matches(event)


def test_an_explanation_with_lone_surrogates_can_be_printed() -> None:
    report = str(explain({LONE: [LONE, {"prefix": "\udc00"}]}, {LONE: "x"}))
    report.encode("utf-8")
    assert '"\\ud800"' in report and "\\ud800" in report.splitlines()[1]


@pytest.mark.parametrize("blank", ["", " ", " \t\n\r\x0b\x0c"])
def test_a_blank_policy_text_still_means_no_filtering(blank: str) -> None:
    assert compile_filter_policy(blank).matches({})
    assert compile_filter_policy(blank.encode()).matches({})


def test_other_whitespace_is_no_blank_policy() -> None:
    with pytest.raises(InvalidFilterPolicyError, match="failed to parse JSON"):
        compile_filter_policy("\u00a0")
