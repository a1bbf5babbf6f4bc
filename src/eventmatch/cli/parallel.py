"""Answering blocks of event lines in a pool of worker processes (``eventmatch match --jobs``).

The job (the compiled Machine and the output format) goes to each worker once, when the worker
starts (inherited where processes fork, pickled otherwise); blocks of bytes go out and their
output text comes back. Answers are taken in input order, with a bounded number of blocks in
flight, so the output is the same as one process's, byte for byte, whatever the number of workers.
"""

from __future__ import annotations

import gc
import os
import signal
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from .answering import Answered, Job, answer_block
from .inputs import Source

__all__ = ["Pool", "worker_count"]

#: Blocks in flight per worker: enough to keep every worker busy while answers are written.
BLOCKS_PER_WORKER = 3


def worker_count(jobs: int) -> int:
    """The number of workers ``--jobs`` asks for: 0 means one per CPU this process may use."""
    if jobs > 0:
        return jobs
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# The worker's job, set once by _start_worker.
_worker_job: Job | None = None


def _start_worker(job: Job) -> None:
    global _worker_job
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the pool
    _worker_job = job


def _answer_in_worker(label: str, first: int, block: bytes | tuple[str, int, int]) -> Answered:
    """Answer a block given as bytes, or as (path, offset, length) of a file to read it from."""
    assert _worker_job is not None
    if isinstance(block, tuple):
        path, offset, length = block
        with open(path, "rb") as file:
            file.seek(offset)
            block = file.read(length)
    return answer_block(_worker_job, label, first, block)


class Pool:
    """``workers`` processes answering blocks for ``job``; a context manager.

    Leaving the ``with`` block by an exception (Ctrl-C among them) cancels the blocks not
    started and does not wait for the workers.
    """

    def __init__(self, job: Job, workers: int) -> None:
        job.machine.match_many([])  # compile the snapshot once here, so forked workers inherit it
        # Out of the collector's sight: its sweeps would touch every object of the inherited
        # Machine in each worker, copying the pages fork shares (a quarter slower per block).
        gc.freeze()
        self.workers = workers
        self.executor = ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(job,))

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self.executor.shutdown(wait=kind is None, cancel_futures=True)

    def answers(self, source: Source, size: int) -> Iterator[Answered]:
        """The answers of each block of ``source``, in their order. Blocks of a file a worker
        can read itself go by offset, not through the pipe (which would cost the parent more
        than reading)."""
        in_flight: deque[Future[Answered]] = deque()
        limit = self.workers * BLOCKS_PER_WORKER
        path = source.path
        for first, offset, block in source.blocks(size):
            sent = block if path is None else (path, offset, len(block))
            in_flight.append(self.executor.submit(_answer_in_worker, source.label, first, sent))
            if len(in_flight) >= limit:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()
