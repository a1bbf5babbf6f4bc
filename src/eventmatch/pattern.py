"""A single compiled EventBridge pattern: ``compile_pattern`` and ``Pattern.matches``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from .errors import InvalidPatternError
from .eventbridge import compile_tree
from .ir import Rule
from .jsontext import from_python, parse_pattern_text

if TYPE_CHECKING:
    from .snapshot import Snapshot

__all__ = ["MAX_PATH_STEPS", "Pattern", "check_depth", "compile_pattern", "matches", "read_pattern"]

PatternSource = dict[str, Any] | str | bytes

# The most keys, nested or dotted, on the path to one leaf. Matching reads a path with one
# Python call per key, so this leaves room below Python's default recursion limit (1000)
# for the caller's own frames. A pattern within AWS's default size quota (2048 characters)
# nests fewer objects.
MAX_PATH_STEPS: Final = 512


def check_depth(rule: Rule) -> Rule:
    """``rule``, unless a path of it has more than :data:`MAX_PATH_STEPS` keys
    (InvalidPatternError)."""
    for alternative in rule:
        for condition in alternative:
            path = condition.path
            if len(path) >= MAX_PATH_STEPS and path.count(".") >= MAX_PATH_STEPS:  # len first: cheap
                raise InvalidPatternError(f"too deeply nested: a path has more than {MAX_PATH_STEPS} keys")
    return rule


def read_pattern(pattern: object, error: type[InvalidPatternError] = InvalidPatternError) -> Any:
    """Pattern JSON text or an already-parsed dict, as the front ends' parsed shape."""
    if isinstance(pattern, str | bytes | bytearray):
        return parse_pattern_text(pattern if isinstance(pattern, str) else bytes(pattern), error)
    try:
        return from_python(pattern, error)
    except RecursionError:
        raise error("pattern is too deeply nested") from None


class Pattern:
    """A validated EventBridge event pattern, ready to test events against.

    Build one with :func:`compile_pattern`. It is immutable and can be shared between
    threads and pickled.
    """

    __slots__ = ("_snapshot", "rule")

    def __init__(self, rule: Rule) -> None:
        #: The IR: alternatives (after ``$or`` expansion) of conditions sorted by path.
        self.rule = rule
        self._snapshot: Snapshot | None = None  # made on first use: a Machine never needs it

    def matches(self, event: object) -> bool:
        """Whether ``event`` (a dict, or JSON text as str or bytes) matches this pattern.

        Raises :class:`~eventmatch.InvalidEventError` when the event is not a JSON object.
        """
        snapshot = self._snapshot
        if snapshot is None:
            # The matching machinery is imported on the first match: validating patterns,
            # the command line's commonest use, never needs it (a third of the import time).
            from .snapshot import rule_snapshot

            snapshot = self._snapshot = rule_snapshot(self.rule)
        return bool(snapshot.match(event))

    def __repr__(self) -> str:
        return f"<Pattern with {len(self.rule)} alternative(s)>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Pattern) and other.rule == self.rule

    def __hash__(self) -> int:
        return hash(self.rule)

    def __reduce__(self) -> tuple[type[Pattern], tuple[Rule]]:
        return (Pattern, (self.rule,))


def compile_pattern(pattern: object) -> Pattern:
    """Validate and compile an EventBridge event pattern.

    ``pattern`` is a dict, or JSON text as ``str`` or ``bytes``. Raises
    :class:`~eventmatch.InvalidPatternError` with AWS's reason and the JSON path when AWS
    would reject the pattern.
    """
    # compile_tree reads a plain dict as it is, much faster than through read_pattern.
    return Pattern(compile_read(pattern if type(pattern) is dict else read_pattern(pattern)))


def compile_read(tree: Any) -> Rule:
    """The rule of a pattern already read (by :func:`read_pattern`, or a plain dict), for
    callers that also look at the tree itself; InvalidPatternError as :func:`compile_pattern`."""
    try:
        return check_depth(compile_tree(tree))
    except RecursionError:
        raise InvalidPatternError("pattern is too deeply nested") from None


def matches(pattern: object, event: object) -> bool:
    """One-off check: whether ``event`` matches ``pattern`` (both dicts or JSON text)."""
    return compile_pattern(pattern).matches(event)
