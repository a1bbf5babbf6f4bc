"""``eventmatch bench``, run as a subprocess on tiny inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .test_cli_support import EXAMPLES, assert_no_traceback, run_cli


def bench(*args: str | Path) -> dict[str, object]:
    result = run_cli(
        "bench",
        "--rules",
        EXAMPLES / "rules.json",
        "--events",
        EXAMPLES / "events.jsonl",
        "--repeat",
        "1",
        *args,
    )
    assert result.returncode == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def test_one_measurement() -> None:
    document = bench("--format", "json")
    assert (document["events"], document["bad_lines"]) == (11, 0)
    assert document["orjson_events_per_second"] > 0  # type: ignore[operator]
    rows: list[dict[str, float]] = document["measurements"]  # type: ignore[assignment]
    (row,) = rows
    assert row["rules"] == 8
    assert row["events_per_second"] > 0 and row["rules_per_second"] > 0 and row["memory_per_rule"] > 0
    assert row["matches_per_event"] == pytest.approx(9 / 11)


def test_scaling_measures_growing_subsets() -> None:
    rows = bench("--scaling", "--format", "json")["measurements"]
    assert [row["rules"] for row in rows] == [1, 2, 4, 8]  # type: ignore[attr-defined]


def test_text_report() -> None:
    result = run_cli(
        "bench", "--rules", EXAMPLES / "rules.json", "--events", EXAMPLES / "events.jsonl", "--repeat", "1"
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "11 events (0 bad lines left out)"
    assert lines[1].startswith("orjson parse floor: ")
    assert lines[3].split() == ["rules", "rules", "added/s", "memory/rule", "events/s", "matches/event"]
    assert lines[4].split()[0] == "8"


def test_plot_without_matplotlib_is_a_clear_error(tmp_path: Path) -> None:
    # A Python where importing matplotlib fails, as on an install without the plot extra.
    code = "import sys; sys.modules['matplotlib'] = None; from eventmatch.cli import main; sys.exit(main())"
    args = [
        "bench",
        "--rules",
        EXAMPLES / "rules.json",
        "--events",
        EXAMPLES / "events.jsonl",
        "--plot",
        tmp_path / "p.png",
    ]
    result = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr == "eventmatch: --plot needs matplotlib: pip install 'eventmatch[plot]'\n"
    assert_no_traceback(result)


def test_plot(tmp_path: Path) -> None:
    plot = tmp_path / "scaling.png"
    assert len(bench("--plot", plot, "--format", "json")["measurements"]) == 4  # type: ignore[arg-type]
    assert plot.read_bytes().startswith(b"\x89PNG")


def test_no_events_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "events.jsonl"
    empty.write_text("\n")
    result = run_cli("bench", "--rules", EXAMPLES / "rules.json", "--events", empty)
    assert (result.returncode, result.stderr) == (2, f"eventmatch: no events in {empty}\n")
