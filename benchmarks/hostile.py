"""Hostile inputs: the patterns and events of issue 8 that kept the engine busy for seconds.

Each :class:`Case` is a name, the issue's figure and a ``build`` function. ``build(small)`` prepares a
:class:`Trial` without timing it (compiles the pattern, fills the machine, serialises the event); the
trial's ``run`` is what is timed, and its answer must equal ``expected``, which an oracle independent of
the engine derives:

* wildcards (stars only): a greedy leftmost search for the literal segments, in linear time;
* arrays: the conditions lie in different arrays, so array consistency cannot separate them and the rule
  matches exactly when each condition alone does, which the reference interpreter answers in linear time;
* ``equals-ignore-case`` on ASCII letters: ``str.lower`` on both sides.

``small=True`` builds a small variant of the same shape, on which the full reference interpreter
(``reference_matcher.py``, too slow for the full cases) is also asked; ``--self-test`` checks that it,
the oracle and the engine agree there.

Usage: ``python benchmarks/hostile.py [--cases NAME,...] [--timeout 60] [--repeat 3] [--self-test]``.
Every case runs in a fresh subprocess (so no cache of an earlier case or repetition helps it) that is
killed after ``--timeout`` seconds, build included.
"""

from __future__ import annotations

import argparse
import importlib
import json
import string
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from random import Random
from typing import Any

import orjson

import eventmatch

__all__ = ["CASES", "Case", "Outcome", "Trial", "glob_matches", "measure_case"]

TARGET_SECONDS = 0.1
REPEAT_BELOW_SECONDS = 1.0  # a case slower than this is not run again: it misses the target by far
RULE = "r"
FORMS = ("pattern", "machine", "anything-but")


@dataclass(frozen=True)
class Trial:
    """One prepared case: ``run`` is timed; its answer must be ``expected``."""

    run: Callable[[], object]
    expected: object
    reference: Callable[[], object]  # the reference interpreter's answer: only tractable when small


@dataclass(frozen=True)
class Case:
    """A hostile input, as the issue describes it."""

    name: str
    issue: str  # what the issue measured, in its words
    issue_seconds: float
    build: Callable[[bool], Trial]


def glob_matches(wildcard: str, value: str) -> bool:
    """Whether ``value`` matches ``wildcard`` (``*`` only, no escapes), in linear time.

    The first and last literal segments must be the value's prefix and suffix; every segment between
    them is searched for leftmost after the previous one: taking the leftmost occurrence never loses a
    match, so no backtracking is needed.
    """
    assert "\\" not in wildcard, "escapes are not supported by this oracle"
    first, *middle, last = wildcard.split("*") if "*" in wildcard else (wildcard, None)
    if last is None:
        return value == first
    if len(first) + len(last) > len(value) or not value.startswith(first) or not value.endswith(last):
        return False
    position, end = len(first), len(value) - len(last)
    for segment in middle:
        found = value.find(segment, position, end)
        if found < 0:
            return False
        position = found + len(segment)
    return True


def _reference(rules: Sequence[tuple[str, Any]], event: bytes) -> list[str]:
    """Sorted names of ``rules`` matching ``event``, according to the reference interpreter."""
    from reference_matcher import ReferenceMatcher  # needs eventmatch's internals: only for checking

    return sorted(ReferenceMatcher(rules).match(orjson.loads(event)))


def _machine(rules: Sequence[tuple[str, Any]]) -> eventmatch.Machine:
    machine = eventmatch.Machine()
    machine.add_rules(rules)
    return machine


# --------------------------------------------------------------------------------------------------------
# wildcards
# --------------------------------------------------------------------------------------------------------


def _wildcard_trial(wildcard: str, value: str, form: str) -> Trial:
    """``wildcard`` against ``{"x": value}``: in a ``Pattern``, in a Machine, or under ``anything-but``."""
    event = orjson.dumps({"x": value})
    test: dict[str, Any] = {"wildcard": wildcard}
    matched = glob_matches(wildcard, value)
    if form == "anything-but":
        test, matched = {"anything-but": test}, not matched
    rules = [(RULE, {"x": [test]})]
    if form == "pattern":
        pattern = eventmatch.compile_pattern(rules[0][1])
        return Trial(lambda: pattern.matches(event), matched, lambda: _reference(rules, event) == [RULE])
    machine = _machine(rules)
    return Trial(
        lambda: sorted(machine.match(event)), [RULE] if matched else [], lambda: _reference(rules, event)
    )


def _wildcard_case(name: str, wildcard: str, value: Callable[[bool], str], form: str, seconds: float) -> Case:
    where = {"pattern": "a Pattern", "machine": "a Machine", "anything-but": "`anything-but`, a Machine"}
    return Case(
        f"wildcard-{name}-{form}",
        f"`{wildcard}` against {len(value(False)):,} characters, in {where[form]}",
        seconds,
        lambda small: _wildcard_trial(wildcard, value(small), form),
    )


