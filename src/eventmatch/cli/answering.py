"""Answering a block of JSON Lines for ``eventmatch match``: the output text, the bad-line reports
and the counts of a run of whole lines, made in one go.

A block is all a worker process needs (its lines, the number of its first line, its input's
label), so ``--jobs`` sends blocks of bytes out and gets text back, and one process or many
write the same output.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import orjson

from ..errors import EventmatchError
from .sns import message_parts

if TYPE_CHECKING:
    from .. import Machine

__all__ = ["FORMATS", "Answered", "Job", "answer_block", "answer_lines"]

FORMATS = ("jsonl", "names", "count")

# What a line gets: the names of the rules it matches, or why it is not an event.
Answer = list[str] | str
# One output line from (input label, line number, names).
Formatter = Callable[[str, int, list[str]], str]


def _json_line(document: dict[str, object]) -> str:
    """``document`` as compact JSON; a rule name holding a lone surrogate (JSON text allows
    one, UTF-8 does not) is written as its ``\\ud800`` escape, which orjson refuses to do."""
    try:
        return orjson.dumps(document).decode()
    except TypeError:
        return json.dumps(document, separators=(",", ":"))


def _formatter(name: str, several: bool) -> Formatter:
    if name == "names":
        return lambda label, number, names: " ".join(names)
    if name == "count":
        return lambda label, number, names: str(len(names))
    if several:
        return lambda label, number, names: _json_line({"file": label, "line": number, "matches": names})
    return lambda label, number, names: _json_line({"line": number, "matches": names})


@dataclass(frozen=True)
class Job:
    """What every block of one run is answered with: the rules, the language, the output format
    (``several``: there are several inputs, so JSON lines name their file)."""

    machine: Machine
    sns: bool
    format: str
    several: bool

    def formatter(self) -> Formatter:
        return _formatter(self.format, self.several)


@dataclass
class Answered:
    """The answers to a block: output text (whole lines), bad-line reports and counts."""

    output: str = ""
    bad_lines: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    events: int = 0
    matched_events: int = 0


def answer_lines(machine: Machine, lines: list[bytes], sns: bool) -> list[Answer]:
    """The answer for each line: one ``match_many`` call for EventBridge events, line by line
    when that meets a line that is not an event (or for SNS messages)."""
    if not sns:
        try:
            return list(machine.match_many(lines))
        except EventmatchError:
            pass  # some line is not an event: answer line by line
    answers: list[Answer] = []
    for line in lines:
        try:
            if sns:
                attributes, body = message_parts(line)
                answers.append(machine.match_message(message_attributes=attributes, body=body))
            else:
                answers.append(machine.match(line))
        except EventmatchError as exc:
            answers.append(str(exc))
    return answers


def answer_block(job: Job, label: str, first: int, block: bytes) -> Answered:
    """Answer the lines of ``block`` (whole lines; the first is line ``first`` of ``label``).
    Blank lines are skipped, but counted in the line numbers."""
    numbered = [
        (number, line.rstrip(b"\r"))
        for number, line in enumerate(block.split(b"\n"), first)
        if line and not line.isspace()
    ]
    answers = answer_lines(job.machine, [line for _, line in numbered], job.sns)
    answered = Answered()
    formatter = job.formatter()
    output: list[str] = []
    for (number, _), answer in zip(numbered, answers, strict=True):
        if isinstance(answer, str):
            answered.bad_lines.append(f"{label}:{number}: {answer}")
            continue
        output.append(formatter(label, number, answer) + "\n")
        answered.events += 1
        answered.matched_events += bool(answer)
        answered.counts.update(answer)
    answered.output = "".join(output)
    return answered
