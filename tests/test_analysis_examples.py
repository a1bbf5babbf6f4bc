"""Example events, near misses and example messages for chosen patterns of every operator."""

from __future__ import annotations

import json
from typing import Any

import pytest

import eventmatch
from eventmatch.analysis import json_text
from eventmatch.errors import EventmatchError
from eventmatch.number_model import NumberLiteral

# (pattern, the example a reader would write): the examples are meant to read well, not only to match.
READABLE = [
    ({"source": ["aws.ec2"]}, {"source": "aws.ec2"}),
    ({"n": [5, "x"]}, {"n": 5}),
    ({"b": [True], "z": [None]}, {"b": True, "z": None}),
    ({"k": [{"exactly": "10.0.0.1"}]}, {"k": "10.0.0.1"}),
    ({"k": [{"prefix": "images/"}]}, {"k": "images/"}),
    ({"k": [{"suffix": ".png"}]}, {"k": ".png"}),
    ({"k": [{"equals-ignore-case": "Straße"}]}, {"k": "Straße"}),
    ({"k": [{"prefix": {"equals-ignore-case": "EvEnT"}}]}, {"k": "EvEnT"}),
    ({"k": [{"suffix": {"equals-ignore-case": ".PNG"}}]}, {"k": ".PNG"}),
    ({"k": [{"wildcard": "arn:*:event-bus/*"}]}, {"k": "arn:x:event-bus/x"}),
    ({"k": [{"anything-but": ["dev", "sandbox"]}]}, {"k": "example"}),
    ({"k": [{"anything-but": {"prefix": "ex"}}]}, {"k": 0}),
    ({"k": [{"numeric": [">=", 1000]}]}, {"k": 1000}),
    ({"k": [{"numeric": [">", 0, "<=", 0.5]}]}, {"k": 0.1}),
    ({"k": [{"numeric": ["<", -0.5]}]}, {"k": -1}),
    ({"k": [{"cidr": "10.20.0.0/16"}]}, {"k": "10.20.0.1"}),
    ({"k": ["2001:db8::1"]}, {"k": "2001:db8::1"}),
    ({"k": [{"exists": True}]}, {"k": "example"}),
    ({"k": [{"exists": False}], "j": ["x"]}, {"j": "x"}),
    (
        {"detail": {"state": ["stopped"], "size": [{"numeric": [">", 0]}]}},
        {"detail": {"size": 1, "state": "stopped"}},
    ),
]


@pytest.mark.parametrize(("pattern", "example"), READABLE)
def test_each_operator_has_a_readable_example(pattern: dict[str, Any], example: dict[str, Any]) -> None:
    assert eventmatch.example_event(pattern) == example
    assert eventmatch.matches(pattern, example)


def test_an_or_has_an_example_per_alternative() -> None:
    pattern = {"source": ["shop"], "$or": [{"a": [1]}, {"b": [{"prefix": "x"}]}, {"c": [{"exists": False}]}]}
    examples = eventmatch.example_events(pattern)
    assert examples == [{"a": 1, "source": "shop"}, {"b": "x", "source": "shop"}, {"source": "shop"}]
    assert all(eventmatch.matches(pattern, example) for example in examples)


@pytest.mark.parametrize(
    "pattern",
    [
        {"a": [1], "a.b": [2], "a.b.c": [3]},  # a leaf where deeper paths would nest
        {"a.": [1]},  # a trailing empty key, which event-ruler reads only where a rule has an empty step
        {"": [1], "a": {"": {"b": [2]}}},
        {"d": {"x": ["1"], "z": [{"exists": False}]}, "d.z.w": ["2"]},
    ],
)
def test_odd_paths_still_match(pattern: dict[str, Any]) -> None:
    example = eventmatch.example_event(pattern)
    assert eventmatch.matches(pattern, example)
    assert eventmatch.matches(pattern, json_text(example))


def test_a_number_only_its_text_stands_for_stays_that_text() -> None:
    pattern = '{"big": [1e400], "long": [12345678901234567890], "fine": [0.10000000000000001]}'
    example = eventmatch.example_event(pattern)
    assert example["big"] == NumberLiteral("1e400")
    assert example["long"] == 12345678901234567890
    text = json_text(example)
    assert '"big": 1e400' in text and '"fine": 0.10000000000000001' in text
    assert eventmatch.matches(pattern, text)


def test_a_double_python_and_java_spell_apart_is_written_as_java_reads_it() -> None:
    pattern = {"tiny": [{"numeric": [">", 0, "<", 1e-300]}]}
    event = {"tiny": 5e-324}
    assert json_text(event) == '{"tiny": 4.9e-324}'
    assert eventmatch.matches(pattern, json_text(event))


