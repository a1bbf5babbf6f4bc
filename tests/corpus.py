"""Reading the project's own language-neutral corpus files (``corpus/<language>/*.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1] / "corpus"


def load(language: str, name: str) -> dict[str, Any]:
    """One corpus file, parsed with the standard ``json`` module."""
    with open(ROOT / language / f"{name}.json", encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def source(entry: dict[str, Any], key: str) -> Any:
    """``entry[key + "_text"]`` (JSON text, given verbatim) when present, else ``entry[key]``."""
    return entry[f"{key}_text"] if f"{key}_text" in entry else entry[key]
