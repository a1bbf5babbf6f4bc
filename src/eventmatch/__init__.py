"""eventmatch: AWS EventBridge event patterns and SNS filter policies, matched in pure Python.

>>> import eventmatch
>>> eventmatch.matches({"source": ["aws.ec2"]}, {"source": "aws.ec2", "detail": {}})
True
"""

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
from .errors import (
    EventmatchError,
    InvalidEventError,
    InvalidFilterPolicyError,
    InvalidPatternError,
    UnsatisfiablePatternError,
)
from .explain import Explanation, explain
from .machine import Machine
from .pattern import Pattern, compile_pattern, matches
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
