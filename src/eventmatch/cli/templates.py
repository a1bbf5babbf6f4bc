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

Pipes filters are checked by Pipes' rules, the others under ``FilterCriteria`` by Lambda's
(:mod:`.filter_grammars`). A CloudFormation intrinsic function (``{"Ref": ...}``, ``{"Fn::Sub": ...}``,
or a YAML short tag, which the YAML loader turns into that form) is resolved only when the stack is
deployed: a pattern holding one is marked (:attr:`RuleEntry.intrinsic`) and checked around it
(:mod:`.placeholders`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .common import Where
from .entries import MESSAGE_ATTRIBUTES, Kind, RuleEntry, Service, pattern_body
from .intrinsics import find_intrinsic
from .located import LocatedDict, Position

__all__ = ["PatternFinder", "find_intrinsic", "is_template", "template_entries"]

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


class PatternFinder:
    """Collects the patterns of one document (a template, or a ``serverless.yml`` with ``variables``)."""

    def __init__(self, file: str, text: str, variables: bool = False) -> None:
        self.file = file
        self.text = text
        self.variables = variables
        self.entries: list[RuleEntry] = []

    def pattern(
        self,
        name: str,
        container: Any,
        key: str,
        kind: Kind = Kind.EVENTBRIDGE,
        scope: Any = MESSAGE_ATTRIBUTES,
        service: Service = Service.EVENT_BUS,
    ) -> None:
        """Add the pattern held by ``container[key]``, if there is one."""
        if isinstance(container, LocatedDict) and key in container:
            self.add(name, container[key], container.position(key), kind, scope, service)

    def add(
        self,
        name: str,
        value: Any,
        position: Position,
        kind: Kind = Kind.EVENTBRIDGE,
        scope: Any = MESSAGE_ATTRIBUTES,
        service: Service = Service.EVENT_BUS,
    ) -> None:
        """Add the pattern ``value``, written at ``position``.

        ``scope`` is the ``FilterPolicyScope`` as written: anything but a string is an intrinsic
        function. A pattern holding values resolved at deployment keeps its parsed value, to be checked
        around them.
        """
        intrinsic = find_intrinsic(value, variables=self.variables)
        if intrinsic is None and not isinstance(scope, str):
            intrinsic = "FilterPolicyScope"
        if intrinsic is None:
            body, as_text = pattern_body(value, position, self.text)
        else:
            body, as_text = value, isinstance(value, str)
        where = Where(self.file, position.line, position.column)
        known_scope = scope if isinstance(scope, str) else None
        self.entries.append(
            RuleEntry(name, where, body, kind, known_scope, as_text, intrinsic, service, self.variables)
        )

    def filters(self, name: str, criteria: Any, service: Service) -> None:
        """Add the ``Pattern`` of each of ``criteria.Filters``."""
        filters = criteria.get("Filters") if isinstance(criteria, Mapping) else None
        if isinstance(filters, list):
            for index, item in enumerate(filters):
                self.pattern(f"{name}.Filters[{index}]", item, "Pattern", service=service)

    def events_rule(self, name: str, properties: Mapping[str, Any]) -> None:
        """Add an EventBridge rule's pattern (a scheduled rule has none)."""
        self.pattern(name, properties, "EventPattern")

    def pipe(self, name: str, properties: Mapping[str, Any]) -> None:
        """Add the filters of a pipe's source."""
        source = properties.get("SourceParameters")
        if isinstance(source, Mapping):
            self.filters(name, source.get("FilterCriteria"), Service.PIPES)

    def event_source_mapping(self, name: str, properties: Mapping[str, Any]) -> None:
        """Add the filters of a Lambda event source mapping."""
        self.filters(name, properties.get("FilterCriteria"), Service.LAMBDA)

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
                self.filters(here, event_properties.get("FilterCriteria"), Service.LAMBDA)

    def template(self, template: Mapping[str, Any]) -> None:
        """Add every pattern and filter policy of a parsed template, in document order."""
        resources = template.get("Resources")
        if isinstance(resources, Mapping):
            for name, resource in resources.items():
                if isinstance(resource, Mapping) and isinstance(resource.get("Properties"), Mapping):
                    handler = _RESOURCES.get(str(resource.get("Type")))
                    if handler is not None:
                        handler(self, name, resource["Properties"])


_RESOURCES: dict[str, Callable[[PatternFinder, str, Mapping[str, Any]], None]] = {
    "AWS::Events::Rule": PatternFinder.events_rule,
    "AWS::SNS::Subscription": PatternFinder.sns,
    "AWS::Pipes::Pipe": PatternFinder.pipe,
    "AWS::Lambda::EventSourceMapping": PatternFinder.event_source_mapping,
    "AWS::Serverless::Function": PatternFinder.sam_events,
    "AWS::Serverless::StateMachine": PatternFinder.sam_events,
}


def template_entries(template: Mapping[str, Any], file: str, text: str) -> list[RuleEntry]:
    """Every pattern and filter policy in a parsed template, in document order."""
    finder = PatternFinder(file, text)
    finder.template(template)
    return finder.entries
