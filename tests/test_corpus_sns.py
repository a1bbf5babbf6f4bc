"""Runs the language-neutral SNS corpus (corpus/sns/*.json) against eventmatch.

The corpus format is described in corpus/sns/README.md. Files are read with the standard ``json``
module; ``policy_text`` is passed to the API verbatim (as ``str``), otherwise the parsed object is
passed. Message bodies are always text and are passed unchanged.

``eventmatch`` is imported inside the tests, so the corpus checks (``test_corpus_shape``) run even
while the engine is incomplete.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from . import corpus

CORPUS_DIR = corpus.ROOT / "sns"

MATCH_FILES = [
    "attributes-exact",
    "attributes-types",
    "string-operators",
    "anything-but",
    "numeric",
    "exists",
    "or",
    "payload",
    "limits",
]
VALIDATION_FILE = "validation"
# Files with an "invalid" list (validation entries); validation.json also has "valid".
INVALID_FILES = ["limits", VALIDATION_FILE]

SCOPES = ("MessageAttributes", "MessageBody")
ATTRIBUTE_TYPES = re.compile(r"String|Number|Binary|String\.Array|(String|Number)\.[A-Za-z0-9_.-]+")

JSON_REASON = "failed to parse JSON.*"
JSON_PREFIX = "failed to parse JSON."

# The reasons SNS gives (SPEC 3.5, with the operator texts of SPEC 2.12 that SNS shares), as regular
# expressions. Each needs at least one invalid case.
REASONS: list[str] = [
    re.escape(JSON_REASON),
    r"Filter policy can not have more than 5 keys",
    r"Filter policy is too complex",
    r"Filter policy scope MessageAttributes does not support nested filter policy",
    r"Filter is not an object",
    r'"[^"]*" must be an object or an array',
    r"Empty objects are not allowed",
    r"Empty arrays are not allowed",
    r"Match value must be String, number, true, false, or null",
    r"Match expression name not found",
    r"Only one key allowed in match expression",
    r"Unrecognized match type \S+",
    r"Unrecognized match type exactly",
    r"prefix match pattern must be a string",
    r"suffix match pattern must be a string",
    r"equals-ignore-case match pattern must be a string",
    r"wildcard match pattern must be a string",
    r"Consecutive wildcard characters at pos \d+",
    r"Unsupported anything-but pattern: \S+",
    r"Unsupported anything-but pattern: suffix",
    r"Value of anything-but must be an array or single string/number value\.",
    r"Inside anything but list, start\|null\|boolean is not supported\.",
    r"Inside anything but list, either all values are number or string, mixed type is not supported",
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
    r"Only JSON object is allowed in array of \$or relationship\.",
    r"There must have at least 2 Objects in \$or relationship\.",
    r"\S+ is Ruler reserved fieldName which cannot be used inside \$or\.",
]

MIN_MATCH_CASES = 150


def _load(name: str) -> dict[str, Any]:
    return corpus.load("sns", name)


def _policy_src(entry: dict[str, Any]) -> Any:
    return corpus.source(entry, "policy")


def _message(case: dict[str, Any]) -> tuple[Any, Any]:
    message = case["message"]
    return message.get("attributes"), message.get("body")


def _match_cases() -> list[Any]:
    params = []
    for name in MATCH_FILES:
        for gi, group in enumerate(_load(name)["groups"]):
            for ci, case in enumerate(group["cases"]):
                params.append(
                    pytest.param(
                        name,
                        gi,
                        _policy_src(group),
                        group["scope"],
                        case["message"],
                        case["match"],
                        id=f"{name}/{gi}/{ci}",
                    )
                )
    return params


def _groups() -> list[Any]:
    return [
        pytest.param(group, id=f"{name}/{gi}")
        for name in MATCH_FILES
        for gi, group in enumerate(_load(name)["groups"])
    ]


def _invalid_entries() -> list[Any]:
    return [
        pytest.param(entry, id=f"{name}/invalid/{i}")
        for name in INVALID_FILES
        for i, entry in enumerate(_load(name).get("invalid", []))
    ]


def _valid_entries() -> list[Any]:
    return [
        pytest.param(entry, id=f"{VALIDATION_FILE}/valid/{i}")
        for i, entry in enumerate(_load(VALIDATION_FILE)["valid"])
    ]


def _check_reason(error: Any, entry: dict[str, Any]) -> None:
    if entry["reason"] == JSON_REASON:
        assert error.reason.startswith(JSON_PREFIX), error.reason
    else:
        assert error.reason == entry["reason"]


MATCH_CASES = _match_cases()

_compiled: dict[tuple[str, int], Any] = {}


def _compiled_policy(name: str, gi: int, src: Any, scope: str) -> Any:
    import eventmatch

    key = (name, gi)
    if key not in _compiled:
        _compiled[key] = eventmatch.compile_filter_policy(src, scope)
    return _compiled[key]


@pytest.mark.parametrize(("name", "gi", "policy", "scope", "message", "expected"), MATCH_CASES)
def test_match(name: str, gi: int, policy: Any, scope: str, message: dict[str, Any], expected: bool) -> None:
    compiled = _compiled_policy(name, gi, policy, scope)
    attributes, body = message.get("attributes"), message.get("body")
    assert compiled.matches(message_attributes=attributes, body=body) is expected


@pytest.mark.parametrize("group", _groups())
def test_machine_per_group(group: dict[str, Any]) -> None:
    """One Machine per group, holding that group's policy: every case of the group, in turn."""
    import eventmatch

    machine = eventmatch.Machine()
    machine.add_filter_policy("policy", _policy_src(group), group["scope"])
    failures = []
    for ci, case in enumerate(group["cases"]):
        attributes, body = _message(case)
        result = machine.match_message(message_attributes=attributes, body=body)
        if result != (["policy"] if case["match"] else []):
            failures.append(f"case {ci}: expected {case['match']}, got {result}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", MATCH_FILES)
