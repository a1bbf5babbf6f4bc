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


class UnsatisfiablePatternError(EventmatchError, ValueError):
    """A valid pattern that no event can match (so it has no example event).

    ``dead`` holds, for each ``$or`` alternative (one for a pattern without ``$or``), a condition no
    event meets, as ``(path, tests)``, the tests as written (``numeric > 1, < 1.0000000000000002``);
    ``path`` and ``condition`` are the first of them.
    """

    def __init__(self, dead: tuple[tuple[str, str], ...]) -> None:
        self.dead = dead
        self.path, self.condition = dead[0]
        named = "; ".join(f"{path}: no value passes {tests}" for path, tests in dead)
        if len(dead) > 1:
            named = f"none of its {len(dead)} $or alternatives can match: {named}"
        super().__init__(f"no event can match this pattern: {named}")

    def __reduce__(self) -> tuple[type[UnsatisfiablePatternError], tuple[tuple[tuple[str, str], ...]]]:
        return (type(self), (self.dead,))


__all__ += ["UnsatisfiablePatternError"]
