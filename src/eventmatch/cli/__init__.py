"""The ``eventmatch`` command: validate, match, explain and bench (``eventmatch COMMAND --help``).

Unix habits: data on stdout, diagnostics on stderr, ``-`` for stdin, ``--format json`` for scripts, exit
status 0 (fine), 1 (something invalid, a bad input line, or no match) and 2 (usage errors, unreadable
files, a missing optional dependency). User errors never end in a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .. import __version__
from .bench import register as register_bench
from .common import EXIT_FAILED, EXIT_USAGE, CliError
from .explain import register as register_explain
from .match import register as register_match
from .replay import register as register_replay
from .validate import register as register_validate

__all__ = ["build_parser", "main"]

EPILOG = """\
examples:
  eventmatch validate template.yaml
  eventmatch match --rules rules.json events.jsonl
  zcat events.jsonl.gz | eventmatch match --rules rules.json --format names -
  eventmatch explain --pattern pattern.json --event '{"source": "aws.ec2"}'
  eventmatch bench --rules rules.json --events events.jsonl --scaling
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(
        prog="eventmatch",
        description="Check and run AWS EventBridge event patterns and SNS filter policies, offline.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for register in (register_validate, register_match, register_explain, register_bench, register_replay):
        register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        status: int = args.run(args)
    except CliError as exc:
        print(f"eventmatch: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, and keep Python from complaining at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    return status
