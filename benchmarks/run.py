"""Throughput and memory benchmark for eventmatch, and the performance targets of issue 8.

For every workload and rule count N this builds a ``Machine`` with the workload's rules and reports, as one
Markdown table per workload: rules added per second, memory per rule, events matched per second from JSON
bytes and from parsed dicts, ``orjson.loads`` events per second on the same events, and matches per event.
The ``hostile`` workload (``hostile.py``) times the issue's hostile inputs instead, each in a fresh
subprocess. A last table compares the figures with the issue's targets; ``--check`` exits with status 1
when one of them is missed (or could not be checked because its workload or rule count was not run).

The operators targets compare with the engine of ``--baseline REV`` (default 965590b, main before the
issue's work), measured in the same run: that revision's ``src/`` is exported with ``git archive`` into a
temporary directory, and worker subprocesses importing either engine match the same workload in turns.

Usage: ``python benchmarks/run.py [--workloads routing,operators,dense,hostile] [--sizes 10,1000,10000,100000]
[--events 2000] [--repeat 3] [--baseline REV|none] [--hostile-timeout 10] [--quick] [--check]``
(eventmatch must be importable: ``pip install -e .`` or ``PYTHONPATH=src``).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import math
import os
import platform
import subprocess
import sys
import tarfile
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import orjson

import eventmatch
import hostile
from eventmatch import Machine
from workloads import DEFAULT_EVENTS, SIZES, WORKLOADS, Workload

BENCHMARKS = Path(__file__).resolve().parent
REPOSITORY = BENCHMARKS.parent
DEFAULT_BASELINE = "965590b"
HOSTILE = "hostile"
WORKLOAD_NAMES = (*WORKLOADS, HOSTILE)
QUICK_SIZES = (10, 1_000)
QUICK_EVENTS = 200
HOSTILE_TIMEOUT = 10.0
QUICK_HOSTILE_TIMEOUT = 2.0
SIDE_BY_SIDE_ROUNDS = 5  # at least; more with a larger --repeat
MIN_SECONDS = 1.0  # timed rounds go on at least this long...
MAX_ROUNDS = 100  # ...unless there have been this many
COLUMNS = (
    "rules",
    "add rules/s",
    "mem/rule (current)",
    "mem/rule (peak)",
    "match ev/s",
    "dicts ev/s",
    "orjson ev/s",
    "match/orjson",
    "dicts/orjson",
    "ev/s vs smallest N",
    "matches/event",
)

Batch = Callable[[Sequence[Any]], Sequence[Sequence[str]]]


@dataclass(frozen=True)
class Result:
    """The measurements for one workload at one rule count."""

    n_rules: int
    add_per_s: float
    mem_current: int
    mem_peak: int
    match_per_s: float
    dict_match_per_s: float
    orjson_per_s: float
    matches_per_event: float


def build(rules: Sequence[tuple[str, dict[str, Any]]]) -> Machine:
    """A machine holding ``rules``, added with ``Machine.add_rules``."""
    machine = Machine()
    machine.add_rules(rules)
    return machine


def batch_matcher(machine: Machine) -> Batch:
    """``machine.match_many``, or ``match`` in a loop for an engine that has no ``match_many``."""
    many: Batch | None = getattr(machine, "match_many", None)
    if many is not None:
        return many
    return lambda events: [machine.match(event) for event in events]


def timed_build(rules: Sequence[tuple[str, dict[str, Any]]]) -> tuple[Machine, float]:
    """Build a machine and return it with the wall-clock seconds the build took."""
    gc.collect()
    start = time.perf_counter()
    machine = build(rules)
    return machine, time.perf_counter() - start


def traced_build(rules: Sequence[tuple[str, dict[str, Any]]], event: bytes) -> tuple[int, int]:
    """(current, peak) bytes tracemalloc sees allocated while a fresh machine is built and matches
    ``event`` (which builds the parts a machine compiles lazily)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        machine = build(rules)
        machine.match(event)
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(machine) == len(rules)
    return current - before, peak - before


def timed(action: Callable[[], object]) -> Callable[[], float]:
    """A function running ``action`` once and returning the seconds it took (after a ``gc.collect()``)."""

    def run() -> float:
        gc.collect()
        start = time.perf_counter()
        action()
        return time.perf_counter() - start

    return run


