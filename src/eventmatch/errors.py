"""Exceptions raised by eventmatch.

Every error about a pattern carries AWS's reason text (``reason``) and the place in the
pattern where it was found (``path``, e.g. ``detail.c-count[0].numeric``; empty for the
whole pattern), so that a message can be shown to a user or compared with AWS's own.
"""

from __future__ import annotations

__all__ = [
    "EventmatchError",
    "InvalidEventError",
    "InvalidFilterPolicyError",
    "InvalidPatternError",
]


class EventmatchError(Exception):
    """Base class of every error eventmatch raises on purpose."""


class InvalidPatternError(EventmatchError, ValueError):
    """A pattern that AWS would reject.

    ``reason`` is AWS's reason text (for example ``Bottom must be less than top``);
    ``path`` says where in the pattern the fault is.
    """

    def __init__(self, reason: str, path: str = "") -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)

    def __reduce__(self) -> tuple[type[InvalidPatternError], tuple[str, str]]:
        return (type(self), (self.reason, self.path))


class InvalidFilterPolicyError(InvalidPatternError):
    """An SNS subscription filter policy that AWS would reject."""


class InvalidEventError(EventmatchError, ValueError):
    """An event that is not JSON, or not a JSON object."""
