"""The ``eventmatch`` command: validate, match, explain and bench (``eventmatch COMMAND --help``).

Unix habits: data on stdout, diagnostics on stderr, ``-`` for stdin, ``--format json`` for scripts, exit
status 0 (fine), 1 (something invalid, a bad input line, or no match) and 2 (usage errors, unreadable
files, a missing optional dependency). User errors never end in a traceback. When the reader of the
output goes away (``eventmatch match ... | head``), the command stops quietly with status 141, as a C
program killed by SIGPIPE does (128 + 13): not 1, which says that something was invalid, nor 0, which
says that all the output was written.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import signal
import sys
from collections.abc import Sequence
from typing import Final

from .. import __version__
from .common import COMMANDS, EXIT_USAGE, CliError

__all__ = ["EXIT_BROKEN_PIPE", "build_parser", "main"]

EXIT_BROKEN_PIPE: Final = 128 + signal.SIGPIPE  # what a shell reports for a program killed by SIGPIPE

EPILOG = """\
examples:
  eventmatch validate template.yaml
  eventmatch match --rules rules.json events.jsonl
  zcat events.jsonl.gz | eventmatch match --rules rules.json --format names -
  eventmatch explain --pattern pattern.json --event '{"source": "aws.ec2"}'
  eventmatch bench --rules rules.json --events events.jsonl --scaling
"""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser of every command; of ``command`` alone when it is given, the others being
    listed with their summaries only (their modules, and all they import, are left unimported)."""
    parser = argparse.ArgumentParser(
        prog="eventmatch",
        description="Check and run AWS EventBridge event patterns and SNS filter policies, offline.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name, summary in COMMANDS.items():
        if command is None or name == command:
            importlib.import_module(f".{name}", __name__).register(commands)
        else:
            commands.add_parser(name, help=summary)
    for subparser in commands.choices.values():
        subparser.set_defaults(command_parser=subparser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    # JSON text may hold lone surrogates (in rule names, keys, values), which UTF-8 cannot:
    # written as backslash escapes rather than ending the command in UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    argv = sys.argv[1:] if argv is None else argv
    # The command is the first word that is not an option: the top-level options take no value.
    parser = build_parser(next((word for word in argv if not word.startswith("-")), ""))
    args, unrecognized = parser.parse_known_args(argv)
    if unrecognized:
        # parse_args would leave a command's unknown options to the top-level parser, whose usage
        # says nothing about the command: the command's parser reports them with its own usage.
        getattr(args, "command_parser", parser).error(f"unrecognized arguments: {' '.join(unrecognized)}")
    if not hasattr(args, "run"):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        status: int = args.run(args)
        sys.stdout.flush()  # here, so that a broken pipe is met below rather than at exit
    except CliError as exc:
        print(f"eventmatch: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``| head``): stop quietly, and keep Python from complaining when it
        # flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return status
