"""Conditions a pattern writes twice, of which only the last counts.

A pattern's keys join into dotted paths (SPEC 1.2), and when one path is written twice in one
alternative, the later occurrence replaces the earlier (SPEC 1.1, 2.11): a repeated key, a dotted key
and a nested object (``{"detail.a": [1], "detail": {"a": [2]}}``), or a key beside a ``$or`` and again
in one of its branches. The author most likely meant both. The compiled rule keeps only the last, so
this reads the pattern as written, walking it the way the front end does (:mod:`eventmatch.eventbridge`).

The pattern may be JSON text (read keeping repeated keys), a parsed ``JsonObject``, a document from a
YAML template (whose mappings keep every occurrence in ``entries``), or a plain dict.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidPatternError
from ..jsontext import JsonObject, parse_pattern_text

__all__ = ["Override", "overridden"]

Written = tuple[tuple[str, ...], int]  # the keys leading to a value list, and which one it was in the walk


@dataclass(frozen=True, slots=True)
class Override:
    """A path written twice in one alternative: ``first`` is ignored, ``last`` counts (both shown as
    the keys that lead to them: ``"detail" > "a"``)."""

    path: str
    first: str
    last: str

    def __str__(self) -> str:
        if self.first == self.last:
            return f"{self.path} is written twice as {self.last}: only the last one counts"
        return f"{self.path} is written at {self.first} and again at {self.last}: only the last one counts"


def _pairs(value: Any) -> list[tuple[str, Any]] | None:
    """An object's (key, value) pairs as written, repeats included; None for anything else."""
    if isinstance(value, JsonObject):
        return value.pairs
    entries = getattr(value, "entries", None)  # a YAML mapping that remembers every occurrence
    if isinstance(value, dict) and isinstance(entries, list):
        return [(key, item) for key, item, _ in entries]
    if isinstance(value, dict):
        return list(value.items())
    return None


def _shown(keys: tuple[str, ...]) -> str:
    return " > ".join(key if key.startswith("$or[") else json.dumps(key, ensure_ascii=False) for key in keys)


class _Walk:
    def __init__(self) -> None:
        self.count = 0
        self.found: dict[tuple[str, int, int], Override] = {}

    def fields(
        self,
        pairs: Sequence[tuple[str, Any]],
        parent: str | None,
        alternatives: list[dict[str, Written]],
        keys: tuple[str, ...],
    ) -> list[dict[str, Written]]:
        for key, value in pairs:
            branches = (
                [_pairs(branch) for branch in value] if key == "$or" and isinstance(value, list) else []
            )
            if len(branches) >= 2 and all(branch is not None for branch in branches):
                expanded = []
                for index, branch in enumerate(branches):
                    copies = [dict(written) for written in alternatives]
                    expanded += self.fields(branch or [], parent, copies, (*keys, f"$or[{index}]"))
                alternatives = expanded
            elif isinstance(value, list):
                path = f"{parent}.{key}" if parent else key  # as the front end joins them
                self.count += 1
                here = ((*keys, key), self.count)
                for written in alternatives:
                    earlier = written.get(path)
                    if earlier is not None:
                        self.found.setdefault(
                            (path, earlier[1], here[1]), Override(path, _shown(earlier[0]), _shown(here[0]))
                        )
                    written[path] = here
            elif (inner := _pairs(value)) is not None:
                nested = key if parent is None else f"{parent}.{key}"
                alternatives = self.fields(inner, nested, alternatives, (*keys, key))
        return alternatives


def overridden(pattern: object) -> list[Override]:
    """The paths ``pattern`` writes twice in one alternative, in the order they are written."""
    if isinstance(pattern, str | bytes):
        try:
            pattern = parse_pattern_text(pattern)
        except InvalidPatternError:
            return []
    pairs = _pairs(pattern)
    if pairs is None:
        return []
    walk = _Walk()
    walk.fields(pairs, None, [{}], ())
    return list(walk.found.values())
