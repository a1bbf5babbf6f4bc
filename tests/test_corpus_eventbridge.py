"""Runs the language-neutral EventBridge corpus (corpus/eventbridge/*.json) against eventmatch.

The corpus format is described in corpus/eventbridge/README.md. Files are read with the standard
``json`` module; ``pattern_text`` / ``event_text`` are passed to the API verbatim (as ``str``), otherwise
the parsed object is passed.

``eventmatch`` is imported inside the tests, so the corpus checks (``test_corpus_shape``) run even
while the engine is incomplete.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from . import corpus

CORPUS_DIR = corpus.ROOT / "eventbridge"

MATCH_FILES = [
    "exact",
    "prefix-suffix",
    "equals-ignore-case",
    "wildcard",
    "anything-but",
    "numeric",
    "exists",
    "cidr",
    "or",
    "arrays",
    "dotted-keys",
    "exactly",
    "mixed",
]
VALIDATION_FILE = "validation"

JSON_REASON = "*json*"

# Every reason of SPEC 2.12 (placeholders as regular expressions), plus the project's wording for the
# $or limit (D14). Left out: "Rule is too complex ...", which compile_pattern does not enforce (D2, D14).
REASONS: list[str] = [
    r"Filter is not an object",
    r'"[^"]*" must be an object or an array',
    r"Empty objects are not allowed",
    r"Empty arrays are not allowed",
    r"Match value must be String, number, true, false, or null",
    r"Match expression name not found",
    r"Only one key allowed in match expression",
    r"Unrecognized match type \S+",
    r"exact match pattern must be a string",
    r"prefix match pattern must be a string",
    r"suffix match pattern must be a string",
    r"equals-ignore-case match pattern must be a string",
    r"wildcard match pattern must be a string",
    r"Prefix expression name not found",
    r"Unsupported prefix pattern: \S+",
    r"Suffix expression name not found",
    r"Unsupported suffix pattern: \S+",
    r"Consecutive wildcard characters at pos \d+",
    r"Invalid escape character at pos \d+",
    r"Anything-But expression name not found",
    r"Unsupported anything-but pattern: \S+",
    r"Value of anything-but must be an array or single string/number value\.",
    r"Inside anything but list, start\|null\|boolean is not supported\.",
    r"Inside anything but list, either all values are number or string, mixed type is not supported",
    r"Inside anything-but/equals-ignore-case list, number\|start\|null\|boolean is not supported\.",
    r"prefix/suffix match pattern must be a string",
    r"Null prefix/suffix not allowed",
    r"exists match pattern must be either true or false\.",
    r"Value of numeric must be an array\.",
    r"Invalid member in numeric match: \S+",
    r"Unrecognized numeric range operator: \S+",
    r"Value of equals must be numeric",
    r"Value of (<|<=|>|>=) must be numeric",
    r"Too many elements in numeric expression",
    r"Bad value in numeric range: \S+",
    r"Bad numeric range operator: \S+",
    r"Too many terms in numeric range expression",
    r"Bottom must be less than top",
    r"Cannot compare number : \S+",
    r"Malformed CIDR, one '/' required",
    r"Malformed CIDR, mask bits must be an integer",
    r"Malformed CIDR, mask bits must not be negative",
    r"Nonstandard IP address: \S+",
    r"Invalid IP address: \S+",
    r"IPv4 mask bits must be < 32",
    r"IPv6 mask bits must be < 128",
    r"It must be an Array followed with \$or\.",
    r"Only JSON object is allowed in array of \$or relationship\.",
    r"There must have at least 2 Objects in \$or relationship\.",
    r"\S+ is Ruler reserved fieldName which cannot be used inside \$or\.",
    r"The pattern has more than 1000 \$or combinations",
]

MIN_MATCH_CASES = 300


def _load(name: str) -> dict[str, Any]:
    return corpus.load("eventbridge", name)


def _pattern_src(group: dict[str, Any]) -> Any:
    return corpus.source(group, "pattern")


def _event_src(case: dict[str, Any]) -> Any:
    return corpus.source(case, "event")


def _match_cases() -> list[Any]:
    params = []
    for name in MATCH_FILES:
        for gi, group in enumerate(_load(name)["groups"]):
            for ci, case in enumerate(group["cases"]):
                params.append(
                    pytest.param(
                        name, gi, _pattern_src(group), _event_src(case), case["match"], id=f"{name}/{gi}/{ci}"
                    )
                )
    return params


def _validation_entries(kind: str) -> list[Any]:
    return [
        pytest.param(entry, id=f"{VALIDATION_FILE}/{kind}/{i}")
        for i, entry in enumerate(_load(VALIDATION_FILE)[kind])
    ]


MATCH_CASES = _match_cases()

_compiled: dict[tuple[str, int], Any] = {}


def _compiled_pattern(name: str, gi: int, src: Any) -> Any:
    import eventmatch

    key = (name, gi)
    if key not in _compiled:
        _compiled[key] = eventmatch.compile_pattern(src)
    return _compiled[key]


@pytest.mark.parametrize(("name", "gi", "pattern", "event", "expected"), MATCH_CASES)
def test_match(name: str, gi: int, pattern: Any, event: Any, expected: bool) -> None:
    compiled = _compiled_pattern(name, gi, pattern)
    assert compiled.matches(event) is expected


@pytest.mark.parametrize(("name", "gi", "pattern", "event", "expected"), MATCH_CASES)
def test_machine_match(name: str, gi: int, pattern: Any, event: Any, expected: bool) -> None:
    import eventmatch

    machine = eventmatch.Machine()
    machine.add_rule("rule", pattern)
    assert machine.match(event) == (["rule"] if expected else [])


@pytest.mark.parametrize("name", MATCH_FILES)
def test_machine_all_rules_of_a_file(name: str) -> None:
    """One Machine holding every pattern of a file: each rule must match exactly as its own cases say."""
    import eventmatch

    groups = _load(name)["groups"]
    machine = eventmatch.Machine()
    for gi, group in enumerate(groups):
        machine.add_rule(f"g{gi}", _pattern_src(group))
    failures = []
    for gi, group in enumerate(groups):
        for ci, case in enumerate(group["cases"]):
            result = machine.match(_event_src(case))
            assert len(result) == len(set(result)), f"{name}/{gi}/{ci}: duplicate rule names {result}"
            if (f"g{gi}" in result) != case["match"]:
                failures.append(f"{name}/{gi}/{ci}: expected {case['match']}, got {result}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("entry", _validation_entries("invalid"))
def test_invalid_pattern(entry: dict[str, Any]) -> None:
    import eventmatch

    assert issubclass(eventmatch.InvalidPatternError, ValueError)
    with pytest.raises(eventmatch.InvalidPatternError) as info:
        eventmatch.compile_pattern(entry["pattern_text"])
    if entry["reason"] != JSON_REASON:
        assert info.value.reason == entry["reason"]
    assert info.value.path == entry["path"]


@pytest.mark.parametrize("entry", _validation_entries("invalid"))
def test_machine_rejects_invalid_pattern(entry: dict[str, Any]) -> None:
    import eventmatch

    machine = eventmatch.Machine()
    with pytest.raises(eventmatch.InvalidPatternError) as info:
        machine.add_rule("rule", entry["pattern_text"])
    if entry["reason"] != JSON_REASON:
        assert info.value.reason == entry["reason"]


@pytest.mark.parametrize("entry", _validation_entries("valid"))
def test_valid_pattern(entry: dict[str, Any]) -> None:
    import eventmatch

    eventmatch.compile_pattern(entry["pattern_text"])


def test_corpus_shape() -> None:
    """The corpus itself: well-formed, large enough, and covering every validation reason."""
    on_disk = {p.stem for p in CORPUS_DIR.glob("*.json")}
    assert on_disk == {*MATCH_FILES, VALIDATION_FILE}

    total = 0
    for name in MATCH_FILES:
        data = _load(name)
        assert data["topic"] == name
        assert data["description"]
        assert data["groups"], name
        for gi, group in enumerate(data["groups"]):
            where = f"{name}/{gi}"
            assert group["comment"], where
            assert ("pattern" in group) != ("pattern_text" in group), where
            if "pattern_text" in group:
                assert isinstance(group["pattern_text"], str), where
            else:
                assert isinstance(group["pattern"], dict), where
            assert group["cases"], where
            for ci, case in enumerate(group["cases"]):
                assert ("event" in case) != ("event_text" in case), f"{where}/{ci}"
                assert isinstance(case["match"], bool), f"{where}/{ci}"
                assert set(case) <= {"event", "event_text", "match", "comment"}, f"{where}/{ci}"
                total += 1
    assert total >= MIN_MATCH_CASES, total

    validation = _load(VALIDATION_FILE)
    assert validation["topic"] == VALIDATION_FILE
    compiled = [re.compile(r) for r in REASONS]
    seen = set()
    for i, entry in enumerate(validation["invalid"]):
        assert set(entry) == {"comment", "pattern_text", "reason", "path"}, i
        assert isinstance(entry["path"], str), i
        if entry["reason"] == JSON_REASON:
            assert entry["path"] == "", i
            continue
        hits = [r.pattern for r in compiled if r.fullmatch(entry["reason"])]
        assert hits, f"invalid[{i}]: unknown reason {entry['reason']!r}"
        seen.update(hits)
    missing = [r.pattern for r in compiled if r.pattern not in seen]
    assert not missing, f"reasons without an invalid case: {missing}"
    assert any(e["reason"] == JSON_REASON for e in validation["invalid"])
    for i, entry in enumerate(validation["valid"]):
        assert set(entry) == {"comment", "pattern_text"}, i
