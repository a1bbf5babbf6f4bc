"""Checking one pattern as AWS would: compile it, then measure what AWS limits and compile accepts.

Two limits are the validator's, not the compiler's (SPEC decisions D2 and D14): a wildcard complexity
score above 7 ("AWS may reject: Rule is too complex ...": AWS's threshold is somewhere in 7..10), and a
pattern longer than 2048 characters (the default quota; it can be raised to 4096). The size is counted
on the text AWS receives: a pattern written as a JSON string as it is, a pattern written as an object in
its compact JSON form (no spaces), since that is what CloudFormation sends.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any, Final

from ..complexity import wildcard_complexity
from ..errors import InvalidPatternError
from ..ir import Rule, Wildcard
from ..jsontext import JsonNumber, JsonObject, JsonValue
from ..pattern import compile_pattern, read_pattern
from .common import Finding, Severity
from .entries import Kind, RuleEntry
from .sns import compile_policy

__all__ = ["COMPLEXITY_CAP", "COMPLEXITY_THRESHOLD", "SIZE_LIMIT", "RuleReport", "Status", "check_entry"]

COMPLEXITY_THRESHOLD: Final = 7  # D2: scores above this may be rejected
COMPLEXITY_CAP: Final = 100  # scores are computed up to this value (the search stops there)
SIZE_LIMIT: Final = 2048  # D14: EventBridge's default pattern size quota, in characters
TOO_COMPLEX: Final = (
    "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences "
    "after a wildcard character"
)
INTRINSIC: Final = "contains an intrinsic function"


class Status(enum.Enum):
    """The verdict on one pattern."""

    VALID = "valid"
    INVALID = "invalid"
    UNCHECKED = "unchecked"  # holds an intrinsic function, resolved only at deploy time


@dataclass(frozen=True, slots=True)
class RuleReport:
    """What was found about one pattern; the measurements are None when they were not taken.

    ``wildcard_complexity`` is event-ruler's score, the maximum over the rule's alternatives and fields
    (capped at :data:`COMPLEXITY_CAP`); ``or_combinations`` is the number of alternatives after ``$or``
    expansion; ``size`` is in characters. They are measured for valid patterns (complexity and size for
    EventBridge patterns only).
    """

    entry: RuleEntry
    status: Status
    findings: tuple[Finding, ...] = ()
    wildcard_complexity: int | None = None
    or_combinations: int | None = None
    size: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The report as a JSON object (its findings are listed separately)."""
        entry = self.entry
        return {
            "file": entry.where.file,
            "line": entry.where.line,
            "column": entry.where.column,
            "name": entry.name,
            "kind": entry.kind.value,
            "scope": entry.scope if entry.kind is Kind.SNS else None,
            "status": self.status.value,
            "wildcard_complexity": self.wildcard_complexity,
            "or_combinations": self.or_combinations,
            "size": self.size,
        }


def _compact(value: JsonValue) -> str:
    if isinstance(value, JsonObject):
        return (
            "{"
            + ",".join(f"{json.dumps(key, ensure_ascii=False)}:{_compact(item)}" for key, item in value)
            + "}"
        )
    if isinstance(value, list):
        return "[" + ",".join(_compact(item) for item in value) + "]"
    if isinstance(value, JsonNumber):
        return value.text
    return json.dumps(value, ensure_ascii=False)


def pattern_size(entry: RuleEntry) -> int:
    """The length of the pattern text AWS receives (see the module's docstring)."""
    if entry.as_text and isinstance(entry.body, str):
        return len(entry.body)
    return len(_compact(read_pattern(entry.body)))


def worst_field(rule: Rule) -> tuple[int, str]:
    """``(score, path)`` of the field with the highest wildcard complexity (``(0, "")`` without wildcards)."""
    best, where = 0, ""
    scores: dict[tuple[str, ...], int] = {}
    for alternative in rule:
        for condition in alternative:
            operands = tuple(test.text for test in condition.tests if isinstance(test, Wildcard))
            if operands and operands not in scores:
                scores[operands] = wildcard_complexity(operands, limit=COMPLEXITY_CAP)
                if scores[operands] > best:
                    best, where = scores[operands], condition.path
    return best, where


def check_entry(entry: RuleEntry) -> RuleReport:
    """Compile one pattern and measure it."""
    if entry.intrinsic is not None:
        warning = Finding(
            entry.where, f"cannot check: {INTRINSIC}", entry.name, entry.intrinsic, Severity.WARNING
        )
        return RuleReport(entry, Status.UNCHECKED, (warning,))
    try:
        if entry.kind is Kind.SNS:
            policy = compile_policy(entry.body, entry.scope)
            return RuleReport(entry, Status.VALID, or_combinations=len(policy.rule))
        rule = compile_pattern(entry.body).rule
    except InvalidPatternError as exc:
        return RuleReport(entry, Status.INVALID, (Finding(entry.where, exc.reason, entry.name, exc.path),))
    complexity, where = worst_field(rule)
    size = pattern_size(entry)
    warnings = []
    if complexity > COMPLEXITY_THRESHOLD:
        reason = (
            f"AWS may reject: {TOO_COMPLEX} (wildcard complexity {complexity}, above {COMPLEXITY_THRESHOLD})"
        )
        warnings.append(Finding(entry.where, reason, entry.name, where, Severity.WARNING))
    if size > SIZE_LIMIT:
        reason = f"AWS may reject: the pattern is {size} characters, above the default quota of {SIZE_LIMIT}"
        warnings.append(Finding(entry.where, reason, entry.name, "", Severity.WARNING))
    return RuleReport(entry, Status.VALID, tuple(warnings), complexity, len(rule), size)
