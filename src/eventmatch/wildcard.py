"""The wildcard operand language (SPEC 2.6): ``*`` is any run of characters, ``\\*`` a
literal star, ``\\\\`` a literal backslash; nothing else may follow a backslash and two
stars may not touch."""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["WildcardSyntaxError", "literal_segments", "wildcard_regex"]


class WildcardSyntaxError(ValueError):
    """A wildcard operand AWS rejects; the message is AWS's reason text."""


def _byte_position(text: str, index: int) -> int:
    # AWS reports the UTF-8 byte offset in the operand wrapped in quotes, hence the + 1.
    return len(text[:index].encode("utf-8", "surrogatepass")) + 1


def literal_segments(text: str) -> list[str]:
    """Split a wildcard operand at its unescaped stars into literal segments.

    ``a*b\\*c*`` gives ``['a', 'b*c', '']``. Raises WildcardSyntaxError with AWS's text.
    """
    segments: list[str] = []
    current: list[str] = []
    index = 0
    previous_was_star = False
    while index < len(text):
        char = text[index]
        if char == "*":
            if previous_was_star:
                raise WildcardSyntaxError(
                    f"Consecutive wildcard characters at pos {_byte_position(text, index - 1)}"
                )
            segments.append("".join(current))
            current = []
            previous_was_star = True
        elif char == "\\":
            following = text[index + 1] if index + 1 < len(text) else ""
            if following not in ("*", "\\"):
                raise WildcardSyntaxError(f"Invalid escape character at pos {_byte_position(text, index)}")
            current.append(following)
            index += 1
            previous_was_star = False
        else:
            current.append(char)
            previous_was_star = False
        index += 1
    segments.append("".join(current))
    return segments


@lru_cache(maxsize=4096)
def wildcard_regex(text: str) -> re.Pattern[str]:
    """A regex to ``fullmatch`` against candidate strings."""
    return re.compile(".*".join(re.escape(s) for s in literal_segments(text)), re.DOTALL)
