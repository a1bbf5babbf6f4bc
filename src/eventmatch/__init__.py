"""eventmatch: AWS EventBridge event patterns and SNS filter policies, matched in pure Python.

>>> import eventmatch
>>> eventmatch.matches({"source": ["aws.ec2"]}, {"source": "aws.ec2", "detail": {}})
True
"""

from .errors import EventmatchError, InvalidEventError, InvalidFilterPolicyError, InvalidPatternError
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
    "Pattern",
    "compile_filter_policy",
    "compile_pattern",
    "explain",
    "matches",
]

__version__ = "0.1.0"
