"""``eventmatch validate`` on large rule files (issue 9): its time against compile_pattern's, and memory.

Targets:

* a rules file of 100,000 routing rules is validated in at most 1.5 times the time ``compile_pattern``
  alone takes for the same patterns;
* validating a rules file of 110 MB peaks below 1 GiB of resident memory.

The files are generated in a temporary directory from the routing workload (``workloads.py``), as
``json.dumps`` writes a rules file, ``{"routing-000000": {...}, ...}``; the 110 MB file repeats the same
patterns under new names. ``validate`` runs as a subprocess, as a user runs it (interpreter start
included), its report going to /dev/null; its peak memory is the subprocess's own maximum resident set
size (``os.wait4``). ``compile_pattern`` is timed in this process on the texts of the same patterns, and
the ratio for the large file is to that time per pattern. Times are the best of ``--repeat`` runs (a run
longer than 30 s is not repeated).

``--baseline REV`` also runs ``validate`` from ``REV``'s ``src`` (exported with ``git archive``) in the
same run, for a before-and-after table; ``--check`` exits with status 1 when a target is missed.

Usage: ``python benchmarks/validate_large.py [--rules 100000] [--large-mb 110] [--repeat 3]
[--timeout 300] [--baseline REV] [--skip-large] [--check]`` (eventmatch must be importable).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eventmatch import compile_pattern
from run import exported_source
from workloads import routing

REPOSITORY = Path(__file__).resolve().parents[1]
MAX_RATIO = 1.5
MAX_PEAK_MIB = 1024
REPEAT_BELOW_SECONDS = 30.0


@dataclass(frozen=True)
class RuleFile:
    """A generated rules file."""

    label: str
    path: Path
    rules: int
    megabytes: float


@dataclass(frozen=True)
class Run:
    """One ``validate`` measurement: best seconds and peak resident memory, or why there is none."""

    seconds: float | None
    peak_mib: float | None
    failure: str = ""


def write_rules(path: Path, texts: Sequence[str], count: int) -> RuleFile:
    """A rules file of ``count`` rules, cycling ``texts``, written as ``json.dumps`` writes a dict."""
    with path.open("w", encoding="utf-8") as out:
        out.write("{")
        for index in range(count):
            out.write(f'{", " if index else ""}"routing-{index:07d}": {texts[index % len(texts)]}')
        out.write("}")
    return RuleFile(path.stem, path, count, path.stat().st_size / 1e6)


def compile_worker(path: Path) -> None:
    """Print how long ``compile_pattern`` takes over the lines of ``path`` (this script's
    ``--compile-worker``, in a fresh process, as ``validate`` runs)."""
    texts = path.read_text(encoding="utf-8").splitlines()
    start = time.perf_counter()
    for text in texts:
        compile_pattern(text)
    print(time.perf_counter() - start)


def compile_seconds(path: Path, repeat: int) -> float:
    """The best time ``compile_pattern`` takes over the pattern texts in ``path``, each run in a fresh
    subprocess importing this tree's eventmatch (so that no cache of an earlier run helps it)."""
    command = [sys.executable, __file__, "--compile-worker", str(path)]
    env = {**os.environ, "PYTHONPATH": _path_with(REPOSITORY / "src")}
    run = functools.partial(subprocess.run, command, capture_output=True, text=True, check=True, env=env)
    return min(float(run().stdout) for _ in range(repeat))


def _path_with(source: Path) -> str:
    return os.pathsep.join(filter(None, (str(source), os.environ.get("PYTHONPATH"))))


def validate_once(source: Path, path: Path, timeout: float) -> tuple[float, float]:
    """``(seconds, peak MiB)`` of one ``eventmatch validate`` subprocess importing ``source``."""
    env = {**os.environ, "PYTHONPATH": _path_with(source)}
    command = [sys.executable, "-m", "eventmatch", "validate", str(path)]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)  # the child's own peak, not the largest child's so far
    finally:
        timer.cancel()
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode(errors="replace").strip() if process.stderr else ""
    if process.returncode != 0:
        reason = f"timed out after {timeout:g} s" if seconds >= timeout else f"exit {process.returncode}"
        raise RuntimeError(f"{reason} {errors}".strip())
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def measure(source: Path, path: Path, repeat: int, timeout: float) -> Run:
    """The best of ``repeat`` runs (one, when it takes longer than REPEAT_BELOW_SECONDS)."""
    best, peak = float("inf"), 0.0
    for _ in range(repeat):
        try:
            seconds, mib = validate_once(source, path, timeout)
        except RuntimeError as exc:
            return Run(None, None, str(exc))
        best, peak = min(best, seconds), max(peak, mib)
        if seconds > REPEAT_BELOW_SECONDS:
            break
    return Run(best, peak)