def best_rates(passes: Sequence[Callable[[], float]], count: int, rounds: int) -> list[float]:
    """Items per second of each of ``passes`` (each times one pass over ``count`` items and returns its
    seconds), best of ``rounds`` rounds or more: short passes go on for :data:`MIN_SECONDS` (at most
    :data:`MAX_ROUNDS` rounds). The passes take turns within every round, so that a noisy spell of a
    shared machine slows them alike and their ratios hold."""
    best = [float("inf")] * len(passes)
    start = time.perf_counter()
    done = 0
    while done < rounds or (time.perf_counter() - start < MIN_SECONDS and done < MAX_ROUNDS):
        for index, one_pass in enumerate(passes):
            best[index] = min(best[index], one_pass())
        done += 1
    return [count / seconds if seconds > 0 else float("inf") for seconds in best]


def loads_all(events: Sequence[bytes]) -> None:
    """``orjson.loads`` every event: the parsing floor matching is compared with."""
    loads = orjson.loads
    for event in events:
        loads(event)


def measure(workload: Workload, repeat: int) -> Result:
    """Run every measurement of one workload; the matching machine is built without tracemalloc."""
    events = workload.events
    machine, build_seconds = timed_build(workload.rules)
    match_many = batch_matcher(machine)
    total_matches = sum(map(len, match_many(events)))  # also the warm-up pass
    dicts = [orjson.loads(event) for event in events]
    passes = [
        timed(partial(match_many, events)),
        timed(partial(match_many, dicts)),
        timed(partial(loads_all, events)),
    ]
    match_per_s, dict_match_per_s, orjson_per_s = best_rates(passes, len(events), repeat)
    del machine, match_many, passes
    current, peak = traced_build(workload.rules, events[0])
    n_rules = len(workload.rules)
    return Result(
        n_rules=n_rules,
        add_per_s=n_rules / build_seconds if build_seconds > 0 else float("inf"),
        mem_current=current,
        mem_peak=peak,
        match_per_s=match_per_s,
        dict_match_per_s=dict_match_per_s,
        orjson_per_s=orjson_per_s,
        matches_per_event=total_matches / len(events),
    )


def human_bytes(count: float) -> str:
    """``count`` bytes as B / KiB / MiB text."""
    for unit in ("B", "KiB"):
        if abs(count) < 1024:
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return f"{count:.1f} MiB"


