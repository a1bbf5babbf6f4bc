"""``eventmatch analyze``: what a rule set does before it ships (see :mod:`eventmatch.analysis`)."""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..analysis import Exclusive, FindingKind, Message, RuleFinding, Sample, Subject, analyze, json_text
from ..analysis.budget import DEFAULT_STEPS, Budget
from ..analysis.examples import rule_examples, rule_near_misses, world_of
from ..analysis.ruleset import NEAREST_AMONG
from ..errors import InvalidEventError, InvalidPatternError, UnsatisfiablePatternError
from ..events import parse_event
from ..pattern import compile_pattern
from ..sns import compile_policy_rule, message_event
from .common import EXIT_FAILED, EXIT_OK, CliError, Finding, Severity, add_command, plural
from .entries import Kind, RuleEntry
from .inputs import open_source
from .options import add_format, add_language, read_options
from .rulefiles import Layout, load_rules
from .sns import message_parts
from .targets import shared_targets

__all__ = ["register"]

DESCRIPTION = f"""\
Analyse EventBridge event patterns and SNS filter policies before they ship, and report, per rule:

  never-matches         no event can match it (a numeric range with no number inside, a $or whose every
                        alternative is dead); dead-alternative: one $or alternative is
  matches-everything    every event matches it (e.g. [{{"exists": true}}, {{"exists": false}}] as its only
                        condition)
  overridden-condition  a path written twice (a repeated key, a dotted key and a nested object, a key
                        beside $or and in a branch): only the last one counts
  duplicate             another rule has the same meaning (value order, $or order, number spellings...
                        do not matter)
  subsumed              every event that matches it matches another rule (reported only when proven)
  overlap               an event matches two rules meant to be exclusive (shown): rules of a template
                        routed to the same target (an EventBridge rule's target on one bus, an SNS
                        subscription's endpoint on one topic, a SAM function's events), and the rules
                        named together with --exclusive. The event shown has one value per field: an
                        overlap only through an array holding the values of both rules is not reported
  unmatched-in-sample   with --events: no sample event matched it; the nearest miss is shown (looked for
                        among the first {NEAREST_AMONG:,} sample events)

A question that cannot be settled within the step budget (--budget: automaton states explored and values
tried per question about one rule or one pair of rules, default {DEFAULT_STEPS:,}; wildcards against
wildcards, long value lists) is reported as unknown, never guessed. Rules are compared with the rules of
their own language and service only (EventBridge buses, Pipes, Lambda filters; SNS).

FILE is read as 'eventmatch validate' reads it: a pattern, a rules file, JSON Lines or a CloudFormation /
SAM template; patterns holding intrinsic functions are left out, invalid ones reported.

--fixtures DIR writes, for each rule, DIR/RULE.json: {{"rule", "file", "matching": [events],
"near_misses": [{{"event", "alternative", "path", "condition", "reason"}}]}}; for SNS policies the events are
messages as 'eventmatch match --sns' reads them ({{"attributes": ..., "body": ...}}).
"""

EPILOG = """\
exit status: 0 when nothing is found, 1 when something is (unknowns and warnings alone do not count),
2 on usage errors and unreadable files.

examples:
  eventmatch analyze examples/analyze-rules.json --exclusive orders-eu,orders-big
  eventmatch analyze template.yaml --events sample.jsonl --format json
  eventmatch analyze --sns policies.json --fixtures tests/fixtures
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``analyze`` command."""
    parser = add_command(commands, "analyze", DESCRIPTION, EPILOG)
    parser.add_argument("paths", nargs="+", metavar="FILE", help="rule files and templates ('-' for stdin)")
    layout = parser.add_mutually_exclusive_group()
    for flag, value in (("--rules", Layout.RULES), ("--pattern", Layout.PATTERN)):
        layout.add_argument(
            flag,
            dest="layout",
            action="store_const",
            const=value,
            help=f"read JSON objects as {value.value}s",
        )
    add_language(parser)
    parser.add_argument(
        "--exclusive",
        action="append",
        default=[],
        metavar="RULE,RULE[,...]",
        help="rules meant never to match the same event (may be given several times)",
    )
    parser.add_argument(
        "--events", metavar="FILE", help="sample events (JSON Lines; SNS messages with --sns), '-' for stdin"
    )
    parser.add_argument(
        "--fixtures", metavar="DIR", type=Path, help="write example and near-miss events here"
    )
    parser.add_argument(
        "--budget",
        type=int,
        default=DEFAULT_STEPS,
        metavar="STEPS",
        help="steps per question before it is reported as unknown (default: %(default)s)",
    )
    add_format(parser, "text", "json")
    parser.set_defaults(run=run)