def test_machine_all_policies_of_a_file(name: str) -> None:
    """One Machine holding every policy of a file, in both scopes: each must match as its own cases say."""
    import eventmatch

    groups = _load(name)["groups"]
    machine = eventmatch.Machine()
    for gi, group in enumerate(groups):
        machine.add_filter_policy(f"g{gi}", _policy_src(group), group["scope"])
    failures = []
    for gi, group in enumerate(groups):
        for ci, case in enumerate(group["cases"]):
            attributes, body = _message(case)
            result = machine.match_message(message_attributes=attributes, body=body)
            assert len(result) == len(set(result)), f"{name}/{gi}/{ci}: duplicate names {result}"
            if (f"g{gi}" in result) != case["match"]:
                failures.append(f"{name}/{gi}/{ci}: expected {case['match']}, got {result}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("entry", _invalid_entries())
def test_invalid_policy(entry: dict[str, Any]) -> None:
    import eventmatch

    assert issubclass(eventmatch.InvalidFilterPolicyError, ValueError)
    with pytest.raises(eventmatch.InvalidFilterPolicyError) as info:
        eventmatch.compile_filter_policy(entry["policy_text"], entry["scope"])
    _check_reason(info.value, entry)
    assert info.value.path == entry["path"]


@pytest.mark.parametrize("entry", _invalid_entries())
def test_machine_rejects_invalid_policy(entry: dict[str, Any]) -> None:
    import eventmatch

    machine = eventmatch.Machine()
    with pytest.raises(eventmatch.InvalidFilterPolicyError) as info:
        machine.add_filter_policy("policy", entry["policy_text"], entry["scope"])
    _check_reason(info.value, entry)
    assert info.value.path == entry["path"]
    assert "policy" not in machine


@pytest.mark.parametrize("entry", _valid_entries())
def test_valid_policy(entry: dict[str, Any]) -> None:
    import eventmatch

    eventmatch.compile_filter_policy(entry["policy_text"], entry["scope"])
    eventmatch.Machine().add_filter_policy("policy", entry["policy_text"], entry["scope"])


def _check_message(message: Any, where: str) -> None:
    assert isinstance(message, dict) and message, where
    assert set(message) <= {"attributes", "body"}, where
    if "body" in message:
        assert isinstance(message["body"], str), where
    for attr_name, attribute in message.get("attributes", {}).items():
        assert isinstance(attr_name, str) and attr_name, where
        assert set(attribute) == {"Type", "Value"}, f"{where}: {attr_name}"
        assert ATTRIBUTE_TYPES.fullmatch(attribute["Type"]), f"{where}: {attr_name}"
        assert isinstance(attribute["Value"], str) and attribute["Value"], f"{where}: {attr_name}"


def test_corpus_shape() -> None:
    """The corpus itself: well-formed, large enough, and covering every SNS reason."""
    on_disk = {p.stem for p in CORPUS_DIR.glob("*.json")}
    assert on_disk == {*MATCH_FILES, VALIDATION_FILE}

    total = 0
    for name in MATCH_FILES:
        data = _load(name)
        assert data["topic"] == name
        assert data["description"]
        assert data["groups"], name
        assert set(data) <= {"topic", "description", "groups", "invalid"}, name
        for gi, group in enumerate(data["groups"]):
            where = f"{name}/{gi}"
            assert group["comment"], where
            assert group["scope"] in SCOPES, where
            assert ("policy" in group) != ("policy_text" in group), where
            if "policy_text" in group:
                assert isinstance(group["policy_text"], str), where
            else:
                assert isinstance(group["policy"], dict), where
            assert set(group) <= {"comment", "scope", "policy", "policy_text", "cases"}, where
            assert group["cases"], where
            for ci, case in enumerate(group["cases"]):
                assert set(case) <= {"message", "match", "comment"}, f"{where}/{ci}"
                assert isinstance(case["match"], bool), f"{where}/{ci}"
                _check_message(case["message"], f"{where}/{ci}")
                total += 1
    assert total >= MIN_MATCH_CASES, total

    validation = _load(VALIDATION_FILE)
    assert validation["topic"] == VALIDATION_FILE
    assert validation["description"]
    compiled = [re.compile(r) for r in REASONS]
    seen = set()
    invalid = [(name, e) for name in INVALID_FILES for e in _load(name).get("invalid", [])]
    for i, (name, entry) in enumerate(invalid):
        where = f"{name}/invalid[{i}]"
        assert set(entry) == {"comment", "scope", "policy_text", "reason", "path"}, where
        assert entry["scope"] in SCOPES, where
        assert isinstance(entry["policy_text"], str) and isinstance(entry["path"], str), where
        if entry["reason"] == JSON_REASON:
            assert entry["path"] == "", where
        hits = [r.pattern for r in compiled if r.fullmatch(entry["reason"])]
        assert hits, f"{where}: unknown reason {entry['reason']!r}"
        seen.update(hits)
    missing = [r.pattern for r in compiled if r.pattern not in seen]
    assert not missing, f"reasons without an invalid case: {missing}"
    for i, entry in enumerate(validation["valid"]):
        assert set(entry) == {"comment", "scope", "policy_text"}, i
        assert entry["scope"] in SCOPES, i
    # Both scopes appear on both sides of every limit.
    limits = _load("limits")
    for scope in SCOPES:
        assert any(g["scope"] == scope for g in limits["groups"]), scope
        assert any(e["scope"] == scope for e in limits["invalid"]), scope