def table_row(result: Result, smallest: Result) -> list[str]:
    """The Markdown cells of ``result``; ``smallest`` is the smallest N of the same workload."""
    return [
        f"{result.n_rules:,}",
        f"{result.add_per_s:,.0f}",
        human_bytes(result.mem_current / result.n_rules),
        human_bytes(result.mem_peak / result.n_rules),
        f"{result.match_per_s:,.0f}",
        f"{result.dict_match_per_s:,.0f}",
        f"{result.orjson_per_s:,.0f}",
        f"{result.match_per_s / result.orjson_per_s:.4f}",
        f"{result.dict_match_per_s / result.orjson_per_s:.4f}",
        f"{result.match_per_s / smallest.match_per_s:.2f}",
        f"{result.matches_per_event:,.2f}",
    ]


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "---:") -> str:
    """A Markdown table; every column is aligned by ``align``."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align for _ in header) + "|"]
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
        f"- eventmatch {version} from {Path(eventmatch.__file__).parent}, orjson {orjson.__version__}"
    )


def run_workload(
    name: str, sizes: Sequence[int], n_events: int, repeat: int
) -> tuple[dict[int, Result], bool]:
    """Measure and print one workload's table: the results by N, and False when some size failed (the
    error is printed)."""
    results: dict[int, Result] = {}
    errors: list[str] = []
    event_bytes = 0
    for n_rules in sizes:
        workload = WORKLOADS[name](n_rules, n_events, 0)
        event_bytes = sum(map(len, workload.events))
        try:
            results[n_rules] = measure(workload, repeat)
        except Exception as error:  # report and go on with the other sizes and workloads
            errors.append(f"- N={n_rules:,}: {type(error).__name__}: {error}")
    print(f"\n## {name}\n\n{n_events:,} events, {event_bytes / n_events:.0f} bytes per event on average\n")
    if results:
        smallest = results[min(results)]
        print(markdown_table(COLUMNS, [table_row(result, smallest) for result in results.values()]))
    if errors:
        print("\nFailed:\n" + "\n".join(errors))
    return results, not errors


# --------------------------------------------------------------------------------------------------------
# side by side: two rule counts, or two engines
# --------------------------------------------------------------------------------------------------------


def scaling_rates(name: str, small: int, large: int, n_events: int, rounds: int) -> tuple[float, float]:
    """Match events/s of workload ``name`` at ``small`` and at ``large`` rules, the two machines taking
    turns pass by pass."""
    passes = []
    for size in (small, large):
        workload = WORKLOADS[name](size, n_events, 0)
        match_many = batch_matcher(build(workload.rules))
        match_many(workload.events)  # the warm-up pass
        passes.append(timed(partial(match_many, workload.events)))
    at_small, at_large = best_rates(passes, n_events, rounds)
    return at_small, at_large


@contextmanager
def exported_source(revision: str) -> Iterator[Path]:
    """The ``src`` directory of ``revision``, exported with ``git archive`` into a temporary directory."""
    archive = subprocess.run(
        ["git", "-C", str(REPOSITORY), "archive", "--format=tar", revision, "src"],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        raise RuntimeError(f"git archive {revision}: {archive.stderr.decode(errors='replace').strip()}")
    with tempfile.TemporaryDirectory(prefix="eventmatch-baseline-") as directory:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(directory, filter="data")
        yield Path(directory) / "src"


class RateWorker:
    """A subprocess (this script's ``--rate-worker``) holding machines for one workload at several rule
    counts, which times one matching pass at a time on request.

    It imports this process's eventmatch when ``source`` is None, else the one in ``source`` (first on its
    ``PYTHONPATH``); it says where it imported eventmatch from, and that is checked.
    """

    def __init__(self, workload: str, sizes: Sequence[int], n_events: int, source: Path | None) -> None:
        command = [sys.executable, str(Path(__file__).resolve()), "--rate-worker", workload]
        command += ["--sizes", ",".join(map(str, sizes)), "--events", str(n_events)]
        env = dict(os.environ)
        if source is not None:
            env["PYTHONPATH"] = os.pathsep.join(
                path for path in (str(source), str(BENCHMARKS), os.environ.get("PYTHONPATH", "")) if path
            )
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )
        expected = (
            source / "eventmatch" if source is not None else Path(eventmatch.__file__).parent
        ).resolve()
        try:
            imported = Path(json.loads(self._answer())["eventmatch"]).resolve().parent
            if imported != expected:
                raise RuntimeError(f"the rate worker imported eventmatch from {imported}, not {expected}")
        except BaseException:
            self.close()
            raise

    def _answer(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the rate worker exited with status {self.process.wait()}")
        return line

    def timer(self, size: int) -> Callable[[], float]:
        """A function timing one pass of the worker's machine of ``size`` rules, in seconds."""

        def one_pass() -> float:
            assert self.process.stdin is not None
            self.process.stdin.write(f"{size}\n")
            self.process.stdin.flush()
            return float(self._answer())

        return one_pass

    def close(self) -> None:
        """Let the worker finish (its input ends), or end it."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve_rates(workload: str, sizes: Sequence[int], n_events: int) -> None:
    """The ``--rate-worker`` side: build the machines, say where eventmatch comes from, then answer each
    rule count read from stdin with the seconds of one matching pass of that machine."""
    passes = {}
    for size in sizes:
        generated = WORKLOADS[workload](size, n_events, 0)
        match_many = batch_matcher(build(generated.rules))
        match_many(generated.events)  # the warm-up pass, as in measure()
        passes[size] = timed(partial(match_many, generated.events))
    print(json.dumps({"eventmatch": eventmatch.__file__}), flush=True)
    for line in sys.stdin:
        print(passes[int(line)](), flush=True)


def versus(
    revision: str, workload: str, sizes: Sequence[int], n_events: int, rounds: int
) -> dict[int, tuple[float, float]]:
    """(this engine's, ``revision``'s) match events/s on ``workload`` at each of ``sizes``: one worker per
    engine, the two taking turns pass by pass, best of ``rounds`` rounds."""
    with exported_source(revision) as source:
        workers = [RateWorker(workload, sizes, n_events, None)]
        try:
            workers.append(RateWorker(workload, sizes, n_events, source))
            passes = [worker.timer(size) for size in sizes for worker in workers]
            rates = best_rates(passes, n_events, rounds)
        finally:
            for worker in workers:
                worker.close()
    return {size: (rates[2 * index], rates[2 * index + 1]) for index, size in enumerate(sizes)}


# --------------------------------------------------------------------------------------------------------
# hostile inputs
# --------------------------------------------------------------------------------------------------------


def run_hostile(timeout: float, repeat: int) -> list[hostile.Outcome]:
    """Time every hostile case in fresh subprocesses and print their table."""
    outcomes = [hostile.measure_case(name, timeout, repeat) for name in hostile.CASES]
    print(
        f"\n## {HOSTILE}\n\nEach case in a fresh subprocess, killed after {timeout:g} s; "
        f"run s is the best of up to {repeat} runs\n"
    )
    print(hostile.markdown_table(outcomes))
    return outcomes


# --------------------------------------------------------------------------------------------------------
# targets
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One row of the issue's target table, with this run's figure."""

    workload: str
    measure: str
    today: str  # as the issue writes it
    goal: str
    measured: str
    status: str  # "met", "missed", or why the row was not checked

    @property
    def met(self) -> bool:
        """Whether the target is met (a row that could not be checked is not)."""
        return self.status == "met"


