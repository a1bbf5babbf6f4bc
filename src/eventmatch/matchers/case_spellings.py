"""The spellings an equals-ignore-case operand accepts (SPEC 2.5, decision D12), matched in
linear time without regular expressions.

Each operand character accepts exactly its own ``char.lower()`` or ``char.upper()``, one
character at a time (characters outside the Basic Multilingual Plane only themselves), as
:func:`eventmatch.casefold.case_alternatives` says. Most characters have one-character
spellings; consecutive ones form a *run*, checked position by position with C-level string
operations. The rest (``ß`` → ``SS``, ``İ`` → ``i̇``) are *choices* between two whole
spellings that may differ in length. A string could then be read in more than one way if
one spelling of a choice began (or, read from the end, ended) with the other; Python's
Unicode tables have no such character today, but should one appear the matcher follows the
set of positions every reading can have reached instead of one position. It never backtracks.
"""

from __future__ import annotations

import operator

from ..casefold import is_foldable_by_lower

__all__ = ["CaseSpellings"]

_BMP_END = "\uffff"
_CAPITAL_SIGMA = "\u03a3"
_SMALL_SIGMA = "\u03c3"
_CHUNK = 64
# Whole-string str.lower() treats a capital sigma by context (final sigma), so lowering an
# accepted string as a whole can disagree with lowering it one character at a time.
_CONTEXTUAL = frozenset("\u03a3\u03c3\u03c2")

# One step of an operand: (is_run, lower, upper). A run accepts, position by position,
# ``lower[i]`` or ``upper[i]`` (equal lengths); a choice accepts ``lower`` or ``upper`` whole.
_Step = tuple[bool, str, str]


def _mixed_fit(text: str, start: int, lower: str, upper: str) -> bool:
    """Whether ``text[start:]`` begins with a position-by-position mix of ``lower`` and
    ``upper`` (equal lengths, ``0 <= start``)."""
    if start + len(lower) > len(text):
        return False
    # Chunk by chunk, so a long run spelt mostly one way is compared mostly by memcmp.
    for offset in range(0, len(lower), _CHUNK):
        piece = text[start + offset : start + offset + _CHUNK]
        low, up = lower[offset : offset + _CHUNK], upper[offset : offset + _CHUNK]
        # A position fails when its character is neither spelling; all in C, no Python loop.
        if (
            piece != low
            and piece != up
            and any(map(operator.and_, map(operator.ne, piece, low), map(operator.ne, piece, up)))
        ):
            return False
    return True


def _run_spellings(piece: str) -> tuple[str, str]:
    """The lower and upper spelling of a run of characters that each have one-character
    spellings, mapped one character at a time."""
    if max(piece) > _BMP_END:
        # D12: characters outside the BMP spell only themselves.
        lowers = [char if char > _BMP_END else char.lower() for char in piece]
        uppers = [char if char > _BMP_END else char.upper() for char in piece]
        return "".join(lowers), "".join(uppers)
    # Whole-string mapping runs in C and is the per-character one but for final sigma,
    # which str.lower() gives a capital sigma by context: a lone one lowers to plain sigma.
    if _CAPITAL_SIGMA in piece:
        return piece.replace(_CAPITAL_SIGMA, _SMALL_SIGMA).lower(), piece.upper()
    return piece.lower(), piece.upper()


def _irregular(chars: set[str]) -> dict[str, tuple[str, str]]:
    """Those of ``chars`` with a spelling of other than one character, with their spellings."""
    spellings = {}
    for char in chars:
        if char <= _BMP_END:
            lower, upper = char.lower(), char.upper()
            if len(lower) != 1 or len(upper) != 1:
                spellings[char] = (lower, upper)
    return spellings


def _positions(text: str, char: str) -> list[int]:
    """Where ``char`` occurs in ``text``."""
    found: list[int] = []
    index = text.find(char)
    while index >= 0:
        found.append(index)
        index = text.find(char, index + 1)
    return found


def _lower_each(text: str) -> str:
    """``text`` lowered one character at a time (whole-string lowering when that is the same)."""
    return text.lower() if _CAPITAL_SIGMA not in text else "".join(map(str.lower, text))


