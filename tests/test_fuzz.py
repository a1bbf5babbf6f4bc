"""Fuzzing every entry point with hostile input (issue 9).

Random bytes, random JSON, and valid patterns, events and policies mutated, with deep
nesting, huge numbers and lone surrogates mixed in, go through both front ends, the Machine,
``explain`` and the CLI. Only eventmatch's own errors (:class:`EventmatchError`) may come out,
and the CLI must answer with an exit status of 0, 1 or 2 and no traceback. Where an answer
can be checked without knowing it, it is: an event matches the same as a dict and as JSON
text, and every entry point agrees with :meth:`Pattern.matches`.

The default profile keeps this file fast; ``HYPOTHESIS_PROFILE=thorough`` runs many more
examples. Shrunk failures become tests in ``test_hostile_input.py``.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventmatch import (
    EventmatchError,
    FilterPolicy,
    InvalidEventError,
    Machine,
    Pattern,
    compile_filter_policy,
    compile_pattern,
    explain,
)
from eventmatch.cli import main
from eventmatch.events import MAX_DEPTH
from eventmatch.sns import SCOPES

from .profiles import examples
from .strategies import events_for, filter_policies, patterns


def fuzz(count: int) -> Callable[[Any], Any]:
    """Settings for one fuzz test: ``count`` examples by the profile's scale (see ``profiles.py``)."""
    return settings(
        max_examples=examples(count),
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,  # capsys: read out after every example
        ],
    )


def calm(call: Callable[..., Any], *args: Any) -> Any:
    """``call(*args)``, or the EventmatchError it raised; any other exception fails the test."""
    try:
        return call(*args)
    except EventmatchError as error:
        return error


# -- strategies -----------------------------------------------------------------------------------

LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
KEYS = ["a", "b", "", "a.b", "$or", "\ud800", "prefix", "numeric", "exists", "anything-but", "wildcard"]
OPERATORS = [
    "prefix",
    "suffix",
    "equals-ignore-case",
    "wildcard",
    "anything-but",
    "numeric",
    "exists",
    "cidr",
    "exactly",
    "$or",
]

characters = st.one_of(
    st.characters(),
    st.characters(categories=["Cs"]),  # lone surrogates: hypothesis leaves them out by default
    st.sampled_from('"\\{}[]:,.*'),
)
strings = st.one_of(
    st.text(characters, max_size=8),
    st.sampled_from(["x", "10.0.0.1", "::1", ">", "<=", "=", "*", *OPERATORS, *LONE_SURROGATES]),
)


@st.composite
def huge_integers(draw: st.DrawFn) -> tuple[int, str]:
    """An integer of 15 to 5,000 digits and its text, written without ``str`` (which refuses
    more than 4,300 digits)."""
    digits = draw(st.sampled_from([15, 16, 17, 19, 20, 21, 300, 309, 310, 400, 4300, 4301, 5000]))
    low = draw(st.integers(0, 999))
    sign = draw(st.sampled_from(["", "-"]))
    text = sign + "1" + str(low).zfill(digits - 1)
    return int(sign + "1") * (10 ** (digits - 1) + low), text


# A JSON value as Python data and as JSON text (non-ASCII escaped, and as it is), built
# together: ``json.dumps`` refuses huge integers and recurses once per level.
Pair: TypeAlias = tuple[Any, str, str]


def _string_pair(text: str) -> Pair:
    return text, json.dumps(text), json.dumps(text, ensure_ascii=False)


def _number_pair(value: int | float, text: str) -> Pair:
    return value, text, text


def _list_pair(items: list[Pair]) -> Pair:
    return (
        [value for value, _, _ in items],
        "[" + ",".join(escaped for _, escaped, _ in items) + "]",
        "[" + ",".join(raw for _, _, raw in items) + "]",
    )


def _object_pair(items: dict[str, Pair]) -> Pair:
    keys = {key: _string_pair(key) for key in items}
    return (
        {key: value for key, (value, _, _) in items.items()},
        "{" + ",".join(keys[key][1] + ":" + escaped for key, (_, escaped, _) in items.items()) + "}",
        "{" + ",".join(keys[key][2] + ":" + raw for key, (_, _, raw) in items.items()) + "}",
    )


scalar_pairs: st.SearchStrategy[Pair] = st.one_of(
    st.sampled_from([(None, "null", "null"), (True, "true", "true"), (False, "false", "false")]),
    st.integers(-(2**70), 2**70).map(lambda n: _number_pair(n, str(n))),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: _number_pair(f, repr(f))),
    huge_integers().map(lambda pair: _number_pair(*pair)),
    strings.map(_string_pair),
)
value_pairs: st.SearchStrategy[Pair] = st.recursive(
    scalar_pairs,
    lambda children: st.one_of(
        st.lists(children, max_size=4).map(_list_pair),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=3).map(_object_pair),
    ),
    max_leaves=12,
)

