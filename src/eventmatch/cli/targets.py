"""Which rules of a template deliver to the same target, for ``eventmatch analyze``.

Two EventBridge rules on one event bus with the same target both deliver an event that matches them
both: the target gets it twice, which is rarely meant. The same holds for two SNS subscriptions of
one topic to the same endpoint, and for the events of a SAM function (each invokes the function). So
rules that share a target are *exclusive*: ``analyze`` reports an event that matches two of them.

=================================== ===================================================================
``AWS::Events::Rule``               ``Targets[].Arn``, on its ``EventBusName`` (the default bus if none)
``AWS::SNS::Subscription``          its ``Endpoint``, on its ``TopicArn``
``AWS::Serverless::Function`` and   the function or state machine itself, for its ``EventBridgeRule``
``AWS::Serverless::StateMachine``   and ``CloudWatchEvent`` events (on their bus) and ``SNS`` events
                                    (on their topic)
=================================== ===================================================================

Names are those :mod:`.templates` gives the patterns (the logical id; ``Function.Events.Name``).
A target written ``!GetAtt Queue.Arn`` or ``!Ref Queue`` is the resource ``Queue``; other targets
are compared as written.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .common import read_text
from .located import load_json
from .templates import is_template

__all__ = ["shared_targets"]

_SAM_RULE_EVENTS = ("EventBridgeRule", "CloudWatchEvent")
_SAM_RESOURCES = ("AWS::Serverless::Function", "AWS::Serverless::StateMachine")


def _text(value: Any) -> str:
    """A target as a reader writes it: ``!GetAtt Queue.Arn``, ``!Ref Topic``, or the value."""
    if isinstance(value, Mapping) and len(value) == 1:
        ((key, operand),) = value.items()
        if key == "Ref" or key.startswith("Fn::"):
            shown = ".".join(map(str, operand)) if isinstance(operand, list) else json.dumps(operand)
            return f"!{key.removeprefix('Fn::')} {shown.strip(chr(34))}"
    return value if isinstance(value, str) else json.dumps(value, default=str)


def _resource(value: Any) -> Any:
    """The logical id a target names (``!GetAtt Queue.Arn`` and ``!Ref Queue`` name ``Queue``), or
    the target as written."""
    if isinstance(value, Mapping) and len(value) == 1:
        ((key, operand),) = value.items()
        if key == "Ref" and isinstance(operand, str):
            return operand
        if key == "Fn::GetAtt":
            parts = operand.split(".") if isinstance(operand, str) else operand
            if isinstance(parts, list) and len(parts) == 2 and parts[1] == "Arn":
                return parts[0]
    return value


def _key(kind: str, where: Any, target: Any) -> str:
    return json.dumps([kind, _resource(where), _resource(target)], sort_keys=True, default=str)


def _deliveries(name: str, resource: Mapping[str, Any]) -> Iterator[tuple[str, str, str]]:
    """``(target key, what the rule delivers to, rule name)`` for each target of a resource."""
    kind, properties = resource.get("Type"), resource.get("Properties")
    if not isinstance(properties, Mapping):
        return
    if kind == "AWS::Events::Rule":
        bus = properties.get("EventBusName", "default")
        for target in properties.get("Targets") or ():
            if isinstance(target, Mapping) and "Arn" in target:
                yield _key("events", bus, target["Arn"]), f"routed to {_text(target['Arn'])}", name
    elif kind == "AWS::SNS::Subscription" and "Endpoint" in properties:
        endpoint = properties["Endpoint"]
        yield _key("sns", properties.get("TopicArn"), endpoint), f"delivered to {_text(endpoint)}", name
    elif kind in _SAM_RESOURCES and isinstance(properties.get("Events"), Mapping):
        for event_name, event in properties["Events"].items():
            details = event.get("Properties") if isinstance(event, Mapping) else None
            if not isinstance(details, Mapping):
                continue
            here = f"{name}.Events.{event_name}"
            if event.get("Type") in _SAM_RULE_EVENTS:
                yield _key("events", details.get("EventBusName", "default"), name), f"invoking {name}", here
            elif event.get("Type") == "SNS":
                yield _key("sns", details.get("Topic"), name), f"invoking {name}", here


def _document(path: str) -> Any:
    text = read_text(path)
    if Path(path).suffix.lower() in (".yaml", ".yml"):
        from .yamlload import load_yaml

        return load_yaml(text)
    return load_json(text)


def shared_targets(path: str) -> list[tuple[str, list[str]]]:
    """``(what they deliver to, rule names)`` for each target that two or more rules of the
    template ``path`` deliver to; nothing for a file that is not a template."""
    try:
        document = _document(path)
    except ValueError:  # not JSON or YAML: reading the rules has said so already
        return []
    if not is_template(document) or not isinstance(document.get("Resources"), Mapping):
        return []
    shared: dict[str, tuple[str, list[str]]] = {}
    for name, resource in document["Resources"].items():
        if isinstance(resource, Mapping):
            for key, label, rule in _deliveries(name, resource):
                shared.setdefault(key, (label, []))[1].append(rule)
    return [(label, names) for label, names in shared.values() if len(names) > 1]
