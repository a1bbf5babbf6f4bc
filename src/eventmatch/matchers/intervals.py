"""Which ranges hold a value: a segment tree over the ranges' end points.

The distinct end points cut the line into slots (the gaps between points and the points
themselves); each range covers a run of slots and is stored in the O(log n) tree nodes that
cover that run, so a query walks one leaf-to-root path: O(log n + matches), once per slot
(its answer is kept). The tree is built on the first lookup.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Iterable
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T", bound=Hashable)

__all__ = ["Interval", "IntervalIndex"]


class Interval(NamedTuple):
    """A range of numbers; an infinite side is open."""

    low: float
    low_open: bool
    high: float
    high_open: bool


class IntervalIndex(Generic[T]):
    """Stabbing queries: the targets whose interval holds a value."""

    __slots__ = ("_answers", "_intervals", "_nodes", "_points", "_size")

    def __init__(self) -> None:
        self._intervals: dict[Interval, list[T]] = {}
        self._points: list[float] = []
        self._nodes: list[list[T]] | None = None
        self._size = 0
        self._answers: dict[int, tuple[T, ...]] = {}  # slot -> its targets, as slots are asked for

    def add(self, interval: Interval, target: T) -> None:
        self._intervals.setdefault(interval, []).append(target)
        self._nodes = None
        self._answers = {}

    def __bool__(self) -> bool:
        return bool(self._intervals)

    def _slot(self, value: float) -> int:
        index = bisect_left(self._points, value)
        if index < len(self._points) and self._points[index] == value:
            return 2 * index + 1
        return 2 * index

    def _slots(self, interval: Interval) -> tuple[int, int]:
        """The first and last slot an interval covers (first > last when it covers none)."""
        points = self._points
        if interval.low == float("-inf"):
            first = 0
        else:
            index = bisect_left(points, interval.low)
            first = 2 * index + (2 if interval.low_open else 1)
        if interval.high == float("inf"):
            last = 2 * len(points)
        else:
            index = bisect_left(points, interval.high)
            last = 2 * index + (0 if interval.high_open else 1)
        return first, last

    def _build(self) -> list[list[T]]:
        self._points = sorted(
            {p for i in self._intervals for p in (i.low, i.high) if p not in (float("inf"), float("-inf"))}
        )
        slots = 2 * len(self._points) + 1
        size = 1
        while size < slots:
            size *= 2
        nodes: list[list[T]] = [[] for _ in range(2 * size)]
        for interval, targets in self._intervals.items():
            first, last = self._slots(interval)
            low, high = first + size, last + size + 1
            while low < high:  # the canonical cover of [first, last]
                if low & 1:
                    nodes[low].extend(targets)
                    low += 1
                if high & 1:
                    high -= 1
                    nodes[high].extend(targets)
                low >>= 1
                high >>= 1
        self._size = size
        self._nodes = nodes
        return nodes

    def _answer(self, slot: int) -> tuple[T, ...]:
        nodes = self._nodes if self._nodes is not None else self._build()
        found: list[T] = []
        node = slot + self._size
        while node:
            if nodes[node]:
                found.extend(nodes[node])
            node >>= 1
        answer = self._answers[slot] = tuple(dict.fromkeys(found))
        return answer

    def lookup(self, value: float, out: set[T]) -> None:
        self.lookup_many((value,), out)

    def lookup_many(self, values: Iterable[float], out: set[T]) -> None:
        """:meth:`lookup` for each of ``values``."""
        if self._nodes is None:
            self._build()
        points, answers = self._points, self._answers
        count = len(points)
        for value in values:
            index = bisect_left(points, value)
            slot = 2 * index + 1 if index < count and points[index] == value else 2 * index
            answer = answers.get(slot)
            if answer is None:
                answer = self._answer(slot)
            if answer:
                out.update(answer)
