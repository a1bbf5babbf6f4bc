"""Hostile and real-world input to the command line (issue 9): YAML bombs, large rule files, and the
small faults users hit (a missing file, the packaging of PyYAML, a private class in reprs)."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import eventmatch
from eventmatch.cli.located import DocumentSyntaxError, LocatedDict, _Reader, _Unread, load_json
from eventmatch.cli.rulefiles import ReadOptions, load_rules
from eventmatch.cli.yamlload import MIN_NODE_BUDGET, AliasExpansionError, load_yaml

from .profiles import examples

ROOT = Path(__file__).resolve().parents[1]
BOMB_SECONDS = 30  # without the node budget, the bomb runs for many minutes


def laughs(levels: int = 9, width: int = 9) -> str:
    """A "billion laughs" document: ``levels`` lists, each of ``width`` aliases of the one before."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * width)}]"]
    lines += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * width)}]" for level in range(1, levels)]
    return "\n".join(lines) + "\n"


def merge_laughs(levels: int = 9, width: int = 9) -> str:
    """The same with merge keys: each mapping merges ``width`` aliases of the one before."""
    lines = ["m0: &m0 {" + ", ".join(f"k{index}: [lol]" for index in range(width)) + "}"]
    for level in range(1, levels):
        lines.append(f"m{level}: &m{level}\n  <<: [{', '.join([f'*m{level - 1}'] * width)}]")
        lines.append(f"  own{level}: [{', '.join([f'*m{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command line in a subprocess that must finish within BOMB_SECONDS."""
    command = [sys.executable, "-m", "eventmatch", *map(str, args)]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=BOMB_SECONDS, stdin=subprocess.DEVNULL
    )


# --- YAML bombs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [laughs(), merge_laughs()], ids=["aliases", "merge-keys"])
@pytest.mark.parametrize("command", ["validate", "match"])
def test_a_yaml_bomb_is_refused_at_once(tmp_path: Path, text: str, command: str) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(text)
    args: list[str | Path] = ["validate", path] if command == "validate" else ["match", "--rules", path]
    started = time.monotonic()
    result = run(*args)
    assert time.monotonic() - started < BOMB_SECONDS
    assert result.returncode == 2
    assert result.stderr.startswith(f"eventmatch: cannot read {path}: its YAML aliases expand its ")
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_the_bomb_check_takes_time_in_proportion_to_the_text() -> None:
    started = time.perf_counter()
    with pytest.raises(AliasExpansionError):
        load_yaml(laughs(levels=30, width=30))  # 30**30 values
    assert time.perf_counter() - started < 1


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    with pytest.raises(AliasExpansionError, match="refers to a node that holds it"):
        load_yaml("a: &a [1, *a]\n")
    path = tmp_path / "loop.yaml"
    path.write_text("Resources: &r {R: {Type: AWS::Events::Rule, Properties: {EventPattern: *r}}}\n")
    result = run("validate", path)
    assert result.returncode == 2
    assert result.stderr == f"eventmatch: cannot read {path}: a YAML alias refers to a node that holds it\n"


def test_a_character_yaml_refuses_is_still_a_syntax_error() -> None:
    with pytest.raises(DocumentSyntaxError, match="unacceptable character #x0001"):
        load_yaml("a: \x01\n")  # PyYAML's reader refuses it before the document is composed


def test_aliases_up_to_the_budget_are_read() -> None:
    width = 300  # 300 aliases of 300 values: 90,000, under the budget of 100,000
    assert width * width < MIN_NODE_BUDGET
    document = load_yaml(f"a: &a [{', '.join(['x'] * width)}]\nb: [{', '.join(['*a'] * width)}]\n")
    assert len(document["b"]) == width and document["b"][0] is document["a"]
    with pytest.raises(AliasExpansionError, match="to more than 100,000"):
        load_yaml(f"a: &a [{', '.join(['x'] * 400)}]\nb: [{', '.join(['*a'] * 400)}]\n")


def test_ordinary_anchors_and_aliases_still_work(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n"
        "  First:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties:\n"
        "      EventPattern: &ec2 {source: [aws.ec2], detail: {state: [stopped]}}\n"
        "  Second:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties: &props\n"
        "      EventPattern: *ec2\n"
        "  Third:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties:\n"
        "      <<: *props\n"
        "      Description: merged\n"
    )
    result = run("validate", "--format", "json", path)
    assert result.returncode == 0, result.stderr
    rules = json.loads(result.stdout)["rules"]
    assert [(rule["name"], rule["line"], rule["status"]) for rule in rules] == [
        ("First", 5, "valid"),
        ("Second", 9, "valid"),
        ("Third", 9, "valid"),  # the merged EventPattern is the one written in Second
    ]


# --- Large rule files: members read when first used ----------------------------------------------------


def _same_positions(read: Any, expected: Any) -> None:
    """``read`` (from load_json) holds what ``expected`` (from the parser alone) holds, each member at
    the same place."""
    assert read == expected
    if isinstance(expected, LocatedDict):
        assert isinstance(read, LocatedDict)
        assert [(key, where) for key, _, where in read.entries] == [
            (key, where) for key, _, where in expected.entries
        ]
        for (_, value, _), (_, wanted, _) in zip(read.entries, expected.entries, strict=True):
            _same_positions(value, wanted)
    elif isinstance(expected, list):
        for value, wanted in zip(read, expected, strict=True):
            _same_positions(value, wanted)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=15,
)