@dataclass(frozen=True)
class Scaling:
    """Match events/s of one workload at two rule counts, measured side by side."""

    small: int
    large: int
    at_small: float
    at_large: float


@dataclass(frozen=True)
class Measured:
    """Everything the target rows are computed from; a workload that was not run is empty (or None)."""

    routing: Mapping[int, Result]
    routing_scaling: Scaling | None
    versus_baseline: Mapping[int, tuple[float, float]]  # operators: (this engine's, baseline's) ev/s
    baseline_error: str
    hostile: Sequence[hostile.Outcome] | None
    hostile_timeout: float


def nearest(sizes: Iterable[int], wanted: int) -> int | None:
    """The size closest to ``wanted`` on a log scale, None when there is none."""
    return min(sizes, key=lambda size: abs(math.log(size / wanted)), default=None)


def _target(
    row: tuple[str, str, str, str], shown: str, ok: bool, used: Sequence[int], wanted: Sequence[int]
) -> Target:
    """A measured row: met or missed when measured at the ``wanted`` rule counts, else not checked."""
    if list(used) != list(wanted):
        return Target(*row, shown, "not checked: N=" + " and ".join(f"{size:,}" for size in used))
    return Target(*row, shown, "met" if ok else "missed")


ROUTING_ROWS = {
    "bytes": (
        "routing, JSON bytes in, 100,000 rules",
        "events/s ÷ `orjson.loads` events/s",
        "0.07",
        "≥ 0.33",
    ),
    "dicts": (
        "routing, dicts in, 100,000 rules",
        "events/s ÷ `orjson.loads` events/s on the same events' text",
        "~0.14",
        "≥ 0.8",
    ),
    "scaling": (
        "routing, bytes in",
        "T(100,000 rules) ÷ T(10 rules), throughput side by side",
        "0.74",
        "≥ 0.8",
    ),
    "add": ("routing, `add_rules`, 100,000 rules", "rules/s", "29k", "≥ 50k"),
    "memory": ("routing, 100,000 rules", "memory per rule (add_rules + one match)", "1.7 KiB", "≤ 2 KiB"),
}