def _many_wildcards(small: bool) -> Trial:
    """10,000 rules ``*a*b*c{i}*`` against a 1 KB value of a's, a b, and "c7": only rule 7 matches."""
    count, length = (30, 40) if small else (10_000, 1_024)
    value = "a" * (length - 3) + "bc7"
    rules = [(f"r{i:05d}", {"x": [{"wildcard": f"*a*b*c{i}*"}]}) for i in range(count)]
    event = orjson.dumps({"x": value})
    expected = [name for name, pattern in rules if glob_matches(pattern["x"][0]["wildcard"], value)]
    machine = _machine(rules)
    return Trial(lambda: sorted(machine.match(event)), expected, lambda: _reference(rules, event))


# --------------------------------------------------------------------------------------------------------
# array consistency
# --------------------------------------------------------------------------------------------------------


def _independent(conditions: Sequence[dict[str, Any]], event: bytes) -> list[str]:
    """The answer for one rule made of ``conditions`` that lie in different arrays: each alone decides.

    Conditions on paths that share no array never constrain each other's array elements (nor does
    event-ruler's order of offering leaves), so the rule matches when every condition, as a rule of its
    own, matches.
    """
    alone = [_reference([(RULE, condition)], event) for condition in conditions]
    return [RULE] if all(answer == [RULE] for answer in alone) else []


def _arrays_trial(arrays: Mapping[str, list[dict[str, Any]]], conditions: Sequence[dict[str, Any]]) -> Trial:
    """One rule of ``conditions`` (one top-level field each) against an event of ``arrays``."""
    event = orjson.dumps(arrays)
    rules = [(RULE, {key: value for condition in conditions for key, value in condition.items()})]
    machine = _machine(rules)
    return Trial(
        lambda: sorted(machine.match(event)),
        _independent(conditions, event),
        lambda: _reference(rules, event),
    )


def _two_arrays(small: bool) -> Trial:
    """Two arrays of 1,000 objects with one value (22 KB), one rule with a condition in each: a match."""
    size = 6 if small else 1_000
    arrays = {key: [{"id": "v"} for _ in range(size)] for key in ("a", "b")}
    return _arrays_trial(arrays, [{key: {"id": ["v"]}} for key in arrays])


def _three_arrays(small: bool) -> Trial:
    """Three arrays of 80 objects and four ``exists`` conditions; the fourth path is absent: no match."""
    size = 4 if small else 80
    arrays = {key: [{"id": index} for index in range(size)] for key in ("a", "b", "c")}
    exists = [{"exists": True}]
    return _arrays_trial(arrays, [{key: {"id": exists}} for key in ("a", "b", "c", "d")])


# --------------------------------------------------------------------------------------------------------
# equals-ignore-case
# --------------------------------------------------------------------------------------------------------


def _long_ignore_case(small: bool) -> Trial:
    """Compile ``equals-ignore-case`` of 100,000 ASCII letters; match its swapped case and a near miss."""
    rng = Random("hostile-equals-ignore-case")
    text = "".join(rng.choices(string.ascii_letters, k=100 if small else 100_000))
    near_miss = text[:-1] + ("b" if text[-1] in "aA" else "a")
    events = [orjson.dumps({"x": value}) for value in (text.swapcase(), near_miss)]
    rules = [(RULE, {"x": [{"equals-ignore-case": text}]})]

    def run() -> list[bool]:
        pattern = eventmatch.compile_pattern(rules[0][1])
        return [pattern.matches(event) for event in events]

    return Trial(
        run,
        [text.lower() == value.lower() for value in (text.swapcase(), near_miss)],
        lambda: [_reference(rules, event) == [RULE] for event in events],
    )


CASES: dict[str, Case] = {
    case.name: case
    for case in (
        *(
            _wildcard_case("aab", "*a*a*b*", lambda small: "b" + "a" * (40 if small else 4_000), form, 11.5)
            for form in FORMS
        ),
        *(
            _wildcard_case("aaab", "*a*a*a*b*", lambda small: "a" * (12 if small else 1_000), form, 48.0)
            for form in FORMS
        ),
        Case("wildcards-10k", "10,000 rules `*a*b*c{i}*` against a 1 KB value", 5.7, _many_wildcards),
        Case("arrays-2x1000", "two arrays of 1,000 objects (22 KB), a condition in each", 15.8, _two_arrays),
        Case("arrays-3x80", "three arrays of 80 objects, four `exists` conditions", 9.75, _three_arrays),
        Case(
            "ignore-case-100k", "`equals-ignore-case` of 100,000 characters, compiled", 3.8, _long_ignore_case
        ),
    )
}