class CaseSpellings:
    """An equals-ignore-case operand compiled for equality, prefix and suffix checks."""

    __slots__ = (
        "_ambiguous_backward",
        "_ambiguous_forward",
        "lower",
        "max_length",
        "min_length",
        "steps",
        "text",
        "upper",
    )

    def __init__(self, text: str) -> None:
        """Compile ``text`` in time linear in its length."""
        self.text = text
        #: Every character's lower (upper) spelling, concatenated: the usual spellings.
        self.lower = self.upper = ""
        #: The runs and choices, in operand order.
        self.steps: tuple[_Step, ...] = ()
        self.min_length = self.max_length = 0
        self._ambiguous_forward = self._ambiguous_backward = False
        if not text:
            return
        # Each distinct character is looked at once: operands use few of them.
        choices = _irregular(set(text))
        if not choices:
            self.lower, self.upper = _run_spellings(text)
            self.steps = ((True, self.lower, self.upper),)
            self.min_length = self.max_length = len(text)
            return
        found = {char: _positions(text, char) for char in choices}
        positions = sorted(index for indexes in found.values() for index in indexes)
        steps: list[_Step] = []
        start = 0
        for index in positions:
            if start < index:
                steps.append((True, *_run_spellings(text[start:index])))
            steps.append((False, *choices[text[index]]))
            start = index + 1
        if start < len(text):
            steps.append((True, *_run_spellings(text[start:])))
        self.steps = tuple(steps)
        self.lower = "".join(lower for _, lower, _ in steps)
        self.upper = "".join(upper for _, _, upper in steps)
        self.min_length = self.max_length = len(text) - len(positions)
        for char, (lower, upper) in choices.items():
            count = len(found[char])
            self.min_length += count * min(len(lower), len(upper))
            self.max_length += count * max(len(lower), len(upper))
            if lower != upper:
                self._ambiguous_forward |= lower.startswith(upper) or upper.startswith(lower)
                self._ambiguous_backward |= lower.endswith(upper) or upper.endswith(lower)

    def _end(self, text: str) -> int:
        """Where a spelling of the operand read from the start of ``text`` ends, or -1."""
        position = 0
        for is_run, lower, upper in self.steps:
            if text.startswith(lower, position):
                position += len(lower)
            elif text.startswith(upper, position):
                position += len(upper)
            elif is_run and _mixed_fit(text, position, lower, upper):
                position += len(lower)
            else:
                return -1
        return position

    def _ends(self, text: str) -> set[int]:
        """All the positions where a spelling read from the start of ``text`` can end."""
        positions = {0}
        for is_run, lower, upper in self.steps:
            if is_run:
                positions = {
                    position + len(lower)
                    for position in positions
                    if text.startswith(lower, position)
                    or text.startswith(upper, position)
                    or _mixed_fit(text, position, lower, upper)
                }
            else:
                positions = {
                    position + len(spelling)
                    for position in positions
                    for spelling in (lower, upper)
                    if text.startswith(spelling, position)
                }
            if not positions:
                break
        return positions

    def _start(self, text: str) -> int:
        """Where a spelling of the operand ending at the end of ``text`` starts, or -1."""
        position = len(text)
        for is_run, lower, upper in reversed(self.steps):
            if text.endswith(lower, 0, position):
                position -= len(lower)
            elif text.endswith(upper, 0, position):
                position -= len(upper)
            elif is_run and position >= len(lower) and _mixed_fit(text, position - len(lower), lower, upper):
                position -= len(lower)
            else:
                return -1
        return position

    def _starts(self, text: str) -> set[int]:
        """All the positions where a spelling ending at the end of ``text`` can start."""
        positions = {len(text)}
        for is_run, lower, upper in reversed(self.steps):
            if is_run:
                width = len(lower)
                positions = {
                    position - width
                    for position in positions
                    if text.endswith(lower, 0, position)
                    or text.endswith(upper, 0, position)
                    or (position >= width and _mixed_fit(text, position - width, lower, upper))
                }
            else:
                positions = {
                    position - len(spelling)
                    for position in positions
                    for spelling in (lower, upper)
                    if text.endswith(spelling, 0, position)
                }
            if not positions:
                break
        return positions

    def equals(self, value: str) -> bool:
        """Whether ``value`` is a spelling of the operand."""
        if not self.min_length <= len(value) <= self.max_length:
            return False
        if value == self.lower or value == self.upper:
            return True
        if self._ambiguous_forward:
            return len(value) in self._ends(value)
        return self._end(value) == len(value)

    def is_prefix_of(self, value: str) -> bool:
        """Whether ``value`` starts with a spelling of the operand."""
        if len(value) < self.min_length:
            return False
        if value.startswith(self.lower) or value.startswith(self.upper):
            return True
        if self._ambiguous_forward:
            return bool(self._ends(value))
        return self._end(value) >= 0

    def is_suffix_of(self, value: str) -> bool:
        """Whether ``value`` ends with a spelling of the operand."""
        if len(value) < self.min_length:
            return False
        if value.endswith(self.lower) or value.endswith(self.upper):
            return True
        if self._ambiguous_backward:
            return bool(self._starts(value))
        return self._start(value) >= 0

    def foldable_by_lower(self) -> bool:
        """Same as :func:`eventmatch.casefold.is_foldable_by_lower` of the operand (every
        accepted string lower-cases to ``text.lower()``, length kept), in C-level steps."""
        text = self.text
        if not text:
            return True
        if len(self.steps) != 1 or not self.steps[0][0] or not _CONTEXTUAL.isdisjoint(text):
            return False  # a choice has a spelling of other than one character
        plain = _lower_each(text)
        if len(plain) != len(text):
            return is_foldable_by_lower(text)  # a character outside the BMP with a long lower
        # Equal lengths make each joined comparison a position-by-position one.
        return _lower_each(self.lower) == plain and _lower_each(self.upper) == plain

    def __repr__(self) -> str:
        return f"CaseSpellings({self.text!r})"
