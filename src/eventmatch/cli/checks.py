"""Checking one pattern as AWS would: compile it, then measure what AWS limits and compile accepts.

Beyond the compiler (SPEC decisions D2 and D14, which leave these to the validator):

* **Operators per service**: a Lambda event source mapping's or a pipe's filter is refused when it
  uses an operator that service does not accept (:mod:`.filter_grammars`).
* **Wildcard complexity**: a score above :data:`COMPLEXITY_THRESHOLD` (``--max-complexity``) is an
  error, AWS's "Rule is too complex ...". AWS's threshold is somewhere in 7..10 (SPEC 2.6.4); the
  lowest is used, so that what passes here passes on AWS: ``"*:*:*:*:*:event-bus/*"`` scores 11 and
  was refused by AWS, ``"/Users/*/dir/dir/dir/dir/dir/doc.txt"`` scores 7 and was accepted.
* **Size**: an EventBridge rule's pattern above the account's quota is refused. The default quota is
  2,048 characters and can be raised up to 4,096, so above 2,048 is a warning, unless the quota is
  given (``--size-quota``), and above 4,096 an error. Lambda and Pipes filters take 4,096 at most.
  The size is counted on the text AWS receives: a pattern written as a JSON string as it is, a pattern
  written as an object in its compact JSON form (no spaces), since that is what CloudFormation sends.

A pattern holding values resolved at deployment is checked variant by variant (:mod:`.placeholders`);
a finding that only some variants have says which (``when IsProd``).
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

import orjson

from ..collector import collector_paused
from ..complexity import wildcard_complexity
from ..errors import InvalidPatternError
from ..ir import Rule, Wildcard
from ..jsontext import read_plain_texts, written_back
from ..pattern import compile_read, read_pattern
from .common import Finding, Severity, Where
from .entries import SCOPES, Kind, RuleEntry, Service
from .filter_grammars import GRAMMARS, Grammar, unsupported_operators
from .intrinsics import Labels
from .located import Position
from .placeholders import Skipped, compact_json, pattern_variants
from .sns import compile_policy

__all__ = [
    "COMPLEXITY_CAP",
    "COMPLEXITY_THRESHOLD",
    "DEFAULT_SIZE_QUOTA",
    "MAX_SIZE_QUOTA",
    "Limits",
    "PlainMeasures",
    "RuleReport",
    "Status",
    "check_entries",
    "check_entry",
]

COMPLEXITY_THRESHOLD: Final = 7  # D2: AWS refuses some scores above this
COMPLEXITY_CAP: Final = 100  # scores are computed up to this value (the search stops there)
DEFAULT_SIZE_QUOTA: Final = 2048  # D14: EventBridge's default pattern size quota, in characters
MAX_SIZE_QUOTA: Final = 4096  # ... and the most it can be raised to
TOO_COMPLEX: Final = (
    "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences "
    "after a wildcard character"
)


class Status(enum.Enum):
    """The verdict on one pattern."""

    VALID = "valid"
    INVALID = "invalid"
    UNCHECKED = "unchecked"  # valid as far as checked: some part depends on a value known at deployment


@dataclass(frozen=True, slots=True)
class Limits:
    """What a pattern is measured against: the highest wildcard complexity accepted, and the
    account's EventBridge size quota (None: not known, the default quota gives warnings)."""

    max_complexity: int = COMPLEXITY_THRESHOLD
    size_quota: int | None = None


