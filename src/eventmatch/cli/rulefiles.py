"""Reading patterns from the files users keep them in.

A file is read, by the first rule that applies, as:

1. **YAML** when its name ends in ``.yaml`` or ``.yml``; the document is then handled as
   JSON is, below. Templates are the usual YAML input.
2. **JSON Lines** when its name ends in ``.jsonl`` or ``.ndjson``, or when it holds more than one JSON
   document: one pattern per line, or ``{"name": ..., "pattern": ...}`` per line (a line with exactly
   those two keys and a string name; the pattern may be an object or a JSON string). Unnamed lines are
   called ``<file stem>#<line>``. Blank lines are skipped.
3. A **CloudFormation / SAM template** when it has ``Resources`` with a ``Type`` (see :mod:`.templates`).
4. A **serverless.yml** when it has a ``service`` and a ``provider`` with a ``name`` (see
   :mod:`.serverless`).
5. A **rules file** (an object mapping rule names to patterns) or **one pattern**. Both are JSON objects,
   and ``{"detail": {"state": ["running"]}}`` could be either (one pattern, or a rule called ``detail``).
   The rule: it is a *rules file* when all its top-level values are objects and none of its keys is an
   EventBridge envelope field (``source``, ``detail-type``, ``detail``, ``account``, ``region``,
   ``time``, ``id``, ``version``, ``resources``) or ``$or``. Otherwise it is *one pattern* when each
   top-level value is an array or an object (as in every pattern) or its key is an envelope field (so
   that ``{"source": "aws.ec2"}`` gets AWS's reason). Anything else (a list, a ``package.json``, a
   workflow file ...) is none of these: a CliError, as an unreadable file is. ``--pattern`` /
   ``--rules`` force the choice. A single pattern is named after the file's stem.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ..collector import collector_paused
from .common import STDIN, CliError, Finding, Where, read_text
from .entries import MESSAGE_ATTRIBUTES, Kind, RuleEntry, pattern_body
from .located import (
    DocumentSyntaxError,
    LocatedDict,
    MemberInspector,
    Position,
    load_json,
)
from .serverless import is_serverless, serverless_entries
from .templates import is_template, template_entries

__all__ = ["ENVELOPE_FIELDS", "Layout", "LoadedRules", "ReadOptions", "load_rules"]

_YAML_SUFFIXES: Final = (".yaml", ".yml")
_LINES_SUFFIXES: Final = (".jsonl", ".ndjson")
ENVELOPE_FIELDS: Final = frozenset(
    {"version", "id", "detail-type", "source", "account", "time", "region", "resources", "detail", "$or"}
)


class Layout(enum.Enum):
    """How a JSON object file holds its patterns, when the reader is told rather than left to guess."""

    PATTERN = "pattern"
    RULES = "rules"


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read rule files: forced layout, and the language of patterns outside templates."""

    layout: Layout | None = None
    kind: Kind = Kind.EVENTBRIDGE
    scope: str = MESSAGE_ATTRIBUTES


