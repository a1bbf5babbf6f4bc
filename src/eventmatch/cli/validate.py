"""``eventmatch validate``: check patterns as AWS would, wherever they are written."""

from __future__ import annotations

import argparse
import functools
import heapq
import operator
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Final, TextIO

from ..collector import collector_paused
from .checks import (
    COMPLEXITY_THRESHOLD,
    DEFAULT_SIZE_QUOTA,
    MAX_SIZE_QUOTA,
    Limits,
    PlainMeasures,
    RuleReport,
    Status,
    check_entries,
)
from .common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    Finding,
    Severity,
    Where,
    add_command,
    plural,
    print_json,
)
from .entries import Kind, duplicate_names
from .options import add_format, add_language, read_options
from .rulefiles import Layout, load_rules

__all__ = ["register"]

DESCRIPTION = f"""\
Check EventBridge event patterns, Lambda and EventBridge Pipes filters and SNS filter policies as AWS
would, and report each problem as FILE:LINE:COLUMN: RULE: PATH: REASON.

PATH is a pattern file (one JSON object), a rules file (a JSON object mapping rule names to patterns), a
JSON Lines file (one pattern, or {{"name": ..., "pattern": ...}}, per line), a CloudFormation / SAM
template in YAML or JSON (AWS::Events::Rule, AWS::SNS::Subscription, AWS::Pipes::Pipe,
AWS::Lambda::EventSourceMapping and the Events of AWS::Serverless::Function) or a Serverless Framework
serverless.yml (the eventBridge, cloudwatchEvent, sns and filterPatterns of each function's events, and
its resources). A file that is none of these is an error (exit 2).

A JSON object whose top-level values are all objects, none of them an EventBridge envelope field
(source, detail-type, detail, ...), is read as a rules file; one whose top-level values are arrays or
objects as one pattern; --rules and --pattern force the choice.

Lambda event source mapping and Pipes filters are checked by those services' rules: an operator they do
not accept (wildcard, cidr, anything-but with prefix, ... see the Lambda and EventBridge Pipes guides)
is an error. So is a wildcard complexity above {COMPLEXITY_THRESHOLD} (--max-complexity): AWS rejects such a
pattern as "Rule is too complex". An EventBridge pattern longer than the default quota of
{DEFAULT_SIZE_QUOTA:,} characters is a warning (the quota can be raised up to {MAX_SIZE_QUOTA:,}: give yours
with --size-quota and a pattern above it is an error); above {MAX_SIZE_QUOTA:,} characters it is an error,
as it is for a filter. Each valid pattern's wildcard complexity, $or combination count and size are
reported.

CloudFormation intrinsic functions (!Ref, !Sub, !GetAtt, ...) and Serverless variables (${{self:...}})
are resolved only at deployment: each stands for an unknown string, !If has both branches checked, and
only what depends on the unknown value (a whole value list, a numeric, exists or cidr operand, a whole
wildcard ...) is left unchecked, with a warning.
"""

EPILOG = """\
exit status: 0 when everything is valid, 1 when something is invalid (or, with --strict, has a warning),
2 on usage errors, unreadable files and files that are none of the kinds above.

examples:
  eventmatch validate pattern.json
  eventmatch validate rules.json template.yaml serverless.yml
  eventmatch validate --size-quota 4096 --strict template.yaml
  eventmatch validate --quiet --format json template.yaml | jq '.findings[]'
  eventmatch validate --sns --scope MessageBody policies.json
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``validate`` command."""
    parser = add_command(commands, "validate", DESCRIPTION, EPILOG)
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files to check ('-' for stdin)")
    layout = parser.add_mutually_exclusive_group()
    layout.add_argument(
        "--rules",
        dest="layout",
        action="store_const",
        const=Layout.RULES,
        help="read JSON objects as rules files",
    )
    layout.add_argument(
        "--pattern",
        dest="layout",
        action="store_const",
        const=Layout.PATTERN,
        help="read JSON objects as one pattern",
    )
    add_language(parser)
    add_format(parser, "text", "json")
    limits = parser.add_argument_group("limits")
    limits.add_argument(
        "--max-complexity",
        type=int,
        default=COMPLEXITY_THRESHOLD,
        metavar="N",
        help="the highest wildcard complexity accepted (default: %(default)s)",
    )
    limits.add_argument(
        "--size-quota",
        type=_size_quota,
        metavar="CHARS",
        help=f"your account's EventBridge pattern size quota (up to {MAX_SIZE_QUOTA}): patterns above it "
        f"are errors (default: a warning above {DEFAULT_SIZE_QUOTA})",
    )
    parser.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    parser.add_argument("-q", "--quiet", action="store_true", help="print problems only")
    parser.set_defaults(run=run)


def _size_quota(text: str) -> int:
    quota = int(text)
    if not 0 < quota <= MAX_SIZE_QUOTA:
        raise argparse.ArgumentTypeError(f"the quota is at most {MAX_SIZE_QUOTA} characters")
    return quota


@dataclass
class _FileResult:
    """What was found in one file: a report per pattern, and every finding in line order."""

    reports: list[RuleReport]
    findings: list[Finding]