def _routing_targets(routing: Mapping[int, Result], scaling: Scaling | None) -> dict[str, Target]:
    large = nearest(routing, 100_000)
    if large is None:
        return {key: Target(*row, "—", "not run") for key, row in ROUTING_ROWS.items()}
    big = routing[large]
    bytes_ratio = big.match_per_s / big.orjson_per_s
    dicts_ratio = big.dict_match_per_s / big.orjson_per_s
    memory = big.mem_current / big.n_rules
    rows = {
        "bytes": _target(
            ROUTING_ROWS["bytes"], f"{bytes_ratio:.3f}", bytes_ratio >= 0.33, [large], [100_000]
        ),
        "dicts": _target(ROUTING_ROWS["dicts"], f"{dicts_ratio:.3f}", dicts_ratio >= 0.8, [large], [100_000]),
        "scaling": Target(*ROUTING_ROWS["scaling"], "—", "not run: one rule count only"),
        "add": _target(
            ROUTING_ROWS["add"], f"{big.add_per_s / 1000:.0f}k", big.add_per_s >= 50_000, [large], [100_000]
        ),
        "memory": _target(ROUTING_ROWS["memory"], human_bytes(memory), memory <= 2048, [large], [100_000]),
    }
    if scaling is not None:
        ratio = scaling.at_large / scaling.at_small
        used = [scaling.large, scaling.small]
        rows["scaling"] = _target(ROUTING_ROWS["scaling"], f"{ratio:.2f}", ratio >= 0.8, used, [100_000, 10])
    return rows


def _operators_targets(measured: Measured) -> list[Target]:
    targets = []
    for wanted, factor in ((10, 5.0), (10_000, 3.0)):
        row = (f"operators, {wanted:,} rules", "events/s vs today's on the same run", "1×", f"≥ {factor:g}×")
        size = nearest(measured.versus_baseline, wanted)
        if size is None:
            targets.append(
                Target(*row, "—", f"not run: {measured.baseline_error or 'no operators workload'}")
            )
        else:
            current, baseline = measured.versus_baseline[size]
            speedup = current / baseline
            targets.append(_target(row, f"{speedup:.2f}×", speedup >= factor, [size], [wanted]))
    return targets


def _hostile_target(outcomes: Sequence[hostile.Outcome] | None, timeout: float) -> Target:
    row = (
        "hostile cases (`hostile.py`)",
        "seconds, slowest case",
        "5–48 s",
        f"each ≤ {hostile.TARGET_SECONDS:g} s",
    )
    if outcomes is None:
        return Target(*row, "—", "not run")
    seconds = [outcome.run_seconds for outcome in outcomes]
    slowest = f"> {timeout:g} s" if None in seconds else f"{max(filter(None, seconds), default=0.0):.3f} s"
    missed = [outcome.name for outcome in outcomes if not outcome.met]
    wrong = [outcome.name for outcome in outcomes if outcome.run_seconds is not None and not outcome.correct]
    status = "met" if not missed else f"missed: {len(missed)} of {len(outcomes)} cases"
    if wrong:
        status += f"; wrong answers: {', '.join(wrong)}"
    return Target(*row, slowest, status)


def targets(measured: Measured) -> list[Target]:
    """The issue's target rows, in its order, with this run's figures."""
    routing = _routing_targets(measured.routing, measured.routing_scaling)
    return [
        routing["bytes"],
        routing["dicts"],
        routing["scaling"],
        *_operators_targets(measured),
        routing["add"],
        routing["memory"],
        _hostile_target(measured.hostile, measured.hostile_timeout),
    ]


def targets_table(rows: Sequence[Target]) -> str:
    """The target rows as a Markdown table."""
    header = ("workload", "measure", "today (issue)", "target", "measured", "status")
    cells = [(row.workload, row.measure, row.today, row.goal, row.measured, row.status) for row in rows]
    return markdown_table(header, cells, "---")