@dataclass(frozen=True, slots=True)
class _Loaded:
    """The rules to analyse, where each was written, and what stopped others."""

    subjects: list[Subject]
    entries: list[RuleEntry]
    problems: list[Finding]


def _subject(entry: RuleEntry) -> Subject:
    if entry.kind is Kind.SNS:
        return Subject(
            entry.name, compile_policy_rule(entry.body, entry.scope or ""), True, "sns", entry.body
        )
    return Subject(entry.name, compile_pattern(entry.body).rule, False, entry.service.value, entry.body)


def _load(args: argparse.Namespace) -> _Loaded:
    loaded = _Loaded([], [], [])
    for path in args.paths:
        rules = load_rules(path, read_options(args, args.layout))
        loaded.problems.extend(rules.findings)
        for entry in rules.entries:
            if entry.intrinsic is not None:
                message = "left out: holds a value known only at deployment"
                loaded.problems.append(
                    Finding(entry.where, message, entry.name, entry.intrinsic, Severity.WARNING)
                )
                continue
            try:
                subject = _subject(entry)
            except InvalidPatternError as exc:
                loaded.problems.append(Finding(entry.where, f"invalid: {exc.reason}", entry.name, exc.path))
                continue
            loaded.subjects.append(subject)
            loaded.entries.append(entry)
    return loaded


def _exclusive(args: argparse.Namespace, loaded: _Loaded) -> list[Exclusive]:
    groups = []
    for option in args.exclusive:
        names = [name.strip() for name in option.split(",") if name.strip()]
        missing = [name for name in names if not any(s.name == name for s in loaded.subjects)]
        if missing:
            raise CliError(f"--exclusive: no rule named {', '.join(missing)}")
        members = tuple(i for i, subject in enumerate(loaded.subjects) if subject.name in names)
        groups.append(Exclusive("named with --exclusive", members))
    for path in args.paths:
        for label, names in shared_targets(path):
            members = tuple(
                index
                for index, entry in enumerate(loaded.entries)
                if entry.where.file == path and entry.name in names
            )
            groups.append(Exclusive(f"both {label}", members))
    return groups


def _sample(path: str, sns: bool) -> list[Sample]:
    samples = []
    with open_source(path) as source:
        for number, line in source.lines():
            label = f"{source.label}:{number}"
            try:
                if sns:
                    attributes, body = message_parts(line)
                    shown = Message(attributes, body).as_json()
                    samples.append(Sample(label, message_event(attributes, body), shown))
                else:
                    event = parse_event(line)  # a repeated key: show its last value, as JSON readers do
                    samples.append(Sample(label, line, dict(event) if isinstance(event, list) else event))
            except InvalidEventError as exc:
                print(f"{label}: {exc}", file=sys.stderr)
    return samples


def _shown(event: Any) -> Any:
    return event.as_json() if isinstance(event, Message) else event


