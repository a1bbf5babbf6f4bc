"""``eventmatch match``, run as a subprocess on real streams."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from pathlib import Path

from .test_cli_support import EXAMPLES, assert_no_traceback, run_cli

RULES = {
    "ec2": {"source": ["aws.ec2"]},
    "stopped": {"detail": {"state": ["stopped"]}},
    "never": {"source": ["aws.nothing"]},
}


def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(RULES))
    return path


def outputs(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


def test_example_reports_the_bad_line_and_goes_on() -> None:
    events = EXAMPLES / "events-with-a-bad-line.jsonl"
    result = run_cli("match", "--rules", EXAMPLES / "rules.json", events)
    assert result.returncode == 1
    assert result.stderr.startswith(f"{events}:2: event is not valid JSON")
    assert len(result.stderr.splitlines()) == 1
    assert [line["line"] for line in outputs(result.stdout)] == [1, 3]


def test_example_routes_events() -> None:
    result = run_cli("match", "--rules", EXAMPLES / "rules.json", EXAMPLES / "events.jsonl")
    assert result.returncode == 0
    assert result.stderr == ""
    lines = outputs(result.stdout)
    assert [line["line"] for line in lines] == list(range(1, 12))
    assert lines[0] == {"line": 1, "matches": ["ec2-instance-stopped"]}
    assert lines[4] == {"line": 5, "matches": ["large-orders", "orders-with-coupon"]}
    matched = {name for line in lines for name in line["matches"]}  # type: ignore[attr-defined]
    assert matched == set(json.loads((EXAMPLES / "rules.json").read_text()))  # every example rule is used


def test_bad_lines_go_to_stderr_and_every_good_line_is_answered(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text(
        '{"source": "aws.ec2", "detail": {"state": "stopped"}}\n'
        "not json\n"
        "\n"
        '["an", "array"]\n'
        '{"source": "aws.s3"}\n'
        '{"source": "aws.ec2"\n'
        '{"detail": {"state": "stopped"}}'  # no final newline
    )
    result = run_cli("match", "--rules", rules_file(tmp_path), events)
    assert result.returncode == 1
    assert re.findall(r"^(.*?):(\d+): ", result.stderr, re.MULTILINE) == [
        (str(events), "2"),
        (str(events), "4"),
        (str(events), "6"),
    ]
    assert "an event must be a JSON object" in result.stderr
    assert outputs(result.stdout) == [
        {"line": 1, "matches": ["ec2", "stopped"]},
        {"line": 5, "matches": []},
        {"line": 7, "matches": ["stopped"]},
    ]
    assert_no_traceback(result)


def test_a_hundred_thousand_lines_lose_no_good_line(tmp_path: Path) -> None:
    events = tmp_path / "big.jsonl"
    bad = set(range(7, 100_001, 9_999))
    with events.open("w") as out:
        for number in range(1, 100_001):
            if number in bad:
                out.write('{"source": "aws.ec2", "broken\n')
            else:
                out.write(f'{{"source": "aws.{"ec2" if number % 2 else "s3"}", "n": {number}}}\n')
    result = run_cli("match", "--rules", rules_file(tmp_path), "--format", "count", events)
    assert result.returncode == 1
    reported = [int(line.split(":")[1]) for line in result.stderr.splitlines()]
    assert reported == sorted(bad)
    counts = result.stdout.splitlines()
    good = [number for number in range(1, 100_001) if number not in bad]
    assert len(counts) == len(good)
    assert counts == ["1" if number % 2 else "0" for number in good]


def test_bad_lines_inside_big_chunks_lose_no_good_line(tmp_path: Path) -> None:
    # Files are matched 1024 lines at a time: bad lines first, last, in the middle of a chunk and side
    # by side across a chunk boundary, blank lines in between; stdin is matched line by line.
    bad = {1: "not json", 500: '["an", "array"]', 1024: "{", 1025: '{"source": "aws.ec2"', 1026: "nul"}
    bad |= {2047: "[]", 2048: "{}}", 3000: '"text"'}
    blank = {700, 1500, 2049}
    lines = []
    for number in range(1, 3001):
        if number in blank:
            lines.append("")
        else:
            lines.append(
                bad.get(number, f'{{"source": "aws.{"ec2" if number % 3 else "s3"}", "n": {number}}}')
            )
    events = tmp_path / "events.jsonl"
    events.write_text("\n".join(lines) + "\n")
    good = [number for number in range(1, 3001) if number not in bad and number not in blank]
    expected = [{"line": number, "matches": ["ec2"] if number % 3 else []} for number in good]
    from_file = run_cli("match", "--rules", rules_file(tmp_path), events)
    from_stdin = run_cli("match", "--rules", rules_file(tmp_path), stdin=events.read_bytes())
    for result, label in ((from_file, str(events)), (from_stdin, "<stdin>")):
        assert result.returncode == 1
        assert outputs(result.stdout) == expected
        assert re.findall(r"^(.*?):(\d+): ", result.stderr, re.MULTILINE) == [
            (label, str(number)) for number in sorted(bad)
        ]
        assert_no_traceback(result)


def test_gzip_files_and_gzip_on_stdin(tmp_path: Path) -> None:
    text = '{"source": "aws.ec2"}\n{"source": "aws.s3"}\n'
    compressed = tmp_path / "events.jsonl.gz"
    compressed.write_bytes(gzip.compress(text.encode()))
    from_file = run_cli("match", "--rules", rules_file(tmp_path), "--format", "names", compressed)
    from_stdin = run_cli(
        "match", "--rules", rules_file(tmp_path), "--format", "names", "-", stdin=compressed.read_bytes()
    )
    assert from_file.returncode == from_stdin.returncode == 0
    assert from_file.stdout == from_stdin.stdout == "ec2\n\n"


def test_stdin_is_the_default_input(tmp_path: Path) -> None:
    result = run_cli("match", "--rules", rules_file(tmp_path), stdin='{"source": "aws.ec2"}\n')
    assert (result.returncode, result.stdout) == (0, '{"line":1,"matches":["ec2"]}\n')


def test_several_inputs_name_the_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text('{"source": "aws.ec2"}\n')
    second.write_text('{}\n{"detail": {"state": "stopped"}}\n')
    result = run_cli("match", "--rules", rules_file(tmp_path), first, second)
    assert outputs(result.stdout) == [
        {"file": str(first), "line": 1, "matches": ["ec2"]},
        {"file": str(second), "line": 1, "matches": []},
        {"file": str(second), "line": 2, "matches": ["stopped"]},
    ]


def test_summary_lists_rules_that_matched_nothing(tmp_path: Path) -> None:
    result = run_cli(
        "match", "--rules", rules_file(tmp_path), "--summary", "--format", "count",
        stdin='{"source": "aws.ec2"}\n{"source": "aws.ec2", "detail": {"state": "stopped"}}\n',
    )  # fmt: skip
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "2 events, 2 matched a rule, 0 bad lines",
        "matches per rule:",
        "  2  ec2",
        "  1  stopped",
        "  0  never",
        "rules that matched nothing (often typos): never",
    ]


def test_a_template_as_rules_leaves_out_what_it_cannot_use(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(
        "Resources:\n"
        "  Ec2:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties:\n"
        "      EventPattern: {source: [aws.ec2]}\n"
        "  Mine:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties:\n"
        "      EventPattern: {account: [!Ref AWS::AccountId]}\n"
        "  Topic:\n"
        "    Type: AWS::SNS::Subscription\n"
        "    Properties:\n"
        "      FilterPolicy: {a: [b]}\n"
    )
    result = run_cli("match", "--rules", template, "--format", "names", stdin='{"source": "aws.ec2"}\n')
    assert result.returncode == 0
    assert result.stdout == "Ec2\n"
    assert (
        result.stderr
        == f"{template}:9:7: Mine: account[0]: warning: left out: contains an intrinsic function\n"
    )


def test_invalid_rules_exit_2_listing_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text('{"a": {"source": [{"prefix": 1}]},\n "b": {"source": []}}')
    result = run_cli("match", "--rules", path, stdin="{}\n")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "eventmatch: cannot use the rules:",
        f"{path}:1:7: a: source[0].prefix: prefix match pattern must be a string",
        f"{path}:2:7: b: source: Empty arrays are not allowed",
    ]
    assert result.stdout == ""


def test_io_and_usage_errors_exit_2(tmp_path: Path) -> None:
    missing_events = run_cli("match", "--rules", rules_file(tmp_path), tmp_path / "missing.jsonl")
    assert missing_events.returncode == 2
    assert (
        missing_events.stderr
        == f"eventmatch: cannot read {tmp_path / 'missing.jsonl'}: No such file or directory\n"
    )
    missing_rules = run_cli("match", "--rules", tmp_path / "none.json")
    assert missing_rules.returncode == 2
    no_rules = run_cli("match", stdin="{}\n")
    assert no_rules.returncode == 2 and "--rules" in no_rules.stderr
    empty = tmp_path / "empty.yaml"
    empty.write_text("Resources: {}\n")
    nothing = run_cli("match", "--rules", empty, stdin="{}\n")
    assert nothing.returncode == 2
    assert nothing.stderr == f"eventmatch: no EventBridge patterns found in {empty}\n"
    for result in (missing_events, missing_rules, no_rules, nothing):
        assert_no_traceback(result)


def test_sns_fan_out_example() -> None:
    result = run_cli(
        "match", "--sns", "--rules", EXAMPLES / "sns-policies.json", "--format", "names",
        EXAMPLES / "sns-messages.jsonl",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "analytics-all-but-cancelled big-spenders warehouse-eu",
        "analytics-all-but-cancelled priority-handling",
        "priority-handling",
        "analytics-all-but-cancelled big-spenders",
        "analytics-all-but-cancelled",
    ]


def test_sns_message_lines(tmp_path: Path) -> None:
    policies = tmp_path / "policies.json"
    policies.write_text(json.dumps({"paid": {"status": ["paid"]}}))
    messages = (
        '{"body": {"status": "paid"}}\n'  # an envelope with a JSON body
        '{"body": "{\\"status\\": \\"paid\\"}"}\n'  # the body as text
        '{"status": "paid"}\n'  # a raw body
        '{"status": "open"}\n'
        '{"attributes": {}, "MessageAttributes": {}}\n'  # both spellings: not a message
    )
    result = run_cli(
        "match", "--sns", "--scope", "MessageBody", "--rules", policies, "--format", "count", stdin=messages
    )
    assert result.returncode == 1
    assert result.stdout.splitlines() == ["1", "1", "1", "0"]
    assert result.stderr.startswith('<stdin>:5: give "attributes" or "MessageAttributes", not both')


def test_a_reader_that_goes_away_stops_match_quietly_with_status_141(tmp_path: Path) -> None:
    events = tmp_path / "events.jsonl"
    events.write_text('{"source": "aws.ec2"}\n' * 200_000)  # far more answers than a pipe holds
    for source in ([str(events)], ["-"]):  # a file is answered in blocks, a stream line by line
        with events.open("rb") as stdin:
            process = subprocess.Popen(
                [sys.executable, "-m", "eventmatch", "match", "--rules", str(rules_file(tmp_path)), *source],
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            assert process.stdout is not None and process.stderr is not None
            assert process.stdout.readline() == b'{"line":1,"matches":["ec2"]}\n'
            process.stdout.close()  # as `| head -1` does
            stderr = process.stderr.read()
            assert process.wait(timeout=60) == 141  # 128 + SIGPIPE, as a shell reports `seq 1e6 | head -1`
        assert stderr == b""
