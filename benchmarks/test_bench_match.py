"""pytest-benchmark suite: match one batch of events against machines of several sizes, and the hostile cases.

Run with ``pytest benchmarks --benchmark-enable`` (the project's pytest configuration disables benchmarks
by default and only collects ``tests/``). Each machine is built once per module. Batches are matched with
``Machine.match_many``, from JSON bytes and from parsed dicts; each hostile case (``hostile.py``) is timed
once, in this process, and must give its known answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

import hostile
from eventmatch import Machine
from reference_matcher import ReferenceMatcher
from workloads import WORKLOADS, Workload

BATCH_EVENTS = 1_000
REFERENCE_EVENTS = 200
CASES = [
    ("routing", 10),
    ("routing", 100_000),
    ("operators", 10),
    ("operators", 10_000),
    ("dense", 10),
    ("dense", 10_000),
]
SMALL_CASES = [case for case in CASES if case[1] <= 10]


@dataclass(frozen=True)
class Built:
    """A workload, its events parsed to dicts, and a machine holding all of its rules."""

    workload: Workload
    dicts: list[dict[str, Any]]
    machine: Machine


def _case_id(case: tuple[str, int]) -> str:
    return f"{case[0]}-{case[1]}"


def _build(case: tuple[str, int]) -> Built:
    name, n_rules = case
    workload = WORKLOADS[name](n_rules, BATCH_EVENTS, 0)
    machine = Machine()
    machine.add_rules(workload.rules)
    return Built(workload, [orjson.loads(event) for event in workload.events], machine)


@pytest.fixture(scope="module", params=CASES, ids=_case_id)
def built(request: pytest.FixtureRequest) -> Built:
    """One machine per (workload, rule count), shared by the tests of this module."""
    case: tuple[str, int] = request.param
    return _build(case)


def match_batch(machine: Machine, events: Sequence[object]) -> int:
    """Match every event (JSON bytes or dicts) with ``match_many``; returns the total number of matches."""
    return sum(map(len, machine.match_many(events)))


def loads_batch(events: Sequence[bytes]) -> int:
    """orjson.loads every event (the parsing floor for ``match_batch``)."""
    return sum(len(orjson.loads(event)) for event in events)


def test_match_batch(benchmark: BenchmarkFixture, built: Built) -> None:
    """Throughput of ``Machine.match_many`` on JSON bytes."""
    benchmark.group = f"match {built.workload.name}"
    benchmark.extra_info["rules"] = len(built.workload.rules)
    benchmark.extra_info["events"] = len(built.workload.events)
    total = benchmark(match_batch, built.machine, built.workload.events)
    benchmark.extra_info["matches_per_event"] = total / len(built.workload.events)


def test_match_dicts_batch(benchmark: BenchmarkFixture, built: Built) -> None:
    """Throughput of ``Machine.match_many`` on the same events already parsed to dicts."""
    benchmark.group = f"match {built.workload.name}"
    benchmark.extra_info["rules"] = len(built.workload.rules)
    benchmark.extra_info["events"] = len(built.dicts)
    total = benchmark(match_batch, built.machine, built.dicts)
    assert total == match_batch(built.machine, built.workload.events)


@pytest.mark.parametrize("name", list(WORKLOADS))
def test_orjson_loads_batch(benchmark: BenchmarkFixture, name: str) -> None:
    """The same batch through ``orjson.loads`` only, for comparison with ``test_match_batch``."""
    benchmark.group = f"match {name}"
    events = WORKLOADS[name](10, BATCH_EVENTS, 0).events
    benchmark(loads_batch, events)


@pytest.mark.parametrize("case", SMALL_CASES, ids=_case_id)
def test_matches_agree_with_reference(case: tuple[str, int]) -> None:
    """Sanity check that the benchmarked machine matches what the reference matcher matches."""
    built_case = _build(case)
    reference = ReferenceMatcher(built_case.workload.rules)
    for event in built_case.workload.events[:REFERENCE_EVENTS]:
        expected = sorted(reference.match(orjson.loads(event)))
        assert sorted(built_case.machine.match(event)) == expected, event.decode()


@pytest.mark.parametrize("name", list(hostile.CASES))
def test_hostile(benchmark: BenchmarkFixture, name: str) -> None:
    """One timed run of a hostile case (a second run could profit from the first one's caches)."""
    benchmark.group = "hostile"
    trial = hostile.CASES[name].build(False)
    answer = benchmark.pedantic(trial.run, rounds=1, iterations=1)  # type: ignore[no-untyped-call]
    assert answer == trial.expected


@pytest.mark.parametrize("name", list(hostile.CASES))
def test_hostile_small_variant_agrees_with_reference(name: str) -> None:
    """On the small variant, the oracle of the case agrees with the reference interpreter and the engine."""
    trial = hostile.CASES[name].build(True)
    assert trial.reference() == trial.expected
    assert trial.run() == trial.expected
