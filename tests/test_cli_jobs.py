"""``eventmatch match --jobs``: worker processes, the same output as one process, run as a subprocess."""

from __future__ import annotations

import gzip
import signal
import subprocess
import sys
import time
from pathlib import Path

from .test_cli_support import EXAMPLES, assert_no_traceback, run_cli

BAD_LINES = ["not json", "[1]", '{"a": 1, "a": 2}', '{"a":' * 1100 + "1" + "}" * 1100]


def event_lines(count: int) -> list[str]:
    """The example events over and over, with a bad line now and then."""
    examples = [line for line in (EXAMPLES / "events.jsonl").read_text().splitlines() if line.strip()]
    lines = []
    for number in range(count):
        lines.append(examples[number % len(examples)])
        if number % 211 == 5:
            lines.append(BAD_LINES[number % len(BAD_LINES)])
        if number % 500 == 7:
            lines.append("")
    return lines


def test_jobs_output_is_identical_to_one_process(tmp_path: Path) -> None:
    lines = event_lines(6000)
    plain = tmp_path / "a.jsonl"
    plain.write_text("\n".join(lines[:3500]) + "\n")
    packed = tmp_path / "b.jsonl.gz"
    with gzip.open(packed, "wt") as stream:
        stream.write("\n".join(lines[3500:]) + "\n")
    args = ("match", "--rules", EXAMPLES / "rules.json", "--summary", plain, packed)
    one = run_cli(*args)
    assert one.returncode == 1 and one.stdout.count("\n") > 5000
    for jobs in ("2", "3", "0"):
        several = run_cli(*args, "--jobs", jobs)
        assert_no_traceback(several)
        assert several.returncode == one.returncode
        assert several.stdout == one.stdout
        assert several.stderr == one.stderr  # bad lines at their numbers, and the same summary


def test_jobs_on_stdin_and_sns_messages() -> None:
    messages = (EXAMPLES / "sns-messages.jsonl").read_text() * 50 + "not a message\n"
    args = ("match", "--sns", "--rules", EXAMPLES / "sns-policies.json", "--format", "names", "-")
    one = run_cli(*args, stdin=messages)
    two = run_cli(*args, "--jobs", "2", stdin=messages)
    assert two.returncode == one.returncode
    assert two.stdout == one.stdout and two.stdout.strip()
    assert two.stderr == one.stderr


def test_jobs_must_be_a_count() -> None:
    result = run_cli("match", "--rules", EXAMPLES / "rules.json", "--jobs", "-1", EXAMPLES / "events.jsonl")
    assert result.returncode == 2
    assert "not a number of jobs" in result.stderr
    assert_no_traceback(result)


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    full = event_lines(400_000)
    events = tmp_path / "many.jsonl"
    events.write_text("\n".join(full) + "\n")
    command = [sys.executable, "-m", "eventmatch", "match", "--rules", str(EXAMPLES / "rules.json")]
    answers = tmp_path / "answers.txt"
    with answers.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--jobs", "2", "--format", "count", str(events)], stdout=out, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        while answers.stat().st_size == 0 and time.monotonic() < deadline:  # until matching has begun
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert b"Traceback" not in stderr, stderr.decode()
    answered = answers.read_text().splitlines()
    # What was written is the start of the full answer, in order: nothing lost before it, nothing twice.
    expected = run_cli("match", "--rules", EXAMPLES / "rules.json", "--format", "count", events).stdout
    assert 0 < len(answered) < expected.count("\n")
    assert expected.splitlines()[: len(answered)] == answered