def test_a_pattern_nothing_matches_is_a_clear_error_naming_the_condition() -> None:
    pattern = {"detail": {"n": [{"numeric": [">", 1, "<", 1.0000000000000002]}]}, "source": ["x"]}
    with pytest.raises(eventmatch.UnsatisfiablePatternError) as caught:
        eventmatch.example_event(pattern)
    error = caught.value
    assert isinstance(error, EventmatchError)
    assert (error.path, error.condition) == ("detail.n", "numeric > 1, < 1.0000000000000002")
    assert (
        str(error)
        == "no event can match this pattern: detail.n: no value passes numeric > 1, < 1.0000000000000002"
    )
    with pytest.raises(eventmatch.UnsatisfiablePatternError):
        eventmatch.near_misses(pattern)


def test_an_or_of_dead_alternatives_names_each() -> None:
    dead = [{"numeric": [">", 2, "<", 2.0000000000000004]}]
    with pytest.raises(eventmatch.UnsatisfiablePatternError) as caught:
        eventmatch.example_event({"$or": [{"a": dead}, {"b": dead}]})
    assert [path for path, _ in caught.value.dead] == ["a", "b"]
    assert "none of its 2 $or alternatives can match" in str(caught.value)


def test_near_misses_fail_one_condition_each_with_the_reason() -> None:
    pattern = {
        "source": ["aws.ec2"],
        "detail": {"size": [{"numeric": [">=", 1000]}], "tag": [{"exists": False}]},
    }
    misses = {miss.path: miss for miss in eventmatch.near_misses(pattern)}
    assert set(misses) == {"source", "detail.size", "detail.tag"}
    assert misses["detail.size"].event == {"source": "aws.ec2", "detail": {"size": 999}}
    assert misses["detail.size"].reason == "999 passes none of the tests"
    assert misses["detail.size"].condition == "numeric >= 1000"
    assert misses["detail.tag"].reason == '"example" is there, where exists false wants no value'
    assert misses["source"].event["source"] == "AWS.EC2"
    for miss in misses.values():
        assert not eventmatch.matches(pattern, miss.event)


def test_a_condition_no_event_fails_has_no_near_miss() -> None:
    pattern = {"a": [{"exists": True}, {"exists": False}], "b": ["x"]}
    assert [miss.path for miss in eventmatch.near_misses(pattern)] == ["b"]


def test_a_near_miss_also_fails_the_other_alternatives() -> None:
    pattern = {"$or": [{"a": [1]}, {"b": [{"exists": False}]}]}
    for miss in eventmatch.near_misses(pattern):
        assert not eventmatch.matches(pattern, miss.event)
    assert {miss.alternative for miss in eventmatch.near_misses(pattern)} == {0, 1}


# -- SNS ---------------------------------------------------------------------------------------------------


def test_example_messages_carry_typed_attributes() -> None:
    policy = {"price": [{"numeric": [">=", 500]}], "flag": [True], "region": [{"prefix": "eu-"}]}
    message = eventmatch.example_message(policy)
    assert message.attributes == {
        "flag": {"Type": "String.Array", "Value": "[true]"},
        "price": {"Type": "Number", "Value": "500"},
        "region": {"Type": "String", "Value": "eu-"},
    }
    assert eventmatch.compile_filter_policy(policy).matches(message.attributes, message.body)


def test_attribute_strings_are_given_unescaped_or_as_an_array() -> None:
    # SNS compares a String attribute in its JSON-escaped form: 'a\\"b' is what 'a"b' escapes to; no
    # String attribute escapes to 'a"b', but a String.Array element is compared as it is.
    for text, attribute in (('a\\"b', {"Type": "String", "Value": 'a"b'}), ('a"b', None)):
        policy = {"k": [text]}
        message = eventmatch.example_message(policy)
        if attribute is not None:
            assert message.attributes == {"k": attribute}
        else:
            assert message.attributes == {"k": {"Type": "String.Array", "Value": json.dumps([text])}}
        assert eventmatch.compile_filter_policy(policy).matches(message.attributes, message.body)


def test_an_absence_only_policy_gets_a_message_with_some_attribute() -> None:
    policy = {"example": [{"exists": False}]}
    message = eventmatch.example_message(policy)
    assert message.attributes is not None and "example" not in message.attributes
    assert eventmatch.compile_filter_policy(policy).matches(message.attributes, message.body)
    places = {miss.path: miss.event for miss in eventmatch.near_miss_messages(policy)}
    assert places["(any attribute)"].attributes is None  # SNS: no attributes, no match for exists false


def test_payload_policies_get_json_bodies() -> None:
    policy = {"order": {"status": ["shipped"], "kg": [{"numeric": [">", 0, "<=", 30]}]}}
    message = eventmatch.example_message(policy, "MessageBody")
    assert json.loads(message.body or "") == {"order": {"kg": 1, "status": "shipped"}}
    assert message.as_json() == {"body": message.body}
    misses = eventmatch.near_miss_messages(policy, "MessageBody")
    assert {miss.path for miss in misses} == {"order.status", "order.kg"}
    compiled = eventmatch.compile_filter_policy(policy, "MessageBody")
    assert not any(compiled.matches(miss.event.attributes, miss.event.body) for miss in misses)