# --------------------------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options; ``--quick`` only changes the defaults of ``--sizes``, ``--events`` and
    ``--hostile-timeout``."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--workloads", default=",".join(WORKLOAD_NAMES), help="comma-separated workload names"
    )
    parser.add_argument("--sizes", help=f"comma-separated rule counts (default {','.join(map(str, SIZES))})")
    parser.add_argument("--events", type=int, help=f"events per workload (default {DEFAULT_EVENTS})")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="timed rounds, at least (more until they took a second); the best counts (default 3)",
    )
    parser.add_argument(
        "--baseline",
        default=DEFAULT_BASELINE,
        metavar="REV",
        help=f"git revision whose engine the operators targets compare with (default {DEFAULT_BASELINE}; "
        "'none' to skip)",
    )
    parser.add_argument(
        "--hostile-timeout",
        type=float,
        metavar="SECONDS",
        help=f"seconds before a hostile case is killed (default {HOSTILE_TIMEOUT:g}, "
        f"{QUICK_HOSTILE_TIMEOUT:g} with --quick)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: sizes 10,1000, 200 events, hostile timeout 2 s"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a target is missed or not checked"
    )
    parser.add_argument("--rate-worker", metavar="WORKLOAD", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    unknown = set(args.workloads.split(",")) - set(WORKLOAD_NAMES)
    if unknown:
        parser.error(
            f"unknown workloads: {', '.join(sorted(unknown))} (choose from {', '.join(WORKLOAD_NAMES)})"
        )
    return args


def print_scaling(name: str, results: Mapping[int, Result], n_events: int, rounds: int) -> Scaling | None:
    """Measure and print ``name``'s throughput at its largest and smallest rule counts side by side."""
    small, large = min(results, default=None), max(results, default=None)
    if small is None or large is None or small == large:
        return None
    at_small, at_large = scaling_rates(name, small, large, n_events, rounds)
    print(
        f"\nSide by side (the two machines taking turns, best of {rounds} rounds): {at_small:,.0f} ev/s at "
        f"N={small:,}, {at_large:,.0f} at N={large:,}, ratio {at_large / at_small:.2f}"
    )
    return Scaling(small, large, at_small, at_large)


def print_versus(
    revision: str, operators: Mapping[int, Result], n_events: int, rounds: int
) -> tuple[dict[int, tuple[float, float]], str]:
    """The operators rule counts the targets use (nearest to 10 and 10,000) side by side with
    ``revision``'s engine, printed; and why not, when that failed."""
    wanted = (nearest(operators, 10), nearest(operators, 10_000))
    sizes = sorted({size for size in wanted if size is not None})
    try:
        pairs = versus(revision, "operators", sizes, n_events, rounds)
    except (RuntimeError, OSError, ValueError) as error:
        print(f"\nBaseline {revision} failed: {error}")
        return {}, f"baseline failed: {error}"
    print(
        f"\n## operators vs {revision}\n\nmatch ev/s, one worker subprocess per engine, taking turns pass by "
        f"pass, best of {rounds} rounds\n"
    )
    rows = [
        [f"{size:,}", f"{current:,.0f}", f"{baseline:,.0f}", f"{current / baseline:.2f}×"]
        for size, (current, baseline) in pairs.items()
    ]
    print(markdown_table(("rules", "this engine", revision, "speed-up"), rows))
    return pairs, ""


def main(argv: Sequence[str] | None = None) -> int:
    """Print the environment, one table per workload and the targets; exit status 1 when a measurement
    failed, or with ``--check`` when a target is not met."""
    args = parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")] if args.sizes else None
    sizes = sizes or list(QUICK_SIZES if args.quick else SIZES)
    n_events = args.events or (QUICK_EVENTS if args.quick else DEFAULT_EVENTS)
    if args.rate_worker:
        serve_rates(args.rate_worker, sizes, n_events)
        return 0
    timeout = args.hostile_timeout or (QUICK_HOSTILE_TIMEOUT if args.quick else HOSTILE_TIMEOUT)
    rounds = max(args.repeat, SIDE_BY_SIDE_ROUNDS)
    print(f"# eventmatch benchmark\n\n{environment()}\n- baseline engine: {args.baseline}")
    results: dict[str, dict[int, Result]] = {}
    ok = True
    scaling = None
    pairs: dict[int, tuple[float, float]] = {}
    baseline_error = "--baseline none" if args.baseline == "none" else ""
    outcomes = None
    for name in args.workloads.split(","):
        if name == HOSTILE:
            outcomes = run_hostile(timeout, args.repeat)
            continue
        results[name], done = run_workload(name, sizes, n_events, args.repeat)
        ok = ok and done
        if name == "routing":
            scaling = print_scaling(name, results[name], n_events, rounds)
        if name == "operators" and args.baseline != "none" and results[name]:
            pairs, baseline_error = print_versus(args.baseline, results[name], n_events, rounds)
    measured = Measured(
        routing=results.get("routing", {}),
        routing_scaling=scaling,
        versus_baseline=pairs,
        baseline_error=baseline_error,
        hostile=outcomes,
        hostile_timeout=timeout,
    )
    rows = targets(measured)
    print(f"\n## targets (issue 8)\n\n{targets_table(rows)}")
    if args.check and not all(row.met for row in rows):
        return 1
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
