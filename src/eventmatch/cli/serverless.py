"""Finding the event patterns and filter policies in a Serverless Framework ``serverless.yml``.

Where they are looked for (rule names are the function's name, extended by the path below it), as
the Serverless Framework documents its events (https://www.serverless.com/framework/docs/providers/aws/events):

======================================================= ==============================================
``functions.<f>.events[i].eventBridge.pattern``          an EventBridge rule's pattern
``functions.<f>.events[i].cloudwatchEvent.event``        an EventBridge rule's pattern (the older name)
``functions.<f>.events[i].sns.filterPolicy``             an SNS filter policy, in ``filterPolicyScope``
``functions.<f>.events[i].<source>.filterPatterns[j]``   a Lambda event source mapping's filter: each
(``sqs``, ``stream``, ``msk``, ``kafka``, ``activemq``,  pattern becomes one ``FilterCriteria.Filters``
``rabbitmq``)                                            entry (the Framework writes it as JSON)
``resources.Resources``                                  CloudFormation, read as a template
======================================================= ==============================================

Strings may hold Serverless variables (``${self:custom.bus}``, ``${sls:stage}`` ...), resolved when
the service is packaged: they are checked around as intrinsic functions are (:mod:`.placeholders`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from .entries import MESSAGE_ATTRIBUTES, Kind, RuleEntry, Service
from .located import LocatedDict, Position
from .templates import PatternFinder

__all__ = ["is_serverless", "serverless_entries"]

_FILTERED_SOURCES: Final = ("sqs", "stream", "msk", "kafka", "activemq", "rabbitmq")


def is_serverless(document: Any) -> bool:
    """Whether a parsed document is a ``serverless.yml``: a ``service`` and a ``provider`` with a
    ``name`` (both required by the Framework). No pattern has them: a pattern's ``service`` would
    hold an array or an object of patterns, not a name."""
    if not isinstance(document, Mapping) or "service" not in document:
        return False
    provider = document.get("provider")
    return isinstance(provider, Mapping) and "name" in provider


def _first_position(value: Any, fallback: Position) -> Position:
    """Where an element of a list was written: its first member's line (list elements have no place
    of their own), without a text span, so that the pattern is read as parsed, as the Framework does."""
    if isinstance(value, LocatedDict) and value.entries:
        first = value.entries[0][2]
        return Position(first.line, first.column)
    return Position(fallback.line, fallback.column)


def _event(finder: PatternFinder, name: str, kind: str, event: Any) -> None:
    if not isinstance(event, LocatedDict):
        return  # ``sqs: arn:...`` and the like: no pattern
    if kind == "eventBridge":
        finder.pattern(name, event, "pattern")
    elif kind == "cloudwatchEvent":
        finder.pattern(name, event, "event")
    elif kind == "sns":
        scope = event.get("filterPolicyScope", MESSAGE_ATTRIBUTES)
        finder.pattern(name, event, "filterPolicy", Kind.SNS, scope)
    elif kind in _FILTERED_SOURCES and isinstance(event.get("filterPatterns"), list):
        listed = event.position("filterPatterns")
        for index, pattern in enumerate(event["filterPatterns"]):
            position = _first_position(pattern, listed)
            finder.add(f"{name}.filterPatterns[{index}]", pattern, position, service=Service.LAMBDA)


def serverless_entries(document: Mapping[str, Any], file: str, text: str) -> list[RuleEntry]:
    """Every pattern and filter policy in a parsed ``serverless.yml``, in document order."""
    finder = PatternFinder(file, text, variables=True)
    functions = document.get("functions")
    if isinstance(functions, Mapping):
        for function, definition in functions.items():
            events = definition.get("events") if isinstance(definition, Mapping) else None
            for index, event in enumerate(events if isinstance(events, list) else []):
                if isinstance(event, Mapping) and len(event) == 1:
                    ((kind, value),) = event.items()
                    _event(finder, f"{function}.events[{index}].{kind}", kind, value)
    resources = document.get("resources")
    if isinstance(resources, Mapping):
        finder.template(resources)
    return finder.entries
