"""Answering chunks of event lines, in this process or in a pool of worker processes (``--jobs``).

The compiled Machine goes to each worker once, when the worker starts (inherited where processes
fork, pickled otherwise); chunks of lines go out and their answers come back, and the answers are
taken in input order, with a bounded number of chunks in flight, so the output is the same as one
process's, line for line, whatever the number of workers.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, TypeAlias, TypeVar

from ..errors import EventmatchError
from .sns import message_parts

if TYPE_CHECKING:
    from .. import Machine

__all__ = ["Answer", "Pool", "answer_lines", "worker_count"]

# What a line gets: the names of the rules it matches, or why it is not an event.
Answer: TypeAlias = "list[str] | str"

Tag = TypeVar("Tag")

#: Chunks in flight per worker: enough to keep every worker busy while answers are written.
CHUNKS_PER_WORKER = 3


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


def worker_count(jobs: int) -> int:
    """The number of workers ``--jobs`` asks for: 0 means one per CPU this process may use."""
    if jobs > 0:
        return jobs
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# The worker's own copy of the Machine, set once by _start_worker.
_worker_machine: Machine | None = None


def _start_worker(machine: Machine) -> None:
    global _worker_machine
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    _worker_machine = machine


def _answer_in_worker(lines: list[bytes], sns: bool) -> list[Answer]:
    assert _worker_machine is not None
    return answer_lines(_worker_machine, lines, sns)


class Pool:
    """``workers`` processes answering chunks of lines against ``machine``; a context manager.

    Leaving the ``with`` block by an exception (Ctrl-C among them) cancels the chunks not started
    and does not wait for the workers.
    """

    def __init__(self, machine: Machine, sns: bool, workers: int) -> None:
        machine.match_many([])  # compile the snapshot once here, so forked workers inherit it
        self.sns = sns
        self.workers = workers
        self.executor = ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(machine,))

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.executor.shutdown(wait=kind is None, cancel_futures=True)

    def answers(self, chunks: Iterable[tuple[Tag, list[bytes]]]) -> Iterator[tuple[Tag, list[Answer]]]:
        """``(tag, answers)`` for each ``(tag, lines)`` of ``chunks``, in their order."""
        in_flight: deque[tuple[Tag, Future[list[Answer]]]] = deque()
        limit = self.workers * CHUNKS_PER_WORKER
        for tag, lines in chunks:
            in_flight.append((tag, self.executor.submit(_answer_in_worker, lines, self.sns)))
            if len(in_flight) >= limit:
                done, answers = in_flight.popleft()
                yield done, answers.result()
        while in_flight:
            done, answers = in_flight.popleft()
            yield done, answers.result()
