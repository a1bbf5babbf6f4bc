"""``eventmatch match``: route a stream of JSON Lines events through a set of rules."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Final, TextIO

from .answering import FORMATS, Answered, Job, answer_block
from .common import EXIT_FAILED, EXIT_OK, STDIN, add_command, plural
from .inputs import Source, open_source
from .machines import build_machine, load_entries
from .options import add_format, add_language, add_rules_as, read_options
from .parallel import Pool, worker_count
from .progress import Progress

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


#: Bytes of a regular file (or of any input, with --jobs) answered in one go.
BLOCK_BYTES: Final = 1024 * 1024


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``match`` command."""
    parser = add_command(commands, "match", DESCRIPTION, EPILOG)
    parser.add_argument("events", nargs="*", metavar="EVENTS", help="JSON Lines inputs (default: stdin)")
    parser.add_argument(
        "--rules", action="append", required=True, metavar="RULES", help="a file of rules (repeatable)"
    )
    add_rules_as(parser)
    add_language(parser)
    add_format(parser, *FORMATS)
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


class _Run:
    """The state of one ``match`` run: counts, and stderr shared with the progress bar.

    Regular files are read in blocks of lines, and so is every input with several worker
    processes; other streams line by line, so that each answer comes as soon as its line.
    """

    def __init__(self, job: Job, pool: Pool | None) -> None:
        self.job = job
        self.pool = pool
        self.counts: Counter[str] = Counter()
        self.events = 0
        self.matched_events = 0
        self.bad_lines = 0

    def _answers(self, source: Source) -> Iterator[Answered]:
        if self.pool is not None:
            return self.pool.answers(source, BLOCK_BYTES)
        blocks = source.blocks(BLOCK_BYTES if source.size is not None else 0)
        return (answer_block(self.job, source.label, first, block) for first, _, block in blocks)

    def read(self, source: Source, out: TextIO) -> None:
        """Answer every line of ``source`` on ``out``, in order."""
        progress = None
        if source.size is not None and sys.stderr.isatty():
            progress = Progress(sys.stderr, source.label, source.size)
        for answered in self._answers(source):
            if answered.bad_lines:
                if progress is not None:
                    progress.clear()
                print("\n".join(answered.bad_lines), file=sys.stderr)
            out.write(answered.output)
            self.bad_lines += len(answered.bad_lines)
            self.events += answered.events
            self.matched_events += answered.matched_events
            self.counts.update(answered.counts)
            if progress is not None:
                progress.update(source.position())
        if progress is not None:
            progress.clear()

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
    job = Job(machine, args.sns, args.format, several=len(inputs) > 1)
    workers = worker_count(args.jobs)
    with contextlib.ExitStack() as stack:
        pool = stack.enter_context(Pool(job, workers)) if workers > 1 else None
        state = _Run(job, pool)
        for name in inputs:
            with open_source(name) as source:
                state.read(source, sys.stdout)
    sys.stdout.flush()
    if args.summary:
        for line in state.summary(machine.rule_names()):
            print(line, file=sys.stderr)
    return EXIT_FAILED if state.bad_lines else EXIT_OK
