"""How long ``eventmatch analyze`` takes on large rule files (issue 11: 10,000 rules in under 10 s).

Usage: ``python benchmarks/analyze.py [--rules 10000] [--workloads routing,operators,dense] [--check]``

Each workload's rules (:mod:`workloads`) are written as one rules file and analysed by the command line
in a fresh process (``--format json``), so a row is what a user waits for: starting Python, reading and
compiling the file, and every check. The table gives the seconds and what was found. ``--check`` exits 1
when a row takes longer than the target.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import workloads

TARGET_SECONDS = 10.0
SHOWN_KINDS = (
    "duplicate",
    "subsumed",
    "never-matches",
    "matches-everything",
    "overridden-condition",
    "unknown",
)


def analyze_file(rules: Path) -> tuple[float, dict[str, int]]:
    """Seconds of one ``eventmatch analyze --format json`` run over ``rules``, and its summary."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "eventmatch", "analyze", str(rules), "--format", "json"],
        capture_output=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"eventmatch analyze failed: {result.stderr.decode()}")
    summary: dict[str, int] = json.loads(result.stdout)["summary"]
    return elapsed, summary


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rules", type=int, default=10_000, help="rules per file (default: %(default)s)")
    parser.add_argument(
        "--workloads",
        default="routing,operators,dense",
        help="comma-separated workloads (default: %(default)s)",
    )
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 when a run takes over {TARGET_SECONDS:g} s"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(
        f"# eventmatch analyze: {args.rules:,} rules per file, one run each,"
        f" target under {TARGET_SECONDS:g} s\n"
    )
    print("| workload | rules | seconds | " + " | ".join(SHOWN_KINDS) + " | target |")
    print("|---|---:|---:|" + "---:|" * len(SHOWN_KINDS) + "---|")
    missed = False
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.workloads.split(","):
            workload = workloads.WORKLOADS[name](args.rules, workloads.DEFAULT_EVENTS, 0)
            rules = Path(scratch) / f"{name}.json"
            rules.write_text(json.dumps(dict(workload.rules)))
            seconds, summary = analyze_file(rules)
            met = seconds < TARGET_SECONDS
            missed |= not met
            counts = " | ".join(f"{summary.get(kind, 0):,}" for kind in SHOWN_KINDS)
            print(
                f"| {name} | {summary['rules']:,} | {seconds:.2f} | {counts} | {'met' if met else 'MISSED'} |"
            )
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
