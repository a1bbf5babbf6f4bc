"""Knowing a rule set before it ships: example events and near misses for a pattern, and findings about
a set of rules (never matches, matches everything, overridden conditions, duplicates, subsumed rules,
overlaps between rules meant to be exclusive, rules a sample of events misses).

Built on the IR (:mod:`eventmatch.ir`) and the reference interpreter (:mod:`eventmatch.reference`), for
EventBridge patterns and SNS filter policies alike; ``eventmatch analyze`` is the command line.

>>> from eventmatch.analysis import example_event
>>> example_event({"detail": {"state": ["stopped"], "size": [{"numeric": [">=", 1000]}]}})
{'detail': {'size': 1000, 'state': 'stopped'}}
"""

from .examples import (
    NearMiss,
    example_event,
    example_events,
    example_message,
    example_messages,
    near_miss_messages,
    near_misses,
)
from .messages import Message
from .render import json_text
from .ruleset import Exclusive, FindingKind, RuleFinding, Sample, Subject, analyze

__all__ = [
    "Exclusive",
    "FindingKind",
    "Message",
    "NearMiss",
    "RuleFinding",
    "Sample",
    "Subject",
    "analyze",
    "example_event",
    "example_events",
    "example_message",
    "example_messages",
    "json_text",
    "near_miss_messages",
    "near_misses",
]
