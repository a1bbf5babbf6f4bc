"""A compiled wildcard: its literal segments, matched in linear time without backtracking.

A wildcard ``H*M1*...*Mk*T`` accepts a string that starts with ``H``, ends with ``T`` and
holds ``M1`` ... ``Mk`` in that order, without overlaps, between them. Because ``*`` accepts
any run of characters, taking the leftmost occurrence of each middle segment never loses a
match: it leaves the most room for the segments after it. So one ``str.find`` per segment
decides, and the cost is linear in the string for each segment, whatever the stars.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..wildcard import literal_segments

__all__ = ["Glob"]


class Glob:
    """A wildcard compiled to its literal segments (build it with :meth:`from_text`)."""

    __slots__ = ("head", "middle", "min_length", "starred", "tail")

    def __init__(self, segments: Sequence[str]) -> None:
        """``segments`` are the literal texts between the stars, as from
        :func:`~eventmatch.wildcard.literal_segments`; one segment means no star."""
        if not segments:
            raise ValueError("a wildcard has at least one segment")
        self.starred = len(segments) > 1
        self.head = segments[0]
        self.tail = segments[-1] if self.starred else ""
        # Empty middle segments (never produced by the wildcard syntax) accept anywhere.
        self.middle: tuple[str, ...] = tuple(segment for segment in segments[1:-1] if segment)
        self.min_length = sum(len(segment) for segment in segments)

    @classmethod
    def from_text(cls, text: str) -> Glob:
        """Compile a wildcard operand (raw text, escapes included; it must be valid)."""
        return cls(literal_segments(text))

    def matches(self, value: str) -> bool:
        """Whether the whole of ``value`` is accepted."""
        if not self.starred:
            return value == self.head
        if len(value) < self.min_length:
            return False
        if not value.startswith(self.head) or not value.endswith(self.tail):
            return False
        position = len(self.head)
        # The tail is pinned to the end: middle segments must lie wholly before it, or a
        # middle match overlapping the tail would be counted twice.
        end = len(value) - len(self.tail)
        for segment in self.middle:
            found = value.find(segment, position, end)
            if found < 0:
                return False
            position = found + len(segment)
        return True

    def __repr__(self) -> str:
        segments = (self.head, *self.middle, self.tail) if self.starred else (self.head,)
        return f"Glob({list(segments)!r})"