def _safe(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "rule"
    chosen, count = base, 1
    while chosen.lower() in taken:
        count += 1
        chosen = f"{base}-{count}"
    taken.add(chosen.lower())
    return chosen


def _write_fixtures(directory: Path, loaded: _Loaded, steps: int) -> int:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"cannot write to {directory}: {exc.strerror or exc}") from None
    taken: set[str] = set()
    written = 0
    for subject, entry in zip(loaded.subjects, loaded.entries, strict=True):
        world = world_of(subject.rule, subject.sns)
        try:
            examples = rule_examples(subject.rule, world, Budget(steps))
        except UnsatisfiablePatternError:
            continue  # nothing matches it: reported as never-matches
        misses = rule_near_misses(subject.rule, world, Budget(steps))
        document = {
            "rule": subject.name,
            "file": str(entry.where),
            "matching": [_shown(example) for example in examples],
            "near_misses": [
                {
                    "event": _shown(miss.event),
                    "alternative": miss.alternative,
                    "path": miss.path,
                    "condition": miss.condition,
                    "reason": miss.reason,
                }
                for miss in misses
            ],
        }
        target = directory / f"{_safe(subject.name, taken)}.json"
        target.write_text(json_text(document, indent=2) + "\n", encoding="utf-8")
        written += 1
    return written


def _finding_json(finding: RuleFinding, loaded: _Loaded) -> dict[str, Any]:
    entry = loaded.entries[finding.subject]
    return {
        "file": entry.where.file,
        "line": entry.where.line,
        "column": entry.where.column,
        "rule": entry.name,
        "kind": finding.kind.value,
        "message": finding.message,
        "others": [loaded.subjects[other].name for other in finding.others],
        "event": _shown(finding.event),
    }


def _print_text(findings: Sequence[RuleFinding], loaded: _Loaded, summary: str, out: TextIO) -> None:
    for problem in loaded.problems:
        out.write(f"{problem}\n")
    for finding in findings:
        entry = loaded.entries[finding.subject]
        out.write(f"{entry.where}: {entry.name}: {finding.kind.value}: {finding.message}\n")
        if finding.event is not None:
            out.write(f"    event: {json_text(_shown(finding.event))}\n")
    out.write(summary + "\n")


def _summary(findings: Sequence[RuleFinding], loaded: _Loaded, files: int) -> tuple[str, dict[str, int]]:
    kinds = Counter(finding.kind for finding in findings)
    counts = {kind.value: kinds[kind] for kind in FindingKind if kinds[kind]}  # in the order of --help
    invalid = sum(problem.severity is Severity.ERROR for problem in loaded.problems)
    numbers = {"files": files, "rules": len(loaded.subjects), "invalid": invalid, **counts}
    found = ", ".join(f"{count} {kind}" for kind, count in counts.items()) or "nothing found"
    text = f"{plural(len(loaded.subjects), 'rule')} in {plural(files, 'file')}: {found}"
    return (text + f"; {plural(invalid, 'invalid pattern')}" if invalid else text), numbers


def run(args: argparse.Namespace) -> int:
    """Analyse every FILE; print the findings; return the exit status."""
    if args.budget < 1:
        raise CliError("--budget must be a positive number of steps")
    loaded = _load(args)
    exclusive = _exclusive(args, loaded)
    sample = _sample(args.events, args.sns) if args.events else []
    findings = analyze(loaded.subjects, exclusive, sample, sample_sns=args.sns, steps=args.budget)
    if args.fixtures is not None:
        written = _write_fixtures(args.fixtures, loaded, args.budget)
        print(f"wrote {plural(written, 'fixture file')} to {args.fixtures}", file=sys.stderr)
    failed = any(finding.kind is not FindingKind.UNKNOWN for finding in findings) or any(
        problem.severity is Severity.ERROR for problem in loaded.problems
    )
    status = EXIT_FAILED if failed else EXIT_OK
    summary, numbers = _summary(findings, loaded, len(args.paths))
    if args.format == "json":
        document = {
            "ok": status == EXIT_OK,
            "summary": numbers,
            "problems": [problem.as_json() for problem in loaded.problems],
            "findings": [_finding_json(finding, loaded) for finding in findings],
        }
        sys.stdout.write(json_text(document, indent=2) + "\n")
    else:
        _print_text(findings, loaded, summary, sys.stdout)
    return status
