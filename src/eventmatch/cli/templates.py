"""Finding the event patterns and filter policies in a CloudFormation or SAM template.

Where they are looked for (rule names are the resource's logical id, extended by the path below it):

=================================== ===================================================================
``AWS::Events::Rule``               ``EventPattern`` (an object or a JSON string)
``AWS::SNS::Subscription``          ``FilterPolicy``, in its ``FilterPolicyScope``
``AWS::Pipes::Pipe``                ``SourceParameters.FilterCriteria.Filters[i].Pattern`` (JSON strings)
``AWS::Lambda::EventSourceMapping`` ``FilterCriteria.Filters[i].Pattern`` (JSON strings)
``AWS::Serverless::Function`` and   ``Events.<name>``: ``Properties.Pattern`` of an ``EventBridgeRule`` or
``AWS::Serverless::StateMachine``   ``CloudWatchEvent`` event, ``Properties.FilterPolicy`` (and
                                    ``FilterPolicyScope``) of an ``SNS`` event, and
                                    ``Properties.FilterCriteria.Filters[i].Pattern`` of any other (SQS,
                                    Kinesis, DynamoDB ...)
=================================== ===================================================================

A CloudFormation intrinsic function (``{"Ref": ...}``, ``{"Fn::Sub": ...}``, or a YAML short tag, which
the YAML loader turns into that form) is resolved only when the stack is deployed: a pattern holding one
is found but marked as not checkable (:attr:`RuleEntry.intrinsic`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .common import Where
from .entries import MESSAGE_ATTRIBUTES, Kind, RuleEntry, pattern_body
from .located import LocatedDict

__all__ = ["find_intrinsic", "is_template", "template_entries"]

_SAM_PATTERN_EVENTS = ("EventBridgeRule", "CloudWatchEvent")


def is_template(document: Any) -> bool:
    """Whether a parsed document is a CloudFormation template: it has ``Resources`` that all have a
    ``Type`` (or an ``AWSTemplateFormatVersion``).

    No valid pattern looks like that: in a pattern, ``Type`` would have to hold an array or an object.
    """
    if not isinstance(document, Mapping):
        return False
    resources = document.get("Resources")
    return "AWSTemplateFormatVersion" in document or (
        isinstance(resources, Mapping)
        and all(
            isinstance(item, Mapping) and isinstance(item.get("Type"), str) for item in resources.values()
        )
    )


def _is_intrinsic(value: Any) -> bool:
    if not isinstance(value, Mapping) or len(value) != 1:
        return False
    ((key, operand),) = value.items()
    return key.startswith("Fn::") or (key in ("Ref", "Condition") and isinstance(operand, str))


def find_intrinsic(value: Any, path: str = "") -> str | None:
    """The path (``detail.account[0]``; empty for the whole value) of the first intrinsic function."""
    if _is_intrinsic(value):
        return path
    if isinstance(value, Mapping):
        children: Iterator[tuple[str, Any]] = (
            (f"{path}.{key}" if path else key, item) for key, item in value.items()
        )
    elif isinstance(value, list):
        children = ((f"{path}[{index}]", item) for index, item in enumerate(value))
    else:
        return None
    return next(
        (found for where, item in children if (found := find_intrinsic(item, where)) is not None), None
    )


class _Finder:
    """Collects the entries of one template."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self.entries: list[RuleEntry] = []

    def pattern(
        self,
        name: str,
        container: Any,
        key: str,
        kind: Kind = Kind.EVENTBRIDGE,
        scope: Any = MESSAGE_ATTRIBUTES,
    ) -> None:
        """Add the pattern held by ``container[key]``, if there is one."""
        if not isinstance(container, LocatedDict) or key not in container:
            return
        value = container[key]
        position = container.position(key)
        body, as_text = pattern_body(value, position, self.text)
        intrinsic = find_intrinsic(value)
        if intrinsic is None and not isinstance(scope, str):
            intrinsic = "FilterPolicyScope"
        self.entries.append(
            RuleEntry(
                name,
                Where(self.file, position.line, position.column),
                body,
                kind,
                scope if isinstance(scope, str) else MESSAGE_ATTRIBUTES,
                as_text,
                intrinsic,
            )
        )

    def filters(self, name: str, criteria: Any) -> None:
        """Add the ``Pattern`` of each of ``criteria.Filters``."""
        filters = criteria.get("Filters") if isinstance(criteria, Mapping) else None
        if isinstance(filters, list):
            for index, item in enumerate(filters):
                self.pattern(f"{name}.Filters[{index}]", item, "Pattern")

    def events_rule(self, name: str, properties: Mapping[str, Any]) -> None:
        """Add an EventBridge rule's pattern (a scheduled rule has none)."""
        self.pattern(name, properties, "EventPattern")

    def pipe(self, name: str, properties: Mapping[str, Any]) -> None:
        """Add the filters of a pipe's source."""
        source = properties.get("SourceParameters")
        if isinstance(source, Mapping):
            self.filters(name, source.get("FilterCriteria"))

    def event_source_mapping(self, name: str, properties: Mapping[str, Any]) -> None:
        """Add the filters of a Lambda event source mapping."""
        self.filters(name, properties.get("FilterCriteria"))

    def sns(self, name: str, properties: Mapping[str, Any]) -> None:
        """Add a filter policy with its scope."""
        scope = properties.get("FilterPolicyScope", MESSAGE_ATTRIBUTES)
        self.pattern(name, properties, "FilterPolicy", Kind.SNS, scope)

    def sam_events(self, name: str, properties: Mapping[str, Any]) -> None:
        """Add the patterns of a SAM function's or state machine's ``Events``."""
        events = properties.get("Events")
        if not isinstance(events, Mapping):
            return
        for event_name, event in events.items():
            if not isinstance(event, Mapping) or not isinstance(event.get("Properties"), Mapping):
                continue
            here, kind, event_properties = (
                f"{name}.Events.{event_name}",
                event.get("Type"),
                event["Properties"],
            )
            if kind in _SAM_PATTERN_EVENTS:
                self.pattern(here, event_properties, "Pattern")
            elif kind == "SNS":
                self.sns(here, event_properties)
            else:
                self.filters(here, event_properties.get("FilterCriteria"))


_RESOURCES: dict[str, Callable[[_Finder, str, Mapping[str, Any]], None]] = {
    "AWS::Events::Rule": _Finder.events_rule,
    "AWS::SNS::Subscription": _Finder.sns,
    "AWS::Pipes::Pipe": _Finder.pipe,
    "AWS::Lambda::EventSourceMapping": _Finder.event_source_mapping,
    "AWS::Serverless::Function": _Finder.sam_events,
    "AWS::Serverless::StateMachine": _Finder.sam_events,
}


def template_entries(template: Mapping[str, Any], file: str, text: str) -> list[RuleEntry]:
    """Every pattern and filter policy in a parsed template, in document order."""
    finder = _Finder(file, text)
    resources = template.get("Resources")
    if isinstance(resources, Mapping):
        for name, resource in resources.items():
            if isinstance(resource, Mapping) and isinstance(resource.get("Properties"), Mapping):
                handler = _RESOURCES.get(str(resource.get("Type")))
                if handler is not None:
                    handler(finder, name, resource["Properties"])
    return finder.entries
