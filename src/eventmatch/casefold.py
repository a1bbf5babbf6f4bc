"""Equals-ignore-case as event-ruler does it (SPEC 2.5, decision D12).

Each character of the pattern accepts exactly its own lower-case or upper-case mapping,
taken one character at a time: ``straße`` accepts ``STRASSE`` (upper of ``ß`` is ``SS``)
while ``STRASSE`` does not accept ``straße``; the Kelvin sign accepts ``k`` but not ``K``.
That is not Unicode case folding, so it is compiled to a regular expression.
Characters outside the Basic Multilingual Plane compare as themselves (D12).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["case_alternatives", "ignore_case_regex", "is_foldable_by_lower"]

_BMP_END = 0xFFFF


def case_alternatives(char: str) -> tuple[str, ...]:
    """The spellings one pattern character accepts."""
    if ord(char) > _BMP_END:
        return (char,)
    return tuple(dict.fromkeys((char.lower(), char.upper())))


@lru_cache(maxsize=4096)
def ignore_case_regex(text: str, *, reverse: bool = False) -> re.Pattern[str]:
    """A regex accepting the spellings of ``text``; ``match`` it for a prefix, ``fullmatch``
    for equality. With ``reverse`` it accepts the spellings reversed, so a suffix test is
    a ``match`` against the reversed event string."""
    chars = reversed(text) if reverse else iter(text)
    parts: list[str] = []
    for char in chars:
        spellings = case_alternatives(char)
        if reverse:
            spellings = tuple(spelling[::-1] for spelling in spellings)
        if len(spellings) == 1:
            parts.append(re.escape(spellings[0]))
        else:
            parts.append("(?:" + "|".join(re.escape(s) for s in spellings) + ")")
    return re.compile("".join(parts), re.DOTALL)


# str.lower() treats a capital sigma by context (final sigma), so per-character and
# whole-string lowering can disagree for these characters.
_CONTEXTUAL = frozenset("\u03a3\u03c3\u03c2")


def is_foldable_by_lower(text: str) -> bool:
    """True when every string ``text`` accepts lower-cases to ``text.lower()`` with the same
    length: then ``candidate.lower() == text.lower()`` is a safe prefilter for a lookup."""
    if not _CONTEXTUAL.isdisjoint(text):
        return False
    for char in text:
        for spelling in case_alternatives(char):
            if len(spelling) != 1 or spelling.lower() != char.lower():
                return False
    return True