@settings(max_examples=examples(1000))
@given(
    members=st.lists(st.tuples(st.text(max_size=3), json_values), max_size=5),
    indent=st.sampled_from([None, 2]),
)
def test_members_read_later_are_where_the_parser_puts_them(
    members: list[tuple[str, Any]], indent: int | None
) -> None:
    separator = ",\n " if indent else ", "
    text = (
        "{"
        + separator.join(f"{json.dumps(key)}: {json.dumps(value, indent=indent)}" for key, value in members)
        + "}"
    )
    expected, _ = _Reader(text).value(0)
    _same_positions(load_json(text), expected)  # repeated keys too: members are listed, not a dict


def test_an_object_member_is_read_when_first_used() -> None:
    text = '{"a": {"b": {"c": [1, 2.50]}}, "s": "x"}'
    document = load_json(text)
    member = document["a"]
    assert type(member) is _Unread and dict.__len__(member) == 0  # only its text has been checked
    assert member["b"] == {"c": [1, 2.5]}
    assert text[slice(*member.position("b").span)] == '{"c": [1, 2.50]}'  # type: ignore[misc]
    assert document.position("a").span == (6, 29)


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ('{"a": {"b": NaN}}', "Expecting value", 1, 13),
        ('{"a": {}, "b": {"c": [1 2]}}', "Expecting ',' delimiter", 1, 25),
        ('{"a": {"b": 1}\n "c": 2}', "Expecting ',' delimiter", 2, 2),
        ('{"a": {"b": "\\x"}}', "Invalid \\escape", 1, 14),
        ('{"\\x": {}}', "Invalid \\escape", 1, 3),
        ('{"a": {}, }', "Expecting property name enclosed in double quotes", 1, 11),
        ('{"a": ' + "[" * 1000 + "]" * 1000 + "}", "JSON is nested too deeply", 1, 1),
        ('{"a": {"b": ' + "[" * 600 + "]" * 600 + "}}", "JSON is nested too deeply", 1, 1),  # C reads it
    ],
)
def test_a_fault_inside_a_member_is_reported_where_it_is(
    text: str, message: str, line: int, column: int
) -> None:
    with pytest.raises(json.JSONDecodeError) as info:
        load_json(text)
    assert (info.value.msg, info.value.lineno, info.value.colno) == (message, line, column)


def test_a_member_read_later_pickles_and_copies_as_what_it_reads_as() -> None:
    text = '{"a": {"b": [1, {"c": 2}]}}'
    for copied in (pickle.loads(pickle.dumps(load_json(text))), copy.deepcopy(load_json(text))):
        _same_positions(copied, _Reader(text).value(0)[0])
        assert type(copied["a"]) is LocatedDict


def test_a_member_with_many_brackets_is_read_at_once() -> None:
    text = '{"a": {"b": [' + ", ".join(["[]"] * 300) + "]}}"
    assert type(load_json(text)["a"]) is LocatedDict  # deep ones must not recurse later, elsewhere


def test_a_large_rules_file_keeps_its_lines_and_texts(tmp_path: Path) -> None:
    rules = {
        f"rule-{index}": {"source": [f"s{index}"], "detail": {"n": [{"numeric": [">", index]}]}}
        for index in range(3000)
    }
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules, indent=1))
    entries = load_rules(str(path), ReadOptions()).entries
    lines = path.read_text().splitlines()
    assert len(entries) == 3000
    for entry in entries[::997]:
        assert lines[entry.where.line - 1].startswith(f' "{entry.name}": {{')
        assert json.loads(str(entry.body)) == rules[entry.name]


# --- Small things users hit ----------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["text", "json"])
def test_a_missing_path_prints_only_the_error(tmp_path: Path, form: str) -> None:
    missing = tmp_path / "missing.json"
    result = run("validate", "--format", form, missing)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"eventmatch: cannot read {missing}: No such file or directory\n"


def test_pyyaml_comes_with_eventmatch() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(requirement.startswith("PyYAML") for requirement in project["dependencies"])
    assert "yaml" not in project["optional-dependencies"]
    assert not any(line.startswith("PyYAML") for line in project["optional-dependencies"]["test"])
    assert "types-PyYAML" in project["optional-dependencies"]["test"]


def test_no_private_error_class_shows_in_reprs() -> None:
    with pytest.raises(eventmatch.InvalidPatternError) as info:
        eventmatch.compile_pattern('{"a": [{"anything-but": {"prefix": []}}]}')
    assert repr(info.value) == "InvalidPatternError('a[0].anything-but: Empty arrays are not allowed')"


def test_validate_reports_each_file_in_turn(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_text('{"a": {"source": ["x"]}, "b": {"source": [1]}}')
    bad.write_text('{"c": {"source": "x"}}')
    result = run("validate", good, tmp_path / "missing.json", bad)
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        f"{good}:1:7: a: valid: wildcard complexity 0, 1 $or combination, 16 characters",
        f"{good}:1:31: b: valid: wildcard complexity 0, 1 $or combination, 14 characters",
        f'{bad}:1:7: c: source: "source" must be an object or an array',
        "3 patterns in 2 files: 2 valid, 1 invalid, 0 not checked; 1 error, 0 warnings",
    ]
    assert (
        result.stderr == f"eventmatch: cannot read {tmp_path / 'missing.json'}: No such file or directory\n"
    )
