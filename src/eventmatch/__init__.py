"""eventmatch: AWS EventBridge event patterns and SNS filter policies, matched in pure Python.

>>> import eventmatch
>>> eventmatch.matches({"source": ["aws.ec2"]}, {"source": "aws.ec2", "detail": {}})
True
"""

import importlib
from typing import TYPE_CHECKING

from .errors import (
    EventmatchError,
    InvalidEventError,
    InvalidFilterPolicyError,
    InvalidPatternError,
    UnsatisfiablePatternError,
)

# Not lazy: importing the submodule eventmatch.explain (analysis does) would bind its name here, to
# the module, in the place of the function.
from .explain import Explanation, explain
from .pattern import Pattern, compile_pattern, matches

if TYPE_CHECKING:
    from .analysis import (
        Message,
        NearMiss,
        example_event,
        example_events,
        example_message,
        example_messages,
        near_miss_messages,
        near_misses,
    )
    from .machine import Machine
    from .sns import FilterPolicy, compile_filter_policy

__all__ = [
    "EventmatchError",
    "Explanation",
    "FilterPolicy",
    "InvalidEventError",
    "InvalidFilterPolicyError",
    "InvalidPatternError",
    "Machine",
    "Message",
    "NearMiss",
    "Pattern",
    "UnsatisfiablePatternError",
    "compile_filter_policy",
    "compile_pattern",
    "example_event",
    "example_events",
    "example_message",
    "example_messages",
    "explain",
    "matches",
    "near_miss_messages",
    "near_misses",
]

__version__ = "0.1.0"

#: The submodule of each public name imported when the name is first used (PEP 562): the command
#: line, ``eventmatch validate`` say, needs neither the analysis, nor a Machine, nor SNS policies.
_LAZY: dict[str, str] = {
    **dict.fromkeys(
        (
            "Message",
            "NearMiss",
            "example_event",
            "example_events",
            "example_message",
            "example_messages",
            "near_miss_messages",
            "near_misses",
        ),
        ".analysis",
    ),
    "Machine": ".machine",
    **dict.fromkeys(("FilterPolicy", "compile_filter_policy"), ".sns"),
}

if not TYPE_CHECKING:  # type checkers read the imports above, and know what is not there

    def __getattr__(name: str) -> object:
        if name not in _LAZY:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value  # once: later lookups find it without this function
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})  # the lazy names too, before their first use
