"""Loading rule files into one Machine, for ``match`` and ``bench``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

from ..errors import InvalidPatternError
from .common import CliError, Finding, Severity
from .entries import Kind, RuleEntry
from .rulefiles import ReadOptions, load_rules

if TYPE_CHECKING:
    from .. import Machine

__all__ = ["build_machine", "load_entries"]

_LANGUAGES = {Kind.EVENTBRIDGE: "EventBridge patterns", Kind.SNS: "SNS filter policies"}
_INTRINSIC: Final = "contains an intrinsic function"
_INTRINSIC_OR_VARIABLE: Final = "contains an intrinsic function or a Serverless variable"


def _fail_on(problems: Sequence[Finding]) -> None:
    if problems:
        raise CliError("cannot use the rules:\n" + "\n".join(str(problem) for problem in problems))


def load_entries(paths: Iterable[str], options: ReadOptions) -> tuple[list[RuleEntry], list[Finding]]:
    """The patterns in ``options.kind``'s language from all the files, and warnings about those left out.

    Patterns in the other language (a template can hold both) are left out silently, patterns holding
    an intrinsic function or a Serverless variable (their values are known only at deployment) with a
    warning. A name given twice means OR, as in a Machine. CliError lists every problem when a file
    cannot be used.
    """
    paths = list(paths)
    entries: list[RuleEntry] = []
    problems: list[Finding] = []
    for path in paths:
        loaded = load_rules(path, options)
        entries.extend(entry for entry in loaded.entries if entry.kind is options.kind)
        problems.extend(loaded.findings)
    _fail_on(problems)
    skipped = [
        Finding(
            entry.where,
            f"left out: {_INTRINSIC_OR_VARIABLE if entry.variables else _INTRINSIC}",
            entry.name,
            entry.intrinsic,
            Severity.WARNING,
        )
        for entry in entries
        if entry.intrinsic is not None
    ]
    usable = [entry for entry in entries if entry.intrinsic is None]
    if not usable:
        raise CliError(f"no {_LANGUAGES[options.kind]} found in {', '.join(paths)}")
    return usable, skipped


def build_machine(entries: Iterable[RuleEntry]) -> Machine:
    """A Machine holding every entry; CliError lists the invalid ones."""
    from .. import Machine

    machine = Machine()
    problems = []
    for entry in entries:
        try:
            if entry.kind is Kind.SNS:
                assert entry.scope is not None  # an unknown scope is an intrinsic: load_entries left it out
                machine.add_filter_policy(entry.name, entry.body, scope=entry.scope)
            else:
                machine.add_rule(entry.name, entry.body)
        except InvalidPatternError as exc:
            problems.append(Finding(entry.where, exc.reason, entry.name, exc.path))
    _fail_on(problems)
    return machine