class RuleReport(NamedTuple):  # a tuple: quick to make, for each of 100,000s of patterns
    """What was found about one pattern; the measurements are None when they were not taken.

    ``wildcard_complexity`` is event-ruler's score, the maximum over the rule's alternatives and fields
    (capped at :data:`COMPLEXITY_CAP`); ``or_combinations`` is the number of alternatives after ``$or``
    expansion; ``size`` is in characters. They are measured for valid patterns (complexity and size for
    EventBridge patterns only), the largest over the variants of a pattern.
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
        sns = entry.kind is Kind.SNS
        return {
            "file": entry.where.file,
            "line": entry.where.line,
            "column": entry.where.column,
            "name": entry.name,
            "kind": entry.kind.value,
            "service": None if sns else entry.service.value,
            "scope": entry.scope if sns else None,
            "status": self.status.value,
            "wildcard_complexity": self.wildcard_complexity,
            "or_combinations": self.or_combinations,
            "size": self.size,
        }


def pattern_size(entry: RuleEntry, parsed: Any = None) -> int:
    """The length of the pattern text AWS receives (see the module's docstring); ``parsed``:
    the entry's body already read, when the caller has it."""
    if entry.as_text and isinstance(entry.body, str):
        return len(entry.body)
    if isinstance(entry.body, str) and "\\" not in entry.body:
        return compact_length(entry.body)
    return len(compact_json(read_pattern(entry.body) if parsed is None else parsed))


# Without backslashes a JSON text's strings hold no escaped quote: its tokens are these.
_TOKENS = re.compile(r'"[^"]*"|[^\s"]+')


def compact_length(text: str) -> int:
    """``len(compact_json(...))`` of JSON text holding no backslash, without reading it: the text
    less its whitespace between tokens (escapes are what would change in a rewrite)."""
    return sum(map(len, _TOKENS.findall(text)))


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


@dataclass(frozen=True, slots=True)
class _Case:
    """One thing to check: a variant of the pattern under one scope (``size`` None: measure the entry)."""

    labels: Labels
    body: object
    size: int | None
    skipped: tuple[Skipped, ...]
    scope: str


@dataclass(slots=True)
class _Result:
    """What checking one case found."""

    findings: list[Finding] = field(default_factory=list)
    complexity: int | None = None
    combinations: int | None = None
    size: int | None = None


def _cases(entry: RuleEntry) -> list[_Case]:
    """The variants of the entry (itself, when nothing in it waits for deployment), in each scope it
    may have (both, when an intrinsic function gives it)."""
    if entry.intrinsic is None:
        written: list[tuple[Labels, object, int | None, tuple[Skipped, ...]]] = [((), entry.body, None, ())]
    else:
        position = Position(entry.where.line, entry.where.column)
        written = [
            (variant.labels, variant.body, variant.size, variant.skipped)
            for variant in pattern_variants(entry.body, entry.variables, position)
        ]
    scopes = SCOPES if entry.scope is None else (entry.scope,)
    return [
        _Case(
            (*labels, *([f"FilterPolicyScope is {scope}"] if entry.scope is None else [])),
            body,
            size,
            skipped,
            scope,
        )
        for labels, body, size, skipped in written
        for scope in scopes
    ]


def _finding(entry: RuleEntry, message: str, path: str, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(entry.where, message, entry.name, path, severity)


def _skipped(entry: RuleEntry, skipped: Skipped) -> Finding:
    at = skipped.unknown.position
    return Finding(
        Where(entry.where.file, at.line, at.column),
        skipped.message,
        entry.name,
        skipped.path,
        Severity.WARNING,
    )


def _size_findings(entry: RuleEntry, size: int, grammar: Grammar, limits: Limits) -> list[Finding]:
    written = f"pattern is {size:,} characters"
    maximum = grammar.max_size or MAX_SIZE_QUOTA
    if size > maximum:
        return [_finding(entry, f"{written}: above {grammar.name}'s maximum of {maximum:,}", "")]
    if grammar.max_size is not None:
        return []
    if limits.size_quota is None and size > DEFAULT_SIZE_QUOTA:
        reason = (
            f"{written}: above EventBridge's default quota of {DEFAULT_SIZE_QUOTA:,} "
            f"(adjustable up to {MAX_SIZE_QUOTA:,})"
        )
        return [_finding(entry, reason, "", Severity.WARNING)]
    if limits.size_quota is not None and size > limits.size_quota:
        return [_finding(entry, f"{written}: above the quota of {limits.size_quota:,} (--size-quota)", "")]
    return []


def _check_pattern(entry: RuleEntry, case: _Case, limits: Limits, result: _Result) -> None:
    grammar = GRAMMARS[entry.service]
    parsed = read_pattern(case.body)  # once, for the grammar, the compiler and the size
    if grammar.operators is not None:
        refused = unsupported_operators(parsed, grammar)
        if refused:
            result.findings.extend(_finding(entry, reason, path) for path, reason in refused)
            return
    rule = compile_read(parsed)
    if case.size is not None:
        size = case.size
    else:
        size = pattern_size(entry, parsed if case.body is entry.body else None)
    _judge(entry, _measured(rule, size), grammar, limits, result)


class _Measures(NamedTuple):  # a tuple: quick to make, for each of 100,000s of patterns
    """What is measured of a valid pattern, before the limits judge it."""

    complexity: int
    where: str  # the path of the field of highest complexity
    combinations: int
    size: int


def _measured(rule: Rule, size: int, wildcards: bool = True) -> _Measures:
    """The measures of a compiled pattern (``wildcards`` False: it is known to hold none)."""
    complexity, where = worst_field(rule) if wildcards else (0, "")
    return _Measures(complexity, where, len(rule), size)


def _judge(entry: RuleEntry, measures: _Measures, grammar: Grammar, limits: Limits, result: _Result) -> None:
    complexity = measures.complexity
    if complexity > limits.max_complexity:
        reason = f"{TOO_COMPLEX} (wildcard complexity {complexity}, above {limits.max_complexity})"
        result.findings.append(_finding(entry, reason, measures.where))
    result.findings.extend(_size_findings(entry, measures.size, grammar, limits))
    result.complexity, result.combinations, result.size = complexity, measures.combinations, measures.size


def _check_case(entry: RuleEntry, case: _Case, limits: Limits) -> _Result:
    result = _Result([_skipped(entry, skipped) for skipped in case.skipped])
    if case.body is None:
        return result
    try:
        if entry.kind is Kind.SNS:
            result.combinations = len(compile_policy(case.body, case.scope).rule)
        else:
            _check_pattern(entry, case, limits, result)
    except InvalidPatternError as exc:
        result.findings.append(_finding(entry, exc.reason, exc.path))
    return result


def _labelled(finding: Finding, labels: Labels) -> Finding:
    return Finding(
        finding.where,
        f"{finding.message} (when {', '.join(labels)})",
        finding.rule,
        finding.path,
        finding.severity,
    )


def _merge(cases: Sequence[_Case], results: Sequence[_Result]) -> list[Finding]:
    """Every case's findings once: a finding every case has as it is, another with its case's labels."""
    if len(results) == 1:  # the usual case, and a large file holds many
        return list(dict.fromkeys(results[0].findings))
    counts = Counter(finding for result in results for finding in set(result.findings))
    merged: list[Finding] = []
    for case, result in zip(cases, results, strict=True):
        for finding in result.findings:
            shared = counts[finding] == len(results)
            item = finding if shared or not case.labels else _labelled(finding, case.labels)
            if item not in merged:
                merged.append(item)
    return merged


def _largest(values: Sequence[int | None]) -> int | None:
    measured = [value for value in values if value is not None]
    return max(measured) if measured else None


def _verdict(
    entry: RuleEntry, findings: tuple[Finding, ...], results: Sequence[_Result], unchecked: bool
) -> RuleReport:
    if any(finding.severity is Severity.ERROR for finding in findings):
        return RuleReport(entry, Status.INVALID, findings)
    status = Status.UNCHECKED if unchecked else Status.VALID
    if len(results) == 1:  # the usual case, and a large file holds many
        (result,) = results
        return RuleReport(entry, status, findings, result.complexity, result.combinations, result.size)
    return RuleReport(
        entry,
        status,
        findings,
        _largest([result.complexity for result in results]),
        _largest([result.combinations for result in results]),
        _largest([result.size for result in results]),
    )


def check_entry(entry: RuleEntry, limits: Limits = Limits()) -> RuleReport:
    """Compile one pattern (each of its variants) and measure it."""
    cases = _cases(entry)
    if not cases:
        reason = "not checked: each branch of its !If is AWS::NoValue, so there is no pattern"
        return RuleReport(entry, Status.UNCHECKED, (_finding(entry, reason, "", Severity.WARNING),))
    results = [_check_case(entry, case, limits) for case in cases]
    return _verdict(entry, tuple(_merge(cases, results)), results, any(case.skipped for case in cases))


#: How many patterns one orjson call reads (see PlainMeasures.measure_all).
BATCH: Final = 512


def _is_plain(entry: RuleEntry) -> bool:
    """Whether the entry is an EventBridge rule's pattern written as JSON text with nothing in it
    resolved at deployment: one case, read from its text."""
    return (
        type(entry.body) is str
        and entry.intrinsic is None
        and entry.kind is Kind.EVENTBRIDGE
        and entry.service is Service.EVENT_BUS
    )


class PlainMeasures:
    """The measures of plain EventBridge patterns (see check_entries), by their text.

    Reading a pattern's text exactly takes about a third of the time checking it takes. These are
    measured from a plain reading instead: as a file is read, where the reader has just read each
    member of a rules file anyway (:meth:`inspect`, a :data:`~.located.MemberInspector`), or many at a
    time, read by one orjson call (:meth:`measure_all`). A text that reading plainly could change
    (:func:`~eventmatch.jsontext.written_back`), or that is invalid, is left to ``check_entry`` to read
    exactly and say why; a text written many times is measured once.
    """

    def __init__(self) -> None:
        self._measures: dict[str, _Measures | None] = {}  # None: to be read exactly

    def inspect(self, text: str, value: Any) -> None:
        """Measure ``text``, which :mod:`json` read as ``value``."""
        if text not in self._measures:
            written = written_back(text, value) if type(value) is dict else None
            self._measures[text] = None if written is None else self._measure(text, value, written)

    def measure_all(self, texts: Sequence[str]) -> None:
        """Measure those of ``texts`` not measured yet."""
        unseen = list(dict.fromkeys(text for text in texts if text not in self._measures))
        for first in range(0, len(unseen), BATCH):
            self._measure_batch(unseen[first : first + BATCH])

    def _measure_batch(self, texts: list[str]) -> None:
        values = read_plain_texts(texts)
        if values is not None:
            for text, value in zip(texts, values, strict=True):
                self._measures[text] = self._measure(text, value, orjson.dumps(value))
        elif len(texts) == 1:
            self._measures[texts[0]] = None
        else:  # halves, until the texts that cannot be read plainly are found
            self._measure_batch(texts[: len(texts) // 2])
            self._measure_batch(texts[len(texts) // 2 :])

    @staticmethod
    def _measure(text: str, value: Any, written: bytes) -> _Measures | None:
        try:
            rule = compile_read(value)
        except InvalidPatternError:
            return None
        size = len(written) if written.isascii() else len(written.decode())  # written: the compact text
        return _measured(rule, size, wildcards="wildcard" in text)

    def get(self, entry: RuleEntry) -> _Measures | None:
        """The measures of a plain entry (its size: as AWS counts it), when its text was measured."""
        measures = self._measures.get(str(entry.body))
        if measures is not None and entry.as_text:  # AWS receives the text as it is written
            return measures._replace(size=len(str(entry.body)))
        return measures


def check_entries(
    entries: Sequence[RuleEntry], limits: Limits = Limits(), measures: PlainMeasures | None = None
) -> list[RuleReport]:
    """check_entry of each entry, in order; a plain entry (an EventBridge rule's pattern written as
    JSON text, nothing in it resolved at deployment) from its :class:`PlainMeasures` (``measures``:
    those taken while its file was read)."""
    measures = PlainMeasures() if measures is None else measures
    plain = [_is_plain(entry) for entry in entries]
    reports: list[RuleReport] = []
    with collector_paused():  # reports pile up, and checking makes no reference cycles
        measures.measure_all(
            [str(entry.body) for entry, is_plain in zip(entries, plain, strict=True) if is_plain]
        )
        for entry, is_plain in zip(entries, plain, strict=True):
            measured = measures.get(entry) if is_plain else None
            reports.append(
                check_entry(entry, limits) if measured is None else _plain_report(entry, measured, limits)
            )
    return reports


def _plain_report(entry: RuleEntry, measures: _Measures, limits: Limits) -> RuleReport:
    quota = DEFAULT_SIZE_QUOTA if limits.size_quota is None else limits.size_quota
    # The usual case, nothing to say, reported at once:
    if measures.complexity <= limits.max_complexity and measures.size <= quota:
        return RuleReport(entry, Status.VALID, (), measures.complexity, measures.combinations, measures.size)
    result = _Result()
    _judge(entry, measures, GRAMMARS[entry.service], limits, result)
    return _verdict(entry, tuple(result.findings), (result,), False)