DEPTHS = [0, 0, 1, 2, 100, MAX_DEPTH - 3, MAX_DEPTH - 2, MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 3000]


@st.composite
def deepened(draw: st.DrawFn, inner: st.SearchStrategy[Pair]) -> Pair:
    """A pair inside many arrays or ``{"a": ...}`` objects (built without recursion)."""
    value, escaped, raw = draw(inner)
    depth = draw(st.sampled_from(DEPTHS))
    opening, closing = ("[", "]") if draw(st.booleans()) else ('{"a":', "}")
    for _ in range(depth):
        value = [value] if opening == "[" else {"a": value}
    return value, opening * depth + escaped + closing * depth, opening * depth + raw + closing * depth


event_pairs: st.SearchStrategy[Pair] = st.dictionaries(
    st.sampled_from(KEYS), st.one_of(value_pairs, deepened(value_pairs)), max_size=4
).map(_object_pair)


def forms(pair: Pair) -> list[Any]:
    """A pair's value as a dict and as JSON texts: escaped, as it is, and as bytes."""
    value, escaped, raw = pair
    return [value, escaped, raw, escaped.encode()]


# Mutations of valid JSON text: the edits a truncated, garbled or hostile copy would have.
_NOISE = ' {}[]":,-.0123456789eE\\/ux'
_SPLICES = ['"\\ud800"', '"\\udc00x"', "1" * 5000, "1e400", "-0", "[" * 1100, "]", "}", '"a":', "\ud800"]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few random edits."""
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["delete", "insert", "splice", "repeat"]))
        if edit == "delete":
            text = text[:position] + text[position + 1 :]
        elif edit == "insert":
            text = text[:position] + draw(st.sampled_from(_NOISE)) + text[position:]
        elif edit == "splice":
            text = text[:position] + draw(st.sampled_from(_SPLICES)) + text[position:]
        else:
            end = draw(st.integers(position, min(len(text), position + 20)))
            text = text[:end] + text[position:end] * draw(st.integers(2, 50)) + text[end:]
    return text


def _operator_objects(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.dictionaries(st.sampled_from(OPERATORS), children, min_size=1, max_size=2)


# Random pattern-shaped values: objects of keys holding arrays of values and match expressions.
pattern_values = st.recursive(
    scalar_pairs.map(lambda pair: pair[0]),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=3),
        _operator_objects(children),
    ),
    max_leaves=10,
)

# -- checks ---------------------------------------------------------------------------------------


def _match_answer(call: Callable[..., Any], *event: Any) -> Any:
    """``call(*event)``'s answer, or the InvalidEventError it raised (no other error is right)."""
    answer = calm(call, *event)
    if isinstance(answer, EventmatchError):
        assert isinstance(answer, InvalidEventError), answer
    return answer


def check_pattern_on_event(pattern: Pattern, pair: Pair) -> None:
    """Every entry point answers alike for each form of the event, or refuses it as nested too
    deeply; the texts all alike, the dict too unless a text is refused (text is read everywhere,
    a dict only along the paths the pattern reads)."""
    machine = Machine()
    machine.add_rule("p", pattern)
    outcomes: list[bool | str] = []
    for form in forms(pair):
        answer = _match_answer(pattern.matches, form)
        names = _match_answer(machine.match, form)
        explained = _match_answer(lambda event: explain(pattern, event).matched, form)
        if isinstance(answer, bool):
            assert names == (["p"] if answer else [])
            assert explained is answer
            assert machine.match_many([form, form]) == [names, names]
            outcomes.append(answer)
        else:
            assert "nested too deeply" in str(answer)
            assert isinstance(names, InvalidEventError) and isinstance(explained, InvalidEventError)
            outcomes.append("too deep")
    as_dict, *as_text = outcomes
    assert len(set(as_text)) == 1, as_text
    assert as_dict == as_text[0] or as_text[0] == "too deep", outcomes


def check_policy_source(source: Any) -> None:
    """A policy compiles alike in FilterPolicy and a Machine, in both scopes."""
    for scope in SCOPES:
        compiled = calm(compile_filter_policy, source, scope)
        machine = Machine()
        added = calm(machine.add_filter_policy, "p", source, scope)
        assert isinstance(compiled, FilterPolicy) == (added is None)
        if isinstance(compiled, EventmatchError):
            assert type(compiled) is type(added) and str(compiled) == str(added)


