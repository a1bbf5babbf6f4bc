"""Command-line options that several commands share."""

from __future__ import annotations

import argparse

from .entries import MESSAGE_ATTRIBUTES, SCOPES, Kind
from .rulefiles import Layout, ReadOptions

__all__ = ["add_format", "add_language", "add_rules_as", "read_options"]


def add_language(parser: argparse.ArgumentParser) -> None:
    """``--sns`` and ``--scope``: the language of patterns outside templates."""
    group = parser.add_argument_group("SNS filter policies")
    group.add_argument(
        "--sns",
        action="store_true",
        help="the patterns are SNS subscription filter policies (templates say so themselves)",
    )
    group.add_argument(
        "--scope",
        choices=SCOPES,
        default=MESSAGE_ATTRIBUTES,
        help="the FilterPolicyScope of those policies (default: %(default)s)",
    )


def add_rules_as(parser: argparse.ArgumentParser) -> None:
    """``--rules-as``: how to read a JSON object rule file, instead of guessing."""
    parser.add_argument(
        "--rules-as",
        type=Layout,
        choices=list(Layout),
        metavar="{pattern,rules}",
        help="read JSON object rule files as one pattern or as a rules file, instead of guessing",
    )


def add_format(parser: argparse.ArgumentParser, *choices: str) -> None:
    """``--format`` with ``choices``, the first being the default."""
    parser.add_argument(
        "--format", choices=choices, default=choices[0], help="output format (default: %(default)s)"
    )


def read_options(args: argparse.Namespace, layout: Layout | None = None) -> ReadOptions:
    """How to read rule files, from ``--sns`` / ``--scope`` and a forced layout."""
    return ReadOptions(layout, Kind.SNS if args.sns else Kind.EVENTBRIDGE, args.scope)
