"""The shared EventBridge conformance corpus (answers recorded from event-ruler 2.0.1).

Every case must agree, except those ``docs/deviations.md`` lists; a listed case must still
disagree, so that the list cannot go stale. Skips cleanly when ``../shared`` is absent.
"""

from __future__ import annotations

import re

import pytest

import eventmatch
from eventmatch.errors import InvalidPatternError
from eventmatch.eventbridge import _Compiler
from eventmatch.pattern import read_pattern

from . import conformance

pytestmark = pytest.mark.skipif(not conformance.available(), reason=conformance.MISSING_REASON)

LINES = list(conformance.lines("eventbridge"))
MATCH_LINES = [line for line in LINES if '"family": "validation"' not in line]
VALIDATION_LINES = [line for line in LINES if '"family": "validation"' in line]
DEVIATIONS = conformance.documented_deviations()

# The reasons SPEC 2.12 gives as AWS's own text: where the recorded reason is one of
# these, ours must be the same, word for word.
SPEC_REASONS = [
    re.compile(pattern)
    for pattern in (
        r"Filter is not an object", r'".*" must be an object or an array', r"Empty objects are not allowed",
        r"Empty arrays are not allowed", r"Match value must be String, number, true, false, or null",
        r"Match expression name not found", r"Only one key allowed in match expression",
        r"Unrecognized match type .*",
        r"(exact|prefix|suffix|equals-ignore-case|wildcard) match pattern must be a string",
        r"(Prefix|Suffix) expression name not found", r"Unsupported (prefix|suffix) pattern: .*",
        r"Consecutive wildcard characters at pos \d+", r"Invalid escape character at pos \d+",
        r"Anything-But expression name not found", r"Unsupported anything-but pattern: .*",
        r"Value of anything-but must be an array or single string/number value\.",
        r"Inside anything but list, .*", r"Inside anything-but/equals-ignore-case list, .*",
        r"prefix/suffix match pattern must be a string", r"Null prefix/suffix not allowed",
        r"exists match pattern must be either true or false\.", r"Value of numeric must be an array\.",
        r"Invalid member in numeric match: .*", r"Unrecognized numeric range operator: .*",
        r"Value of .* must be numeric", r"Too many elements in numeric expression",
        r"Bad value in numeric range: .*", r"Bad numeric range operator: .*",
        r"Too many terms in numeric range expression", r"Bottom must be less than top",
        r"Cannot compare number : .*", r"Malformed CIDR, .*", r"Nonstandard IP address: .*",
        r"Invalid IP address: .*", r"IPv[46] mask bits must be < \d+",
        r"It must be an Array followed with \$or\.",
        r"Only JSON object is allowed in array of \$or relationship\.",
        r"There must have at least 2 Objects in \$or relationship\.",
        r".* is Ruler reserved fieldName which cannot be used inside \$or\.",
    )
]  # fmt: skip


def _older_compiler_reason(pattern: str) -> str | None:
    """The reason event-ruler's older compiler gives (what its Machine.addRule reports)."""
    try:
        _Compiler(legacy=True).pattern(read_pattern(pattern))
    except InvalidPatternError as error:
        return error.reason
    return None


def _case_id(line: str) -> str:
    return str(conformance.case(line)["id"])


def _disagreements_through_patterns(line: str) -> list[str]:
    case = conformance.case(line)
    patterns = {
        name: [eventmatch.compile_pattern(text) for text in texts]
        for name, texts in conformance.rule_texts(line).items()
    }
    wrong = []
    for index, (event, expected) in enumerate(zip(case["events"], case["expected"], strict=True)):
        got = sorted(name for name, compiled in patterns.items() if any(p.matches(event) for p in compiled))
        if got != expected:
            wrong.append(f"event {index}: expected {expected}, got {got}")
    return wrong


def _disagreements_through_machine(line: str) -> list[str]:
    case = conformance.case(line)
    machine = eventmatch.Machine()
    for name, texts in conformance.rule_texts(line).items():
        for text in texts:
            machine.add_rule(name, text)
    wrong = []
    for index, (event, expected) in enumerate(zip(case["events"], case["expected"], strict=True)):
        got = machine.match(event)
        if got != expected:
            wrong.append(f"event {index}: expected {expected}, got {got}")
    return wrong


def _check(case_id: str, wrong: list[str]) -> None:
    if case_id in DEVIATIONS:
        assert wrong, f"{case_id} now agrees with the reference: remove it from docs/deviations.md"
    else:
        assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("line", MATCH_LINES, ids=_case_id)
def test_match_case_through_compile_pattern(line: str) -> None:
    _check(_case_id(line), _disagreements_through_patterns(line))


@pytest.mark.parametrize("line", MATCH_LINES, ids=_case_id)
def test_match_case_through_one_machine(line: str) -> None:
    _check(_case_id(line), _disagreements_through_machine(line))


def _validation_outcome(line: str) -> list[str]:
    case = conformance.case(line)
    try:
        eventmatch.compile_pattern(case["pattern"])
    except eventmatch.InvalidPatternError as error:
        if case["valid"]:
            return [f"rejected ({error.reason}) but the reference accepts it"]
        recorded = case.get("oracle_error", "").split(": ", 1)[-1].split("\n")[0]
        if not any(pattern.fullmatch(recorded) for pattern in SPEC_REASONS) or error.reason == recorded:
            return []
        if recorded == _older_compiler_reason(case["pattern"]):
            return []  # event-ruler's addRule reports its older compiler; we report AWS's (current) text
        return [f"reason {error.reason!r}, AWS's is {recorded!r}"]
    return [] if case["valid"] else ["accepted but the reference rejects it"]


@pytest.mark.parametrize("line", VALIDATION_LINES, ids=_case_id)
def test_validation_case(line: str) -> None:
    _check(_case_id(line), _validation_outcome(line))


def test_every_listed_deviation_is_a_corpus_case() -> None:
    ids = {_case_id(line) for line in LINES}
    assert set(DEVIATIONS) <= ids
