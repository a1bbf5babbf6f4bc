"""``eventmatch match``: route a stream of JSON Lines events through a set of rules."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Final, TextIO

import orjson

from .common import EXIT_FAILED, EXIT_OK, STDIN, add_command, plural
from .inputs import Source, open_source
from .machines import build_machine, load_entries
from .options import add_format, add_language, add_rules_as, read_options
from .parallel import Answer, Pool, answer_lines, worker_count
from .progress import Progress

if TYPE_CHECKING:
    from .. import Machine

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

With --jobs N the rules are compiled once and shipped to N worker processes, which match batches of
lines (from streams too); the output is the same as with one process, in the input order.

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
  zcat archive.jsonl.gz | eventmatch match --rules rules.json --jobs 0 --format names -
"""

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
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="match in N worker processes (0: one per CPU; default 1); the output keeps the input order",
    )
    parser.set_defaults(run=run)


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"not a number of jobs (0 or more): {text!r}")
    return jobs


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


# Answers chunk by chunk: each chunk of lines with the answer for each of its lines.
Answering = Callable[[Iterable[list[Line]]], Iterator[tuple[list[Line], list[Answer]]]]


def _in_process(machine: Machine, sns: bool) -> Answering:
    def answer(chunks: Iterable[list[Line]]) -> Iterator[tuple[list[Line], list[Answer]]]:
        for chunk in chunks:
            yield chunk, answer_lines(machine, [line for _, line in chunk], sns)

    return answer


def _in_pool(pool: Pool) -> Answering:
    def answer(chunks: Iterable[list[Line]]) -> Iterator[tuple[list[Line], list[Answer]]]:
        return pool.answers((chunk, [line for _, line in chunk]) for chunk in chunks)

    return answer


class _Run:
    """The state of one ``match`` run: counts, and stderr shared with the progress bar.

    Regular files are read in chunks of lines, and so is every input when ``chunked`` (several
    worker processes); other streams line by line, so that each answer comes as soon as its line.
    """

    def __init__(
        self, answer: Answering, formatter: Callable[[Source, int, list[str]], str], chunked: bool
    ) -> None:
        self.answer = answer
        self.formatter = formatter
        self.chunked = chunked
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
        """Answer every line of ``source`` on ``out``, in order."""
        self.progress = None
        if source.size is not None and sys.stderr.isatty():
            self.progress = Progress(sys.stderr, source.label, source.size)
        size = CHUNK_LINES if self.chunked or source.size is not None else 1
        for chunk, answers in self.answer(_chunks(source.lines(), size)):
            for (number, _), answer in zip(chunk, answers, strict=True):
                if isinstance(answer, str):
                    self.bad_lines += 1
                    self.warn(f"{source.label}:{number}: {answer}")
                else:
                    self._write(source, number, answer, out)
            if self.progress is not None:
                self.progress.update(source.position())
        if self.progress is not None:
            self.progress.clear()

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
    workers = worker_count(args.jobs)
    with contextlib.ExitStack() as stack:
        if workers > 1:
            pool = stack.enter_context(Pool(machine, args.sns, workers))
            state = _Run(_in_pool(pool), formatter, chunked=True)
        else:
            state = _Run(_in_process(machine, args.sns), formatter, chunked=False)
        for name in inputs:
            with open_source(name) as source:
                state.read(source, sys.stdout)
    sys.stdout.flush()
    if args.summary:
        for line in state.summary(machine.rule_names()):
            print(line, file=sys.stderr)
    return EXIT_FAILED if state.bad_lines else EXIT_OK