@dataclass(slots=True)
class LoadedRules:
    """The patterns found in a file, and the problems that stopped others from being read."""

    entries: list[RuleEntry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _looks_like_rules(document: Any) -> bool:
    return (
        isinstance(document, Mapping)
        and bool(document)
        and all(isinstance(value, Mapping) for value in document.values())
        and ENVELOPE_FIELDS.isdisjoint(document)
    )


def _looks_like_pattern(document: Any) -> bool:
    return isinstance(document, Mapping) and all(
        isinstance(value, Mapping | list) or key in ENVELOPE_FIELDS for key, value in document.items()
    )


def _layout(document: Any, name: str) -> Layout:
    """The layout of a JSON object that is neither a template nor a serverless.yml (module docstring)."""
    if _looks_like_rules(document):
        return Layout.RULES
    if _looks_like_pattern(document):
        return Layout.PATTERN
    raise CliError(
        f"{name}: not an event pattern, a rules file, a CloudFormation / SAM template or a serverless.yml"
    )


def _stem(name: str) -> str:
    return "stdin" if name == STDIN else Path(name).name.split(".")[0]


class _Reader:
    def __init__(self, name: str, text: str, options: ReadOptions, inspect: MemberInspector | None) -> None:
        self.name = name
        self.text = text
        self.options = options
        self.inspect = inspect
        self.loaded = LoadedRules()

    def entry(self, name: str, value: Any, position: Position, text: str) -> None:
        self.entries([(name, value, position)], text)

    def entries(self, members: Iterable[tuple[str, Any, Position]], text: str) -> None:
        """An entry for each pattern ``(name, value, position)`` written in ``text`` (in one loop: a
        rules file has 100,000s)."""
        file, append = self.name, self.loaded.entries.append
        kind, scope = self.options.kind, self.options.scope
        for name, value, position in members:
            body, as_text = pattern_body(value, position, text)
            append(RuleEntry(name, Where(file, position.line, position.column), body, kind, scope, as_text))

    def problem(self, line: int, column: int, message: str) -> None:
        self.loaded.findings.append(Finding(Where(self.name, line, column), message))

    def document(self, document: Any, span: tuple[int, int] | None) -> None:
        """Read a whole parsed document; ``span`` is its text's extent when it was JSON."""
        if is_template(document):
            self.loaded.entries.extend(template_entries(document, self.name, self.text))
            return
        if is_serverless(document):
            self.loaded.entries.extend(serverless_entries(document, self.name, self.text))
            return
        layout = self.options.layout or _layout(document, self.name)
        if layout is Layout.RULES and isinstance(document, LocatedDict):
            self.entries(document.entries, self.text)
        else:
            self.entry(_stem(self.name), document, Position(1, 1, span), self.text)

    def json(self) -> None:
        """Read the text as one JSON document, or as JSON Lines when it holds several."""
        try:
            document = load_json(self.text, self.inspect)
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data":
                self.lines()
            else:
                self.problem(exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")
            return
        with collector_paused():  # an entry for each of maybe 100,000s of rules, and no cycles
            self.document(document, (0, len(self.text)))

    def yaml(self) -> None:
        """Read the text as one YAML document; CliError when its aliases expand it too far."""
        from .yamlload import AliasExpansionError, load_yaml  # PyYAML is imported only for YAML files

        try:
            document = load_yaml(self.text)
        except DocumentSyntaxError as exc:
            self.problem(exc.line, exc.column, f"not valid YAML: {exc.message}")
            return
        except AliasExpansionError as exc:
            raise CliError(f"cannot read {self.name}: {exc}") from None
        self.document(document, None)

    def lines(self) -> None:
        """Read the text as JSON Lines."""
        for number, line in enumerate(self.text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                document = load_json(line)
            except json.JSONDecodeError as exc:
                self.problem(number, exc.colno, f"not valid JSON: {exc.msg}")
                continue
            if _is_named(document):
                at = document.position("pattern")
                position = Position(number, at.column, at.span)
                self.entry(document["name"], document["pattern"], position, line)
            else:
                self.entry(
                    f"{_stem(self.name)}#{number}", document, Position(number, 1, (0, len(line))), line
                )


def _is_named(document: Any) -> bool:
    return (
        isinstance(document, LocatedDict)
        and document.keys() == {"name", "pattern"}
        and isinstance(document["name"], str)
    )


def load_rules(name: str, options: ReadOptions, inspect: MemberInspector | None = None) -> LoadedRules:
    """Every pattern in the file ``name`` (``-`` for stdin); CliError when it cannot be read.

    ``inspect`` is shown each object member of a JSON file's own object as it is read (see
    :data:`~.located.MemberInspector`): in a rules file, each pattern.
    """
    reader = _Reader(name, read_text(name), options, inspect)
    suffix = Path(name).suffix.lower()
    if suffix in _LINES_SUFFIXES:
        reader.lines()
    elif suffix in _YAML_SUFFIXES:
        reader.yaml()
    else:
        reader.json()
    return reader.loaded
