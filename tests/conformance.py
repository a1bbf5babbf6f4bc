"""Reading the shared conformance corpus (``../shared/conformance``) and our deviation list.

A user's clone has no ``../shared``; the runners then skip with a clear message.
Set ``EVENTMATCH_CONFORMANCE`` to point at a copy elsewhere.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eventmatch.jsontext import JsonNumber, JsonObject, JsonValue, parse_pattern_text

PROJECT = Path(__file__).resolve().parents[1]
ROOT = Path(os.environ.get("EVENTMATCH_CONFORMANCE", PROJECT.parent / "shared" / "conformance"))
MISSING_REASON = f"shared conformance corpus not found at {ROOT} (set EVENTMATCH_CONFORMANCE to run it)"


def available() -> bool:
    """Whether the shared corpus is present."""
    return ROOT.is_dir()


def lines(language: str) -> Iterator[str]:
    """Every case line of one language's corpus, in file order."""
    if not available():
        return
    for path in sorted((ROOT / language).glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            yield from (line for line in handle if line.strip())


def to_text(value: JsonValue) -> str:
    """JSON text of a parsed value, numbers and repeated keys exactly as written."""
    if isinstance(value, JsonObject):
        return "{" + ",".join(json.dumps(key) + ":" + to_text(item) for key, item in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(to_text(item) for item in value) + "]"
    if isinstance(value, JsonNumber):
        return value.text
    return json.dumps(value)


def rule_texts(line: str) -> dict[str, list[str]]:
    """A match case's rules as name -> exact pattern texts (a name may hold several patterns)."""
    case = parse_pattern_text(line)
    assert isinstance(case, JsonObject)
    rules = dict(case)["rules"]
    assert isinstance(rules, JsonObject)
    return {
        name: [to_text(pattern)] if isinstance(pattern, JsonObject) else [to_text(p) for p in pattern]  # type: ignore[union-attr]
        for name, pattern in rules
    }


def documented_deviations() -> dict[str, str]:
    """Case id -> section of ``docs/deviations.md`` that lists it."""
    deviations: dict[str, str] = {}
    section = ""
    for line in (PROJECT / "docs" / "deviations.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif match := re.fullmatch(r"- `([^`]+)`", line.strip()):
            deviations.setdefault(match.group(1), section)
    return deviations


def case(line: str) -> dict[str, Any]:
    """One case as plain JSON."""
    parsed: dict[str, Any] = json.loads(line)
    return parsed
