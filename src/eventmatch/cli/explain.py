"""``eventmatch explain``: why an event does or does not match a pattern."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import Final

from ..errors import InvalidEventError, InvalidPatternError
from ..explain import explain
from .common import EXIT_FAILED, EXIT_OK, STDIN, CliError, add_command, print_json, read_text
from .options import add_format

__all__ = ["register"]

DESCRIPTION = """\
Explain why an EventBridge event matches a pattern or not: each condition of the pattern with its path,
its tests, the event's values there and whether it holds, the first failing condition first; for a
pattern with $or, which alternative decided. P and E are file names, '-' for stdin, or inline JSON (any
argument starting with '{', '[' or '"'; a file whose name does, as ./[x].json).
"""

EPILOG = """\
exit status: 0 when the event matches, 1 when it does not, 2 when the pattern or the event is invalid.

examples:
  eventmatch explain --pattern pattern.json --event event.json
  eventmatch explain --pattern '{"source": ["aws.ec2"]}' --event '{"source": "aws.s3"}'
  head -1 events.jsonl | eventmatch explain --pattern pattern.json --event - --format json
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``explain`` command."""
    parser = add_command(commands, "explain", DESCRIPTION, EPILOG)
    parser.add_argument(
        "--pattern", required=True, metavar="P", help="the pattern: a file, '-' or inline JSON"
    )
    parser.add_argument("--event", required=True, metavar="E", help="the event: a file, '-' or inline JSON")
    add_format(parser, "text", "json")
    parser.set_defaults(run=run)


_INLINE: Final = ("{", "[", '"')  # how JSON text starts and a file name hardly does


def _json_argument(value: str) -> str:
    """The JSON text given inline, or read from the file (or stdin) ``value`` names. Text that cannot
    be a pattern or an event (``["x"]``) is still taken inline, for explain to say why."""
    return value if value.lstrip().startswith(_INLINE) else read_text(value)


def run(args: argparse.Namespace) -> int:
    """Explain; return 0 on a match and 1 otherwise."""
    if args.pattern == STDIN and args.event == STDIN:
        raise CliError("only one of --pattern and --event can be read from stdin")
    pattern, event = _json_argument(args.pattern), _json_argument(args.event)
    try:
        result = explain(pattern, event)
    except InvalidPatternError as exc:
        raise CliError(f"invalid pattern: {exc}") from None
    except InvalidEventError as exc:
        raise CliError(f"invalid event: {exc}") from None
    if args.format == "json":
        print_json(dataclasses.asdict(result), sys.stdout)
    else:
        print(result)
    return EXIT_OK if result.matched else EXIT_FAILED
