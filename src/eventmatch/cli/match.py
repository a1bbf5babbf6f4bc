"""``eventmatch match``: route a stream of JSON Lines events through a set of rules."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from typing import Final, TextIO

import orjson

from ..errors import EventmatchError
from .common import EXIT_FAILED, EXIT_OK, STDIN, add_command, plural
from .inputs import Source, open_source
from .machines import build_machine, load_entries
from .options import add_format, add_language, add_rules_as, read_options
from .progress import Progress
from .sns import message_parts

__all__ = ["register"]

DESCRIPTION = """\
Match every event of the EVENTS (JSON Lines: files, '-' for stdin, gzip-compressed or not) against the
rules, and print one line per event:

  jsonl   {"line": N, "matches": ["rule", ...]} (with "file" first when there are several inputs)
  names   the names of the rules that match, separated by spaces (an empty line for none)
  count   the number of rules that match

Blank lines are skipped. A line that is not an event is reported on stderr as FILE:LINE: REASON and
the stream goes on. Files are matched in batches of lines; stdin and other streams line by line, so
that each answer comes as soon as its line does.

RULES is a rules file, a pattern file, JSON Lines of patterns or a CloudFormation / SAM template, as
'eventmatch validate' reads them; --rules may be given more than once. A name given twice means OR.

With --sns the rules are SNS filter policies, and each line is a message: {"attributes": {...}} (or
"MessageAttributes", SNS's {"Name": {"Type": "String", "Value": "..."}} form) and/or {"body": ...};
any other line is taken as a raw message body.
"""

EPILOG = """\
exit status: 0 when every line was an event, 1 when some line was not, 2 when the rules cannot be used
or an input cannot be read.

examples:
  eventmatch match --rules rules.json events.jsonl
  eventmatch match --rules template.yaml --format names --summary events.jsonl.gz
  some-producer | eventmatch match --rules rules.json - | jq -c 'select(.matches != [])'
  eventmatch match --sns --rules sns-policies.json sns-messages.jsonl
"""

Matcher = Callable[[bytes], list[str]]
BatchMatcher = Callable[[list[bytes]], list[list[str]]]
Line = tuple[int, bytes]  # (line number, line)

#: Lines of a regular file matched with one ``match_many`` call.
CHUNK_LINES: Final = 1024


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``match`` command."""
    parser = add_command(
        commands, "match", "match a stream of JSON Lines events against rules", DESCRIPTION, EPILOG
    )
    parser.add_argument("events", nargs="*", metavar="EVENTS", help="JSON Lines inputs (default: stdin)")
    parser.add_argument(
        "--rules", action="append", required=True, metavar="RULES", help="a file of rules (repeatable)"
    )
    add_rules_as(parser)
    add_language(parser)
    add_format(parser, "jsonl", "names", "count")
    parser.add_argument(
        "--summary",
        action="store_true",
        help="at the end, print on stderr how many events each rule matched, and the rules that matched none",
    )
    parser.set_defaults(run=run)


def _sns_matcher(match_message: Callable[..., list[str]]) -> Matcher:
    def match(line: bytes) -> list[str]:
        attributes, body = message_parts(line)
        return match_message(message_attributes=attributes, body=body)

    return match


def _formatter(name: str, several: bool) -> Callable[[Source, int, list[str]], str]:
    if name == "names":
        return lambda source, number, names: " ".join(names)
    if name == "count":
        return lambda source, number, names: str(len(names))
    if several:
        return lambda source, number, names: orjson.dumps(
            {"file": source.label, "line": number, "matches": names}
        ).decode()
    return lambda source, number, names: orjson.dumps({"line": number, "matches": names}).decode()


def _chunks(lines: Iterator[Line], size: int) -> Iterator[list[Line]]:
    """``lines`` in lists of ``size`` (the last one shorter)."""
    while chunk := list(islice(lines, size)):
        yield chunk


class _Run:
    """The state of one ``match`` run: counts, and stderr shared with the progress bar.

    ``match_many``, when given, answers a chunk of lines in one call; a chunk holding a line that is
    not an event is matched again line by line with ``matcher``, which reports that line and answers
    the others.
    """

    def __init__(
        self,
        matcher: Matcher,
        match_many: BatchMatcher | None,
        formatter: Callable[[Source, int, list[str]], str],
    ) -> None:
        self.matcher = matcher
        self.match_many = match_many
        self.formatter = formatter
        self.counts: Counter[str] = Counter()
        self.events = 0
        self.matched_events = 0
        self.bad_lines = 0
        self.progress: Progress | None = None

    def warn(self, message: str) -> None:
        if self.progress is not None:
            self.progress.clear()
        print(message, file=sys.stderr)

    def read(self, source: Source, out: TextIO) -> None:
        """Answer every line of ``source`` on ``out``, in order; a regular file in chunks."""
        self.progress = None
        if source.size is not None and sys.stderr.isatty():
            self.progress = Progress(sys.stderr, source.label, source.size)
        for chunk in _chunks(source.lines(), CHUNK_LINES if source.size is not None else 1):
            self._answer(source, chunk, out)
            if self.progress is not None:
                self.progress.update(source.position())
        if self.progress is not None:
            self.progress.clear()

    def _answer(self, source: Source, chunk: list[Line], out: TextIO) -> None:
        """Write the answers for ``chunk``: in one ``match_many`` call, or line by line when that fails."""
        if self.match_many is not None:
            try:
                answers = self.match_many([line for _, line in chunk])
            except EventmatchError:
                pass  # some line is not an event: go through the chunk line by line
            else:
                for (number, _), names in zip(chunk, answers, strict=True):
                    self._write(source, number, names, out)
                return
        for number, line in chunk:
            try:
                names = self.matcher(line)
            except EventmatchError as exc:
                self.bad_lines += 1
                self.warn(f"{source.label}:{number}: {exc}")
            else:
                self._write(source, number, names, out)

    def _write(self, source: Source, number: int, names: list[str], out: TextIO) -> None:
        """Write the answer for line ``number`` and count it."""
        out.write(self.formatter(source, number, names) + "\n")
        self.events += 1
        self.matched_events += bool(names)
        self.counts.update(names)

    def summary(self, rule_names: Sequence[str]) -> list[str]:
        lines = [
            f"{plural(self.events, 'event')}, {self.matched_events} matched a rule, "
            f"{plural(self.bad_lines, 'bad line')}",
            "matches per rule:",
        ]
        width = len(str(max(self.counts.values(), default=0)))
        lines.extend(f"  {self.counts[name]:>{width}}  {name}" for name in rule_names)
        unused = [name for name in rule_names if not self.counts[name]]
        if unused:
            lines.append(f"rules that matched nothing (often typos): {', '.join(unused)}")
        return lines


def run(args: argparse.Namespace) -> int:
    """Match the events; return the exit status."""
    entries, warnings = load_entries(args.rules, read_options(args, args.rules_as))
    for warning in warnings:
        print(warning, file=sys.stderr)
    machine = build_machine(entries)
    inputs = args.events or [STDIN]
    formatter = _formatter(args.format, len(inputs) > 1)
    if args.sns:  # SNS messages are matched one by one
        state = _Run(_sns_matcher(machine.match_message), None, formatter)
    else:
        state = _Run(machine.match, machine.match_many, formatter)
    for name in inputs:
        with open_source(name) as source:
            state.read(source, sys.stdout)
    sys.stdout.flush()
    if args.summary:
        for line in state.summary(machine.rule_names()):
            print(line, file=sys.stderr)
    return EXIT_FAILED if state.bad_lines else EXIT_OK
