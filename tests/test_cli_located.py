"""The CLI's readers: located JSON, the CloudFormation YAML loader, templates and rule files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eventmatch.cli.entries import Kind
from eventmatch.cli.located import LocatedDict, Position, load_json
from eventmatch.cli.rulefiles import Layout, ReadOptions, load_rules
from eventmatch.cli.templates import find_intrinsic, is_template
from eventmatch.cli.yamlload import load_yaml

from .profiles import examples

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=examples(500))
@given(value=json_values, indent=st.sampled_from([None, 0, 2]))
def test_load_json_reads_what_json_writes(value: Any, indent: int | None) -> None:
    assert load_json(json.dumps(value, indent=indent)) == value


def test_positions_and_spans() -> None:
    text = '{\n  "a": [1, {"b": "x"}],\n  "c": 2.50,\n  "a": null\n}'
    document = load_json(text)
    assert isinstance(document, LocatedDict)
    assert [(key, position.line, position.column) for key, _, position in document.entries] == [
        ("a", 2, 8),
        ("c", 3, 8),
        ("a", 4, 8),
    ]
    assert document == {"a": None, "c": 2.5}  # a repeated key: the last one wins
    assert document.position("a") == Position(4, 8, (text.index("null"), text.index("null") + 4))
    assert text[slice(*document.entries[0][2].span)] == '[1, {"b": "x"}]'  # type: ignore[misc]
    assert text[slice(*document.position("c").span)] == "2.50"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("", "Expecting value", 1, 1),
        ('{"a": 1,}', "Expecting property name enclosed in double quotes", 1, 9),
        ('{"a" 1}', "Expecting ':' delimiter", 1, 6),
        ("[1 2]", "Expecting ',' delimiter", 1, 4),
        ('{"a": NaN}', "Expecting value", 1, 7),
        ('{"a": "\\x"}', "Invalid \\escape", 1, 8),
        ("{}\n{}", "Extra data", 2, 1),
        ('{"a": "', "Unterminated string or invalid character in string", 1, 7),
        # after an object member of the document's own object (checked, not read, by the outline):
        ('{"a": {"x": [1]},}', "Expecting property name enclosed in double quotes", 1, 18),
        ('{"a": {"x": [1]} "b": {}}', "Expecting ',' delimiter", 1, 18),
        ('{"a": {"x": [1]}, b: 2}', "Expecting property name enclosed in double quotes", 1, 19),
        ('{"a": {"x": [1]}', "Expecting ',' delimiter", 1, 17),
        ('{\n "a": {"x": [1]},\n "b": {"y": [NaN]}}', "Expecting value", 3, 14),
    ],
)
def test_load_json_errors(text: str, message: str, line: int, column: int) -> None:
    with pytest.raises(json.JSONDecodeError) as info:
        load_json(text)
    assert (info.value.msg, info.value.lineno, info.value.colno) == (message, line, column)


def test_yaml_short_tags_become_long_forms() -> None:
    document = load_yaml(
        "a: !Ref Bucket\n"
        "b: !GetAtt Fn.Arn\n"
        "c: !Sub ['${x}', {x: 1}]\n"
        "d: !If [cond, !Ref A, !Ref AWS::NoValue]\n"
        "e: !Condition IsProd\n"
        "f: !Anything {k: v}\n"
    )
    assert document == {
        "a": {"Ref": "Bucket"},
        "b": {"Fn::GetAtt": "Fn.Arn"},
        "c": {"Fn::Sub": ["${x}", {"x": 1}]},
        "d": {"Fn::If": ["cond", {"Ref": "A"}, {"Ref": "AWS::NoValue"}]},
        "e": {"Condition": "IsProd"},
        "f": {"Fn::Anything": {"k": "v"}},
    }


def test_yaml_positions_keys_and_dates() -> None:
    document = load_yaml("base: &base {x: [1]}\nmerged:\n  <<: *base\n  on: 2024-01-01\n  list: [a, b]\n")
    assert document == {"base": {"x": [1]}, "merged": {"x": [1], "on": "2024-01-01", "list": ["a", "b"]}}
    assert document.position("merged") == Position(2, 1)
    assert document["merged"].position("on") == Position(4, 3)


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ({"source": ["a"]}, None),
        ({"Ref": "X"}, ""),
        ({"detail": {"account": ["1", {"Ref": "AWS::AccountId"}]}}, "detail.account[1]"),
        ({"a": [{"Fn::Sub": "x"}]}, "a[0]"),
        ({"Ref": ["x"]}, None),  # a field named Ref: Ref takes a string
    ],
)
def test_find_intrinsic(value: Any, path: str | None) -> None:
    assert find_intrinsic(value) == path


def test_is_template() -> None:
    assert is_template({"Resources": {"R": {"Type": "AWS::Events::Rule"}}})
    assert is_template({"AWSTemplateFormatVersion": "2010-09-09"})
    assert not is_template({"Resources": {"R": {"Type": ["AWS::Events::Rule"]}}})  # a pattern
    assert not is_template({"source": ["a"]})


def test_rule_file_bodies_are_the_exact_text(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text('{"big": {"n": [1e400, 5.0]}, "also": {"n": [{"numeric": ["=", 5]}]}}')
    loaded = load_rules(str(path), ReadOptions())
    assert [(entry.name, entry.body) for entry in loaded.entries] == [
        ("big", '{"n": [1e400, 5.0]}'),
        ("also", '{"n": [{"numeric": ["=", 5]}]}'),
    ]
    forced = load_rules(str(path), ReadOptions(layout=Layout.PATTERN, kind=Kind.SNS, scope="MessageBody"))
    (entry,) = forced.entries
    assert (entry.name, entry.kind, entry.scope, entry.where.line) == ("rules", Kind.SNS, "MessageBody", 1)
