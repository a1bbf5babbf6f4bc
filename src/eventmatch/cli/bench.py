"""``eventmatch bench``: how fast a set of rules matches a set of events, and what it costs."""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Final, TextIO

import orjson

from ..errors import InvalidEventError
from ..events import parse_event
from .common import EXIT_OK, CliError, add_command, plural, print_json
from .entries import RuleEntry
from .inputs import open_source
from .machines import build_machine, load_entries
from .options import add_format, add_rules_as
from .rulefiles import ReadOptions

__all__ = ["Measurement", "measure", "register"]

SCALING_STEPS: Final = (0.10, 0.25, 0.50, 1.0)

DESCRIPTION = """\
Measure EventBridge matching on your own rules and events: events matched per second, rules added per
second, memory per rule (tracemalloc), matches per event, and the floor set by parsing the same events
with orjson alone. Events are JSON Lines (gzip-compressed or not); lines that are not events are left
out. --scaling measures with the first 10%, 25%, 50% and 100% of the rules, --plot draws events per
second against the rule count (needs matplotlib: pip install 'eventmatch[plot]').
"""

EPILOG = """\
examples:
  eventmatch bench --rules rules.json --events events.jsonl
  eventmatch bench --rules template.yaml --events events.jsonl.gz --scaling --plot scaling.png
  eventmatch bench --rules rules.json --events events.jsonl --format json --repeat 5
"""


@dataclass(frozen=True, slots=True)
class Measurement:
    """The figures for one rule count."""

    rules: int
    rules_per_second: float
    memory_per_rule: float  # bytes
    events_per_second: float
    matches_per_event: float


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``bench`` command."""
    parser = add_command(commands, "bench", DESCRIPTION, EPILOG)
    parser.add_argument("--rules", action="append", required=True, metavar="RULES", help="rules (repeatable)")
    parser.add_argument("--events", required=True, metavar="EVENTS", help="JSON Lines events ('-' for stdin)")
    add_rules_as(parser)
    parser.add_argument(
        "--scaling", action="store_true", help="measure at 10%%, 25%%, 50%% and 100%% of the rules"
    )
    parser.add_argument(
        "--plot", metavar="FILE.png", help="draw events/s against rule count (implies --scaling)"
    )
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="best of N timings (default: 3)")
    add_format(parser, "text", "json")
    parser.set_defaults(run=run)


def _pyplot() -> ModuleType:
    try:
        matplotlib = importlib.import_module("matplotlib")
    except ImportError:
        raise CliError("--plot needs matplotlib: pip install 'eventmatch[plot]'") from None
    matplotlib.use("Agg")
    return importlib.import_module("matplotlib.pyplot")


def _read_events(name: str) -> tuple[list[bytes], int]:
    """The lines of ``name`` that are events, and how many were not."""
    events, bad = [], 0
    with open_source(name) as source:
        for _, line in source.lines():
            try:
                parse_event(line)
            except InvalidEventError:
                bad += 1
            else:
                events.append(line)
    if not events:
        raise CliError(f"no events in {name}")
    return events, bad


def _best_time(action: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - start)
    return max(best, 1e-9)


def _memory(entries: Sequence[RuleEntry], event: bytes) -> int:
    """Bytes allocated by building a machine and matching one event (which builds its lazy parts)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        machine = build_machine(entries)
        machine.match(event)
        return tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def measure(entries: Sequence[RuleEntry], events: Sequence[bytes], repeat: int) -> Measurement:
    """Build a machine from ``entries`` and match ``events`` with it (``Machine.match_many``)."""
    start = time.perf_counter()
    machine = build_machine(entries)
    build_seconds = max(time.perf_counter() - start, 1e-9)
    matches = sum(map(len, machine.match_many(events)))  # also warms the machine up
    match_seconds = _best_time(lambda: machine.match_many(events), repeat)
    return Measurement(
        rules=len(entries),
        rules_per_second=len(entries) / build_seconds,
        memory_per_rule=_memory(entries, events[0]) / len(entries),
        events_per_second=len(events) / match_seconds,
        matches_per_event=matches / len(events),
    )


def _parse_floor(events: Sequence[bytes], repeat: int) -> float:
    """Events per second that orjson alone can parse."""

    def parse_all() -> None:
        for event in events:
            orjson.loads(event)

    return len(events) / _best_time(parse_all, repeat)


def _rule_counts(total: int, scaling: bool) -> list[int]:
    if not scaling:
        return [total]
    return sorted({max(1, round(total * step)) for step in SCALING_STEPS})


def _print_text(document: dict[str, Any], out: TextIO) -> None:
    out.write(
        f"{plural(document['events'], 'event')} ({plural(document['bad_lines'], 'bad line')} left out)\n"
    )
    out.write(f"orjson parse floor: {document['orjson_events_per_second']:,.0f} events/s\n\n")
    out.write(
        f"{'rules':>8}  {'rules added/s':>13}  {'memory/rule':>11}  {'events/s':>10}  {'matches/event':>13}\n"
    )
    for row in document["measurements"]:
        out.write(
            f"{row['rules']:>8}  {row['rules_per_second']:>13,.0f}  {row['memory_per_rule'] / 1024:>7.1f} KiB"
            f"  {row['events_per_second']:>10,.0f}  {row['matches_per_event']:>13.2f}\n"
        )


def _plot(document: dict[str, Any], path: str) -> None:
    pyplot = _pyplot()
    rows = document["measurements"]
    figure, axes = pyplot.subplots(figsize=(7, 4))
    axes.plot(
        [row["rules"] for row in rows],
        [row["events_per_second"] for row in rows],
        marker="o",
        label="eventmatch",
    )
    axes.axhline(
        document["orjson_events_per_second"], linestyle="--", color="grey", label="orjson parse only"
    )
    axes.set_xlabel("rules")
    axes.set_ylabel("events per second")
    axes.set_yscale("log")
    axes.legend()
    figure.tight_layout()
    try:
        figure.savefig(path)
    except OSError as exc:
        raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        pyplot.close(figure)


def run(args: argparse.Namespace) -> int:
    """Measure; print the figures."""
    if args.repeat < 1:
        raise CliError("--repeat must be at least 1")
    if args.plot:
        _pyplot()  # fail before measuring when matplotlib is missing
    entries, warnings = load_entries(args.rules, ReadOptions(args.rules_as))
    for warning in warnings:
        print(warning, file=sys.stderr)
    events, bad = _read_events(args.events)
    counts = _rule_counts(len(entries), args.scaling or bool(args.plot))
    document = {
        "events": len(events),
        "bad_lines": bad,
        "orjson_events_per_second": _parse_floor(events, args.repeat),
        "measurements": [
            dataclasses.asdict(measure(entries[:count], events, args.repeat)) for count in counts
        ],
    }
    if args.plot:
        _plot(document, args.plot)
    if args.format == "json":
        print_json(document, sys.stdout)
    else:
        _print_text(document, sys.stdout)
    return EXIT_OK
