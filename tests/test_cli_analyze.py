"""``eventmatch analyze``, run as a subprocess on real files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import eventmatch

from .test_cli_support import EXAMPLES, assert_no_traceback, run_cli

RULES = EXAMPLES / "analyze-rules.json"
SAMPLE = EXAMPLES / "analyze-events.jsonl"


def _findings(stdout: str) -> set[tuple[str, str]]:
    return {
        (line.split(": ")[1], line.split(": ")[2])
        for line in stdout.splitlines()
        if line.startswith(str(RULES))
    }


def test_the_example_shows_every_finding() -> None:
    result = run_cli("analyze", RULES, "--exclusive", "orders-eu,orders-big", "--events", SAMPLE)
    assert_no_traceback(result)
    assert result.returncode == 1
    assert _findings(result.stdout) == {
        ("ec2-stopped-again", "duplicate"),
        ("ec2-terminated", "subsumed"),
        ("s3-images", "unmatched-in-sample"),
        ("s3-one-byte-files", "never-matches"),
        ("all-errors", "matches-everything"),
        ("orders-mid-size", "overridden-condition"),
        ("orders-eu", "overlap"),
    }
    assert result.stdout.splitlines()[-1].startswith(
        "9 rules in 1 file: 1 never-matches, 1 matches-everything"
    )


def test_json_output_names_the_rules_and_shows_the_events() -> None:
    result = run_cli("analyze", RULES, "--exclusive", "orders-eu,orders-big", "--format", "json")
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False and document["summary"]["rules"] == 9
    (overlap,) = [f for f in document["findings"] if f["kind"] == "overlap"]
    assert (overlap["rule"], overlap["others"]) == ("orders-eu", ["orders-big"])
    patterns = json.loads(RULES.read_text())
    assert eventmatch.matches(patterns["orders-eu"], overlap["event"])
    assert eventmatch.matches(patterns["orders-big"], overlap["event"])


def test_a_clean_rule_set_exits_0() -> None:
    result = run_cli("analyze", EXAMPLES / "rules.json")
    assert (result.returncode, result.stdout) == (0, "8 rules in 1 file: nothing found\n")


def test_fixtures_hold_matching_events_and_near_misses(tmp_path: Path) -> None:
    result = run_cli("analyze", RULES, "--fixtures", tmp_path / "fixtures")
    assert result.returncode == 1
    patterns = json.loads(RULES.read_text())
    written = sorted(path.stem for path in (tmp_path / "fixtures").iterdir())
    assert written == sorted(set(patterns) - {"s3-one-byte-files"})  # nothing matches that one
    for name in written:
        fixture = json.loads((tmp_path / "fixtures" / f"{name}.json").read_text())
        assert fixture["rule"] == name
        assert all(eventmatch.matches(patterns[name], event) for event in fixture["matching"])
        assert not any(eventmatch.matches(patterns[name], miss["event"]) for miss in fixture["near_misses"])


def test_rules_routed_to_one_target_in_a_template_are_exclusive(tmp_path: Path) -> None:
    template = tmp_path / "template.json"
    rule: dict[str, Any] = {
        "Type": "AWS::Events::Rule",
        "Properties": {"Targets": [{"Id": "q", "Arn": {"Fn::GetAtt": "Q.Arn"}}]},
    }
    resources = {
        "Stopped": {**rule, "Properties": {**rule["Properties"], "EventPattern": {"source": ["aws.ec2"]}}},
        "Big": {
            **rule,
            "Properties": {**rule["Properties"], "EventPattern": {"size": [{"numeric": [">", 9]}]}},
        },
        "Q": {"Type": "AWS::SQS::Queue"},
    }
    template.write_text(json.dumps({"Resources": resources}))
    result = run_cli("analyze", template)
    assert result.returncode == 1
    assert "Stopped: overlap: overlaps Big (both routed to !GetAtt Q.Arn)" in result.stdout
    assert '    event: {"size": 10, "source": "aws.ec2"}' in result.stdout


def test_sns_policies_and_a_sample_of_messages(tmp_path: Path) -> None:
    messages = tmp_path / "messages.jsonl"
    messages.write_text(
        json.dumps({"attributes": {"event": {"Type": "String", "Value": "order_placed"}}})
        + "\n"
        + "not json\n"
    )
    result = run_cli("analyze", "--sns", EXAMPLES / "sns-policies.json", "--events", messages)
    assert result.returncode == 1
    assert "warehouse-eu: subsumed: subsumed by analytics-all-but-cancelled" in result.stdout
    assert "big-spenders: unmatched-in-sample: matched none of the 2 sample events" in result.stdout


def test_usage_errors_exit_2() -> None:
    for args in (["--exclusive", "nobody,orders-eu"], ["--budget", "0"]):
        result = run_cli("analyze", RULES, *args)
        assert_no_traceback(result)
        assert result.returncode == 2, args
        assert result.stderr.startswith("eventmatch: ")


def test_help_states_the_budget() -> None:
    result = run_cli("analyze", "--help")
    assert result.returncode == 0
    assert "--budget STEPS" in result.stdout and "reported as unknown" in result.stdout