def _cell(value: float | None, pattern: str) -> str:
    return "—" if value is None else format(value, pattern)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", type=int, default=100_000, help="rules in the first file (default 100000)")
    parser.add_argument("--large-mb", type=float, default=110, help="size of the large file (default 110)")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs (default 3)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds before a run is killed")
    parser.add_argument("--baseline", metavar="REV", help="also run validate from this revision's src")
    parser.add_argument("--skip-large", action="store_true", help="only the first file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--compile-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.compile_worker:
        compile_worker(args.compile_worker)
        return 0

    texts = [json.dumps(pattern) for _, pattern in routing(args.rules, n_events=1).rules]
    with contextlib.ExitStack() as stack:
        directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="eventmatch-validate-"))
        patterns = Path(directory) / "patterns.txt"
        patterns.write_text("\n".join(texts), encoding="utf-8")
        compile_time = compile_seconds(patterns, args.repeat)
        per_rule = compile_time / len(texts)
        print(f"compile_pattern alone, {len(texts):,} routing patterns: {compile_time:.2f} s\n")
        files = [write_rules(Path(directory) / f"rules-{args.rules}.json", texts, args.rules)]
        if not args.skip_large:
            count = int(args.large_mb / files[0].megabytes * args.rules) + 1
            files.append(write_rules(Path(directory) / f"rules-{args.large_mb:g}mb.json", texts, count))
        sources = [("this tree", REPOSITORY / "src")]
        if args.baseline is not None:
            sources.insert(
                0, (f"baseline {args.baseline}", stack.enter_context(exported_source(args.baseline)))
            )
        print("| eventmatch | file | rules | MB | validate s | × compile_pattern | peak RSS MiB |")
        print("|---|---|---:|---:|---:|---:|---:|")
        results: dict[tuple[str, str], Run] = {}
        for label, source in sources:
            for rule_file in files:
                run = measure(source, rule_file.path, args.repeat, args.timeout)
                results[label, rule_file.label] = run
                ratio = None if run.seconds is None else run.seconds / (per_rule * rule_file.rules)
                print(
                    f"| {label} | {rule_file.label} | {rule_file.rules:,} | {rule_file.megabytes:.1f} | "
                    f"{_cell(run.seconds, '.2f')} | {_cell(ratio, '.2f')} | {_cell(run.peak_mib, '.0f')} |"
                    + (f" {run.failure}" if run.failure else ""),
                    flush=True,
                )
    return _targets(results, files, per_rule, args.check)


def _targets(
    results: dict[tuple[str, str], Run], files: Sequence[RuleFile], per_rule: float, check: bool
) -> int:
    small = results["this tree", files[0].label]
    rows = []
    ratio = None if small.seconds is None else small.seconds / (per_rule * files[0].rules)
    rows.append((f"{files[0].rules:,} rules: validate / compile_pattern", f"≤ {MAX_RATIO}", ratio, MAX_RATIO))
    if len(files) > 1:
        large = results["this tree", files[1].label]
        rows.append(
            (f"{files[1].megabytes:.0f} MB: peak RSS MiB", f"< {MAX_PEAK_MIB}", large.peak_mib, MAX_PEAK_MIB)
        )
    print("\n| target | wanted | measured | met |\n|---|---|---:|---|")
    missed = 0
    for name, wanted, measured, limit in rows:
        met = measured is not None and measured <= limit
        missed += not met
        print(f"| {name} | {wanted} | {_cell(measured, '.2f')} | {'yes' if met else 'no'} |")
    return 1 if check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