def check_pattern_source(source: Any) -> Pattern | None:
    """A pattern compiles alike alone and in a Machine; the compiled Pattern, if any."""
    compiled = calm(compile_pattern, source)
    added = calm(Machine().add_rule, "p", source)
    assert isinstance(compiled, Pattern) == (added is None)
    return compiled if isinstance(compiled, Pattern) else None


# -- library entry points -------------------------------------------------------------------------


@fuzz(150)
@given(st.binary(max_size=64))
def test_random_bytes(data: bytes) -> None:
    check_pattern_source(data)
    check_policy_source(data)
    pattern = compile_pattern({"a": [{"exists": True}]})
    calm(pattern.matches, data)
    calm(explain, pattern, data)
    calm(Machine().match, data)
    calm(compile_filter_policy({"a": [{"exists": True}]}, "MessageBody").matches, None, data)


@fuzz(150)
@given(pattern_values)
def test_random_json_as_patterns_and_policies(value: Any) -> None:
    check_policy_source(value)
    compiled = check_pattern_source(value)
    try:
        texts = [json.dumps(value), json.dumps(value, ensure_ascii=False)]
    except ValueError:  # an integer of more than 4,300 digits
        return
    for text in texts:
        again = check_pattern_source(text)
        assert (again is None) == (compiled is None)
        assert again is None or compiled is None or again.rule == compiled.rule
        check_policy_source(text)


@fuzz(120)
@given(patterns(), event_pairs)
def test_random_events_match_alike_as_dicts_and_as_text(pattern: dict[str, Any], event: Pair) -> None:
    check_pattern_on_event(compile_pattern(pattern), event)


@fuzz(120)
@given(st.data())
def test_mutated_patterns_and_events(data: st.DataObject) -> None:
    pattern = data.draw(patterns())
    source = data.draw(mutated(json.dumps(pattern)))
    compiled = check_pattern_source(source)
    check_policy_source(source)
    event = json.dumps(data.draw(events_for(pattern)))
    garbled = data.draw(mutated(event))
    for target in (compiled, compile_pattern(pattern)):
        if target is not None:
            for form in (garbled, garbled.encode("utf-8", "surrogatepass")):
                _match_answer(target.matches, form)
                _match_answer(lambda text, pattern=target: explain(pattern, text), form)
                _match_answer(Machine().match, form)


@fuzz(100)
@given(st.data())
def test_mutated_policies_and_messages(data: st.DataObject) -> None:
    scope = data.draw(st.sampled_from(SCOPES))
    policy = data.draw(filter_policies(scope))
    source = data.draw(mutated(json.dumps(policy)))
    check_policy_source(source)
    compiled = calm(compile_filter_policy, source, scope)
    body = data.draw(st.one_of(event_pairs.map(lambda pair: pair[2]), st.text(characters, max_size=20)))
    array = data.draw(st.one_of(value_pairs, deepened(value_pairs)))[2]
    attributes = {
        "a": {"Type": "String.Array", "Value": array},
        "b": {"Type": "Number", "Value": data.draw(st.sampled_from(["1", "1" * 5000, "1e400", "x"]))},
        "\ud800": {"Type": "String", "Value": data.draw(strings)},
    }
    machine = Machine()
    if isinstance(compiled, FilterPolicy):
        machine.add_filter_policy("p", source, scope)
        expected = _match_answer(compiled.matches, attributes, body)
        names = _match_answer(machine.match_message, attributes, body)
        if isinstance(expected, bool):
            assert names == (["p"] if expected else [])
        else:
            assert "nested too deeply" in str(expected) and isinstance(names, InvalidEventError)


@fuzz(60)
@given(st.sampled_from([1, 100, 511, 512, 513, 1000, 1025, 5000]), st.booleans())
def test_deeply_nested_patterns_and_policies(depth: int, dotted: bool) -> None:
    text = ('{"' + ".".join(["a"] * depth) + '":[1]}') if dotted else '{"a":' * depth + "[1]" + "}" * depth
    compiled = check_pattern_source(text)
    check_policy_source(text)
    if compiled is not None:
        event = '{"a":' * depth + "1" + "}" * depth
        assert _match_answer(compiled.matches, event) is True


@fuzz(60)
@given(huge_integers(), st.sampled_from(["[{}]", '[{{"numeric": [">", {}]}}]', '[{{"anything-but": {}}}]']))
def test_huge_numbers_in_patterns_and_events(number: tuple[int, str], shape: str) -> None:
    value, text = number
    source = '{"a": ' + shape.format(text) + "}"
    compiled = check_pattern_source(source)
    check_policy_source(source)
    if compiled is not None:
        event = '{"a": ' + text + "}"
        check_pattern_on_event(compiled, ({"a": value}, event, event))