# --------------------------------------------------------------------------------------------------------
# running
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What one case gave: its best run time, or why there is none."""

    name: str
    build_seconds: float | None
    run_seconds: float | None  # None when the worker timed out or failed
    correct: bool
    error: str = ""

    @property
    def met(self) -> bool:
        """Whether the case answered right within :data:`TARGET_SECONDS`."""
        return self.correct and self.run_seconds is not None and self.run_seconds <= TARGET_SECONDS


def _work(name: str) -> dict[str, Any]:
    """Build and run one case in this process; what the parent reads from the worker's stdout."""
    # The matching machinery is imported on a Pattern's first match: load it first, so that no case
    # times an import (about 25 ms) instead of its work.
    importlib.import_module("eventmatch.snapshot")
    start = time.perf_counter()
    trial = CASES[name].build(False)
    built = time.perf_counter()
    answer = trial.run()
    ran = time.perf_counter()
    return {
        "build_seconds": built - start,
        "run_seconds": ran - built,
        "correct": answer == trial.expected,
        "answer": repr(answer)[:200],
        "expected": repr(trial.expected)[:200],
    }


def _work_once(name: str, timeout: float, env: Mapping[str, str] | None) -> Outcome:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", name]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        return Outcome(name, None, None, False, f"> {timeout:g} s (killed)")
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit status {done.returncode}"]
        return Outcome(name, None, None, False, lines[-1])
    report = json.loads(done.stdout)
    error = "" if report["correct"] else f"answered {report['answer']}, expected {report['expected']}"
    return Outcome(name, report["build_seconds"], report["run_seconds"], report["correct"], error)


def measure_case(name: str, timeout: float, repeat: int, env: Mapping[str, str] | None = None) -> Outcome:
    """Best of ``repeat`` fresh worker processes (one only when a run takes over a second or fails)."""
    best = _work_once(name, timeout, env)
    for _ in range(repeat - 1):
        if best.run_seconds is None or best.run_seconds > REPEAT_BELOW_SECONDS:
            break
        outcome = _work_once(name, timeout, env)
        if outcome.run_seconds is None or not outcome.correct:
            return outcome
        best = min(best, outcome, key=lambda result: result.run_seconds or 0.0)
    return best


def seconds_text(outcome: Outcome) -> str:
    """The run time of ``outcome`` as table text (the timeout when it has none)."""
    if outcome.run_seconds is None:
        return outcome.error if outcome.error.startswith(">") else "failed"
    return f"{outcome.run_seconds:.3f}"


def markdown_table(outcomes: Sequence[Outcome]) -> str:
    """One row per case: the issue's figure next to this run's."""
    lines = [
        "| case | input | issue | build s | run s | answer | ≤ 0.1 s |",
        "|---|---|---:|---:|---:|---|---|",
    ]
    for outcome in outcomes:
        case = CASES[outcome.name]
        build = "" if outcome.build_seconds is None else f"{outcome.build_seconds:.3f}"
        answer = "right" if outcome.correct else (outcome.error if outcome.run_seconds is not None else "—")
        lines.append(
            f"| {case.name} | {case.issue} | {case.issue_seconds:g} s | {build} | {seconds_text(outcome)} "
            f"| {answer} | {'met' if outcome.met else 'missed'} |"
        )
    return "\n".join(lines)


def self_test() -> None:
    """On the small variant of every case, the oracle, the reference interpreter and the engine agree."""
    for name, case in CASES.items():
        trial = case.build(True)
        reference, answer = trial.reference(), trial.run()
        assert reference == trial.expected, f"{name}: reference {reference!r}, oracle {trial.expected!r}"
        assert answer == trial.expected, f"{name}: engine {answer!r}, oracle {trial.expected!r}"
        print(f"{name:27} small variant: oracle = reference = engine = {answer!r}")
    print("ok")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the cases (or the self-test); exit status 1 when a case misses its target or fails."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per worker (default 60)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N fresh runs (default 3)")
    parser.add_argument("--self-test", action="store_true", help="check the small variants and exit")
    parser.add_argument("--worker", metavar="CASE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_work(args.worker)))
        return 0
    if args.self_test:
        self_test()
        return 0
    names = args.cases.split(",") if args.cases else list(CASES)
    unknown = set(names) - set(CASES)
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    outcomes = []
    for name in names:
        outcomes.append(measure_case(name, args.timeout, args.repeat))
        print(f"{name}: {seconds_text(outcomes[-1])}", file=sys.stderr, flush=True)
    print(markdown_table(outcomes))
    return 0 if all(outcome.met for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
