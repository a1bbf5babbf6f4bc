"""Throughput and memory benchmark for eventmatch.

For every workload and rule count N this builds a ``Machine`` with the workload's rules and reports, as one
Markdown table per workload: rules added per second, memory per rule, events matched per second from JSON
bytes, ``orjson.loads`` events per second on the same events, and matches per event.

Usage: ``python benchmarks/run.py [--workloads routing,operators,dense] [--sizes 10,1000,10000,100000]
[--events 2000] [--repeat 3] [--quick]`` (eventmatch must be importable: ``pip install -e .`` or
``PYTHONPATH=src``).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

import eventmatch
from eventmatch import Machine
from workloads import DEFAULT_EVENTS, SIZES, WORKLOADS, Workload

QUICK_SIZES = (10, 1_000)
QUICK_EVENTS = 200
COLUMNS = (
    "rules",
    "add rules/s",
    "mem/rule (current)",
    "mem/rule (peak)",
    "match ev/s",
    "orjson ev/s",
    "match/orjson",
    "ev/s vs smallest N",
    "matches/event",
)


@dataclass(frozen=True)
class Result:
    """The measurements for one workload at one rule count."""

    n_rules: int
    add_per_s: float
    mem_current: int
    mem_peak: int
    match_per_s: float
    orjson_per_s: float
    matches_per_event: float


def build(rules: Sequence[tuple[str, dict[str, Any]]]) -> Machine:
    """A machine holding ``rules``."""
    machine = Machine()
    machine.add_rules(rules)
    return machine


def timed_build(rules: Sequence[tuple[str, dict[str, Any]]]) -> tuple[Machine, float]:
    """Build a machine and return it with the wall-clock seconds the build took."""
    gc.collect()
    start = time.perf_counter()
    machine = build(rules)
    return machine, time.perf_counter() - start


def traced_build(rules: Sequence[tuple[str, dict[str, Any]]]) -> tuple[int, int]:
    """(current, peak) bytes that tracemalloc sees allocated while a fresh machine is built."""
    gc.collect()
    tracemalloc.start()
    try:
        machine = build(rules)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(machine) == len(rules)
    return current, peak


def best_rate(action: Callable[[bytes], object], events: Sequence[bytes], repeat: int) -> float:
    """Events per second of ``action`` over all ``events``, best of ``repeat`` passes."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        for event in events:
            action(event)
        best = min(best, time.perf_counter() - start)
    return len(events) / best if best > 0 else float("inf")


def measure(workload: Workload, repeat: int) -> Result:
    """Run every measurement of one workload; the matching machine is built without tracemalloc."""
    machine, build_seconds = timed_build(workload.rules)
    total_matches = sum(len(machine.match(event)) for event in workload.events)
    match_per_s = best_rate(machine.match, workload.events, repeat)
    orjson_per_s = best_rate(orjson.loads, workload.events, repeat)
    del machine
    current, peak = traced_build(workload.rules)
    n_rules = len(workload.rules)
    return Result(
        n_rules=n_rules,
        add_per_s=n_rules / build_seconds if build_seconds > 0 else float("inf"),
        mem_current=current,
        mem_peak=peak,
        match_per_s=match_per_s,
        orjson_per_s=orjson_per_s,
        matches_per_event=total_matches / len(workload.events),
    )


def human_bytes(count: float) -> str:
    """``count`` bytes as B / KiB / MiB text."""
    for unit in ("B", "KiB"):
        if abs(count) < 1024:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} MiB"


def table_row(result: Result, baseline: Result) -> list[str]:
    """The Markdown cells of ``result``; ``baseline`` is the smallest N of the same workload."""
    return [
        f"{result.n_rules:,}",
        f"{result.add_per_s:,.0f}",
        human_bytes(result.mem_current / result.n_rules),
        human_bytes(result.mem_peak / result.n_rules),
        f"{result.match_per_s:,.0f}",
        f"{result.orjson_per_s:,.0f}",
        f"{result.match_per_s / result.orjson_per_s:.4f}",
        f"{result.match_per_s / baseline.match_per_s:.2f}",
        f"{result.matches_per_event:,.2f}",
    ]


def markdown_table(rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table with the :data:`COLUMNS` header; numbers are right-aligned."""
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---:" for _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def environment() -> str:
    """One Markdown paragraph describing the interpreter, the machine and the library versions."""
    version = getattr(eventmatch, "__version__", "unknown")
    return (
        f"- Python {platform.python_version()} ({platform.python_implementation()}, "
        f"{platform.python_compiler()})\n"
        f"- {platform.platform()}, machine {platform.machine()}, {os.cpu_count()} CPUs"
        f"{', processor ' + platform.processor() if platform.processor() else ''}\n"
        f"- eventmatch {version}, orjson {orjson.__version__}"
    )


def run_workload(name: str, sizes: Sequence[int], n_events: int, repeat: int) -> bool:
    """Measure and print one workload's table; False when some size failed (the error is printed)."""
    results: list[Result] = []
    errors: list[str] = []
    event_bytes = 0
    for n_rules in sizes:
        workload = WORKLOADS[name](n_rules, n_events, 0)
        event_bytes = sum(map(len, workload.events))
        try:
            results.append(measure(workload, repeat))
        except Exception as error:  # report and go on with the other sizes and workloads
            errors.append(f"- N={n_rules:,}: {type(error).__name__}: {error}")
    print(f"\n## {name}\n\n{n_events:,} events, {event_bytes / n_events:.0f} bytes per event on average\n")
    if results:
        print(markdown_table([table_row(result, results[0]) for result in results]))
    if errors:
        print("\nFailed:\n" + "\n".join(errors))
    return not errors


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options; ``--quick`` only changes the defaults of ``--sizes`` and ``--events``."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workloads", default=",".join(WORKLOADS), help="comma-separated workload names")
    parser.add_argument("--sizes", help=f"comma-separated rule counts (default {','.join(map(str, SIZES))})")
    parser.add_argument("--events", type=int, help=f"events per workload (default {DEFAULT_EVENTS})")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes; the best counts (default 3)")
    parser.add_argument("--quick", action="store_true", help="smoke test: sizes 10,1000 and 200 events")
    args = parser.parse_args(argv)
    unknown = set(args.workloads.split(",")) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))} (choose from {', '.join(WORKLOADS)})")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Print the environment and one table per workload; exit status 1 when any measurement failed."""
    args = parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")] if args.sizes else None
    sizes = sizes or list(QUICK_SIZES if args.quick else SIZES)
    n_events = args.events or (QUICK_EVENTS if args.quick else DEFAULT_EVENTS)
    print(f"# eventmatch benchmark\n\n{environment()}")
    ok = [run_workload(name, sizes, n_events, args.repeat) for name in args.workloads.split(",")]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