# -- the CLI --------------------------------------------------------------------------------------


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> int:
    """``eventmatch argv`` in this process: its exit status, checked."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert status in (0, 1, 2), (argv, status)
    assert "Traceback" not in out + err
    return status


def cli_round(capsys: pytest.CaptureFixture[str], pattern: str, event: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        pattern_file, event_file = Path(directory, "pattern.json"), Path(directory, "events.jsonl")
        pattern_file.write_text(pattern, encoding="utf-8", errors="surrogatepass")
        event_file.write_text(event, encoding="utf-8", errors="surrogatepass")
        run_cli(capsys, "validate", str(pattern_file))
        run_cli(capsys, "validate", "--sns", "--scope", "MessageBody", str(pattern_file))
        run_cli(capsys, "match", "--rules", str(pattern_file), str(event_file))
        run_cli(capsys, "match", "--sns", "--rules", str(pattern_file), str(event_file))
        for output in ("text", "json"):
            run_cli(
                capsys,
                "explain",
                "--pattern",
                str(pattern_file),
                "--event",
                str(event_file),
                "--format",
                output,
            )


@fuzz(25)
@given(st.data())
def test_cli_on_mutated_patterns_and_events(capsys: pytest.CaptureFixture[str], data: st.DataObject) -> None:
    pattern = data.draw(patterns())
    pattern_text = data.draw(st.one_of(st.just(json.dumps(pattern)), mutated(json.dumps(pattern))))
    event_text = data.draw(
        st.one_of(
            events_for(pattern).map(json.dumps),
            event_pairs.map(lambda pair: pair[1]),
            event_pairs.map(lambda pair: pair[2]),
            mutated(json.dumps(data.draw(events_for(pattern)))),
        )
    )
    cli_round(capsys, pattern_text, event_text)


@fuzz(15)
@given(st.binary(max_size=40), st.binary(max_size=40))
def test_cli_on_random_bytes(capsys: pytest.CaptureFixture[str], pattern: bytes, event: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        pattern_file, event_file = Path(directory, "pattern.json"), Path(directory, "events.jsonl")
        pattern_file.write_bytes(pattern)
        event_file.write_bytes(event)
        run_cli(capsys, "validate", str(pattern_file))
        run_cli(capsys, "match", "--rules", str(pattern_file), str(event_file))
        run_cli(capsys, "explain", "--pattern", str(pattern_file), "--event", str(event_file))


def test_the_cli_handles_deep_input(capsys: pytest.CaptureFixture[str]) -> None:
    deep_pattern = '{"a":' * 2000 + "[1]" + "}" * 2000
    deep_event = '{"a":' + "[" * 2000 + "1" + "]" * 2000 + "}"
    cli_round(capsys, deep_pattern, deep_event)
    cli_round(capsys, '{"a": [1]}', deep_event)


FORMER_CLI_CRASHES = {
    "explain --format json, lone surrogate in a key": (
        '{"\\ud800": ["x"]}',
        '{"a": "x"}',
        ["explain", "--pattern", "{pattern}", "--event", "{event}", "--format", "json"],
    ),
    "match, lone surrogate in a rule name": (
        '{"\\ud800": {"a": ["x"]}}',
        '{"a": "x"}',
        ["match", "--rules", "{pattern}", "{event}"],
    ),
    "validate, lone surrogate in a rule name": (
        '{"\\ud800": {"a": ["x"]}}',
        '{"a": "x"}',
        ["validate", "{pattern}"],
    ),
    "validate, integer of 5000 digits": (
        '{"a": [1' + "0" * 4999 + "]}",
        '{"a": 1}',
        ["validate", "{pattern}"],
    ),
    "match, integer of 5000 digits in the rules": (
        '{"a": [1' + "0" * 4999 + "]}",
        '{"a": 1}',
        ["match", "--rules", "{pattern}", "{event}"],
    ),
}


@pytest.mark.parametrize("bug", FORMER_CLI_CRASHES, ids=list(FORMER_CLI_CRASHES))
def test_former_cli_crashes(capsys: pytest.CaptureFixture[str], tmp_path: Path, bug: str) -> None:
    pattern, event, argv = FORMER_CLI_CRASHES[bug]
    (tmp_path / "p.json").write_text(pattern)
    (tmp_path / "e.jsonl").write_text(event)
    files = {"{pattern}": str(tmp_path / "p.json"), "{event}": str(tmp_path / "e.jsonl")}
    run_cli(capsys, *[files.get(argument, argument) for argument in argv])


@settings(max_examples=examples(1500))
@given(huge_integers())
def test_huge_integer_pairs_are_exact(number: tuple[int, str]) -> None:
    value, text = number
    assert Decimal(value) == Decimal(text)
