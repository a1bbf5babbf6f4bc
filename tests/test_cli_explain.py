"""``eventmatch explain``, run as a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from .test_cli_support import EXAMPLES, assert_no_traceback, run_cli

PATTERN = '{"source": ["aws.ec2"], "detail": {"state": ["stopped", "terminated"]}}'


def test_match_exits_0() -> None:
    event = (EXAMPLES / "events.jsonl").read_text().splitlines()[0]
    result = run_cli("explain", "--pattern", PATTERN, "--event", event)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "match"
    assert '"stopped" passes "stopped"' in result.stdout


def test_no_match_exits_1_with_the_failing_condition_first(tmp_path: Path) -> None:
    pattern = tmp_path / "pattern.json"
    pattern.write_text(PATTERN)
    result = run_cli(
        "explain", "--pattern", pattern, "--event", '{"source": "aws.ec2", "detail": {"state": "running"}}'
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[:5] == [
        "no match",
        "  FAIL  detail.state",
        '        tests:  "stopped" | "terminated"',
        '        values: "running"',
        "        no value here passes a test",
    ]


def test_or_names_the_deciding_alternative() -> None:
    pattern = '{"$or": [{"a": ["1"]}, {"b": [{"numeric": [">", 5]}]}]}'
    result = run_cli("explain", "--pattern", pattern, "--event", '{"b": 7}')
    assert result.returncode == 0
    assert result.stdout.splitlines()[:2] == ["match: $or alternative 2 of 2 matches", "alternative 2:"]


def test_json_format_and_stdin() -> None:
    result = run_cli(
        "explain", "--pattern", PATTERN, "--event", "-", "--format", "json", stdin='{"source": "aws.s3"}'
    )
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["matched"] is False and document["decided_by"] is None
    conditions = document["alternatives"][0]["conditions"]
    assert [(c["path"], c["passed"], c["values"]) for c in conditions] == [
        ("detail.state", False, []),
        ("source", False, ['"aws.s3"']),
    ]


def test_bad_input_exits_2() -> None:
    bad_pattern = run_cli("explain", "--pattern", EXAMPLES / "bad-pattern.json", "--event", "{}")
    assert bad_pattern.returncode == 2
    assert (
        bad_pattern.stderr
        == "eventmatch: invalid pattern: detail.total[0].numeric: Bottom must be less than top\n"
    )
    bad_event = run_cli("explain", "--pattern", PATTERN, "--event", "{not json")
    assert bad_event.returncode == 2
    assert bad_event.stderr.startswith("eventmatch: invalid event: event is not valid JSON")
    missing = run_cli("explain", "--pattern", "missing.json", "--event", "{}")
    assert missing.returncode == 2 and missing.stderr.startswith("eventmatch: cannot read missing.json: ")
    both_stdin = run_cli("explain", "--pattern", "-", "--event", "-", stdin="{}")
    assert both_stdin.returncode == 2
    for result in (bad_pattern, bad_event, missing, both_stdin):
        assert_no_traceback(result)


def test_inline_json_that_is_no_pattern_is_explained_as_such() -> None:
    not_a_pattern = run_cli("explain", "--pattern", '["x"]', "--event", "{}")
    assert not_a_pattern.stderr == "eventmatch: invalid pattern: Filter is not an object\n"
    not_an_event = run_cli("explain", "--pattern", PATTERN, "--event", ' [{"source": "aws.ec2"}]')
    assert not_an_event.stderr == "eventmatch: invalid event: an event must be a JSON object\n"
    for result in (not_a_pattern, not_an_event):
        assert_no_traceback(result)


def test_an_option_explain_does_not_have_gets_explains_usage() -> None:
    result = run_cli("explain", "--pattern", PATTERN, "--event", "{}", "--sns")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "usage: eventmatch explain [-h] --pattern P --event E [--format {text,json}]",
        "eventmatch explain: error: unrecognized arguments: --sns",
    ]
    assert result.stdout == ""