@dataclass
class _Outcome:
    """What ``validate`` found: counts over the files read and, for ``--format json``, their results
    (text is printed file by file, so that a file's reports need not outlive it)."""

    keep: bool
    results: list[_FileResult] = field(default_factory=list)
    files: int = 0
    unreadable: int = 0
    statuses: Counter[Status] = field(default_factory=Counter)
    severities: Counter[Severity] = field(default_factory=Counter)

    def add(self, result: _FileResult) -> None:
        self.files += 1
        self.statuses.update(report.status for report in result.reports)
        self.severities.update(finding.severity for finding in result.findings)
        if self.keep:
            self.results.append(result)

    def summary(self) -> dict[str, int]:
        return {
            "files": self.files,
            "patterns": self.statuses.total(),
            **{status.value: self.statuses[status] for status in Status},
            "errors": self.severities[Severity.ERROR],
            "warnings": self.severities[Severity.WARNING],
        }


def _check_file(path: str, args: argparse.Namespace, measures: PlainMeasures) -> _FileResult:
    loaded = load_rules(path, read_options(args, args.layout), measures.inspect)
    limits = Limits(args.max_complexity, args.size_quota)
    reports = check_entries(loaded.entries, limits, measures)
    findings = [*loaded.findings, *duplicate_names(loaded.entries)]
    for report in reports:
        findings.extend(report.findings)
    if not loaded.entries and not loaded.findings:
        findings.append(
            Finding(Where(path), "no event patterns or filter policies found", severity=Severity.WARNING)
        )
    findings.sort(key=lambda finding: (finding.where.line, finding.where.column))
    return _FileResult(reports, findings)


def _describe(report: RuleReport) -> str:
    entry = report.entry
    if entry.kind is Kind.SNS:
        combinations = plural(report.or_combinations or 0, "$or combination")
        return f"{entry.where}: {entry.name}: valid SNS filter policy ({entry.scope}), {combinations}"
    measures = _measures(report.wildcard_complexity or 0, report.or_combinations or 0, report.size or 0)
    return f"{entry.where}: {entry.name}: {measures}"


@functools.lru_cache(maxsize=4096)  # a large file's patterns have few distinct measures
def _measures(complexity: int, combinations: int, size: int) -> str:
    return (
        f"valid: wildcard complexity {complexity}, {plural(combinations, '$or combination')}, "
        f"{plural(size, 'character')}"
    )


#: Where a report's pattern was written, ``(line, column)``: what reports are printed in the order of.
_PLACE: Final = operator.attrgetter("entry.where.line", "entry.where.column")


def _print_file(result: _FileResult, quiet: bool, out: TextIO) -> None:
    """The file's findings and (unless ``quiet``) its valid patterns, in line order."""
    reports = [] if quiet else result.reports
    valid = [report for report in reports if report.status is Status.VALID and not report.findings]
    # In the order files list them, mostly: then sorting takes one pass.
    valid.sort(key=_PLACE)
    if not result.findings:  # a large file's usual case: nothing to merge, one line per pattern
        out.writelines(f"{_describe(report)}\n" for report in valid)
        return
    lines = heapq.merge(  # at one place, the finding first
        (((finding.where.line, finding.where.column), str(finding)) for finding in result.findings),
        ((_PLACE(report), _describe(report)) for report in valid),
        key=operator.itemgetter(0),
    )
    out.writelines(f"{line}\n" for _, line in lines)


def _print_summary(outcome: _Outcome, out: TextIO) -> None:
    summary = outcome.summary()
    out.write(
        f"{plural(summary['patterns'], 'pattern')} in {plural(summary['files'], 'file')}: "
        f"{summary['valid']} valid, {summary['invalid']} invalid, {summary['unchecked']} not checked; "
        f"{plural(summary['errors'], 'error')}, {plural(summary['warnings'], 'warning')}\n"
    )


def _json_document(outcome: _Outcome, status: int) -> dict[str, Any]:
    return {
        "ok": status == EXIT_OK,
        "summary": outcome.summary(),
        "rules": [report.as_json() for result in outcome.results for report in result.reports],
        "findings": [finding.as_json() for result in outcome.results for finding in result.findings],
    }


def run(args: argparse.Namespace) -> int:
    """Check every PATH; print the findings; return the exit status.

    When no PATH can be read, only the reasons are printed (on stderr): there is nothing to sum up.
    """
    with collector_paused():  # objects for each of maybe 100,000s of patterns, and no cycles among them
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    text = args.format == "text"
    outcome = _Outcome(keep=not text)
    measures = PlainMeasures()  # shared: the same patterns are often in several files
    for path in args.paths:
        try:
            result = _check_file(path, args, measures)
        except CliError as exc:
            print(f"eventmatch: {exc}", file=sys.stderr)
            outcome.unreadable += 1
            continue
        outcome.add(result)
        if text:
            _print_file(result, args.quiet, sys.stdout)
    failed = outcome.severities[Severity.ERROR] or (args.strict and outcome.severities[Severity.WARNING])
    status = EXIT_USAGE if outcome.unreadable else EXIT_FAILED if failed else EXIT_OK
    if not outcome.files:
        return status
    if not text:
        print_json(_json_document(outcome, status), sys.stdout)
    elif not args.quiet:
        _print_summary(outcome, sys.stdout)
    return status
