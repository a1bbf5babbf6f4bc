"""What every command shares: exit codes, the usage-error exception and the shape of a finding."""

from __future__ import annotations

import argparse
import enum
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, NamedTuple, TextIO

__all__ = [
    "COMMANDS",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "STDIN",
    "CliError",
    "Finding",
    "Severity",
    "Where",
    "plural",
    "print_json",
    "read_text",
]

EXIT_OK: Final = 0
EXIT_FAILED: Final = 1  # something was invalid or did not match
EXIT_USAGE: Final = 2  # bad arguments, unreadable input, missing optional dependency

STDIN: Final = "-"

#: Each command, with the summary ``eventmatch --help`` lists it with. A command is defined in the
#: module of its name (:mod:`.validate`, ...), which is imported only when the command runs.
COMMANDS: Final = {
    "validate": "check patterns and filter policies in files and templates",
    "match": "match a stream of JSON Lines events against rules",
    "explain": "explain why an event matches a pattern or not",
    "bench": "measure matching speed and memory on your rules and events",
    "replay": "match an archive of events on Apache Spark",
    "analyze": "find dead, duplicate, subsumed and overlapping rules",
}


class CliError(Exception):
    """A user error that ends the command with exit code 2 and this message on stderr."""


class Severity(enum.Enum):
    """How bad a finding is: errors fail ``validate``, warnings only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


class Where(NamedTuple):  # a tuple: quick to make, for each of 100,000s of patterns
    """A place in an input file (1-based line and column)."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem, printed as ``file:line:column: rule: path: reason`` (empty parts left out)."""

    where: Where
    message: str
    rule: str = ""
    path: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        reason = f"warning: {self.message}" if self.severity is Severity.WARNING else self.message
        return ": ".join(part for part in (str(self.where), self.rule, self.path, reason) if part)

    def as_json(self) -> dict[str, Any]:
        """The finding as a JSON object."""
        return {
            "file": self.where.file,
            "line": self.where.line,
            "column": self.where.column,
            "rule": self.rule,
            "path": self.path,
            "severity": self.severity.value,
            "message": self.message,
        }


def read_text(name: str) -> str:
    """The UTF-8 text of a file (``-`` is stdin); CliError when it cannot be read."""
    try:
        if name == STDIN:
            return sys.stdin.buffer.read().decode("utf-8-sig")
        return Path(name).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise CliError(f"cannot read {name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise CliError(f"cannot read {name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def plural(count: int, word: str) -> str:
    """``1 rule``, ``2 rules``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def print_json(document: object, out: TextIO) -> None:
    """Write one JSON document, indented, followed by a newline."""
    json.dump(document, out, indent=2, ensure_ascii=False)
    out.write("\n")


def add_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    description: str,
    epilog: str,
) -> argparse.ArgumentParser:
    """A subcommand's parser, with its summary (:data:`COMMANDS`), description and examples shown
    as written."""
    return commands.add_parser(
        name,
        help=COMMANDS[name],
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
