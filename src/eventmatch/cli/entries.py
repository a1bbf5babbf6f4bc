"""A pattern or filter policy found in an input file, ready to compile, with where it was written."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any, Final, NamedTuple

from .common import Finding, Severity, Where
from .located import Position

__all__ = [
    "MESSAGE_ATTRIBUTES",
    "SCOPES",
    "Kind",
    "RuleEntry",
    "Service",
    "duplicate_names",
    "pattern_body",
]

MESSAGE_ATTRIBUTES: Final = "MessageAttributes"
SCOPES: Final = (MESSAGE_ATTRIBUTES, "MessageBody")


class Kind(enum.Enum):
    """Which language a pattern is written in."""

    EVENTBRIDGE = "eventbridge"  # EventBridge patterns, and Pipes / Lambda event-source-mapping filters
    SNS = "sns"  # SNS subscription filter policies


class Service(enum.Enum):
    """Which AWS service receives an EventBridge-language pattern: each accepts its own operators and
    sizes (see :mod:`.filter_grammars`)."""

    EVENT_BUS = "events"  # an EventBridge rule's event pattern
    LAMBDA = "lambda"  # the FilterCriteria of a Lambda event source mapping
    PIPES = "pipes"  # the FilterCriteria of an EventBridge pipe's source


class RuleEntry(NamedTuple):  # a tuple: quick to make, for each of 100,000s of patterns
    """One pattern as written in a file.

    ``body`` is what the compiler is given: the pattern's exact JSON text, or the parsed value when it
    was written in YAML or holds intrinsic functions. ``as_text`` is true when the pattern was written
    as a JSON *string* (as a template's ``EventPattern: '{...}'``): AWS then receives that text as it
    is, which matters for its size.

    ``intrinsic`` is set when the pattern holds something resolved only at deployment, a CloudFormation
    intrinsic function or (with ``variables``) a Serverless Framework ``${...}`` variable: the path in
    the pattern where the first one sits (empty for the whole pattern), or the name of the property
    (``FilterPolicyScope``) that holds it. ``validate`` checks around them (:mod:`.placeholders`);
    ``match`` leaves such patterns out. ``scope`` is None when an intrinsic function gives it.
    ``service`` says whose rules an EventBridge-language pattern must follow.
    """

    name: str
    where: Where
    body: object
    kind: Kind = Kind.EVENTBRIDGE
    scope: str | None = MESSAGE_ATTRIBUTES
    as_text: bool = False
    intrinsic: str | None = None
    service: Service = Service.EVENT_BUS
    variables: bool = False


def pattern_body(value: Any, position: Position, text: str) -> tuple[object, bool]:
    """``(body, as_text)`` for a pattern written at ``position`` of a document whose text is ``text``."""
    if isinstance(value, str):
        return value, True
    if position.span is not None:
        start, end = position.span
        return text[start:end], False
    return value, False


def duplicate_names(entries: Iterable[RuleEntry]) -> list[Finding]:
    """A warning for every entry whose name an earlier entry already has.

    A Machine takes a name given twice as OR (it matches when either pattern does); that is what
    ``match`` does, but in a JSON object a repeated key is more often a copy-and-paste slip.
    """
    first: dict[str, RuleEntry] = {}
    findings: list[Finding] = []
    for entry in entries:
        earlier = first.setdefault(entry.name, entry)
        if earlier is not entry:
            message = (
                f"rule name also used at {earlier.where}: a machine matches either pattern under this name"
            )
            findings.append(Finding(entry.where, message, entry.name, severity=Severity.WARNING))
    return findings
