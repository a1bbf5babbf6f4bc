"""``eventmatch validate``, run as a subprocess on real files."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from eventmatch.cli import main

from .test_cli_support import EXAMPLES, assert_no_traceback, run_cli

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  GoodRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.ec2]
        detail: {state: [stopped]}
  StringRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: '{"source": ["aws.ec2"], "detail": {"n": [{"numeric": [">", 5, "<", 1]}]}}'  # broken
  ScheduledRule:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(5 minutes)
  SubRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: !Sub '{"account": ["${AWS::AccountId}"]}'
  RefRule:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        source: [aws.s3]
        detail:
          bucket:
            name: [!Ref Bucket, other]
          size: [{numeric: [">", !Ref MinSize]}]  # unchecked
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !GetAtt Fn.Arn
      FilterCriteria:
        Filters:
          - Pattern: '{"body": {"a": ["1"]}}'
          - Pattern: '{"body": {"a": [{"wildcard": "x*"}]}}'  # broken
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Events:
        Ec2:
          Type: CloudWatchEvent
          Properties:
            Pattern:
              source: [aws.ec2]
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt Queue.Arn
            FilterCriteria:
              Filters:
                - Pattern: !If [IsProd, '{"body": {"env": ["prod"]}}', '{"body": {}}']  # broken
        Schedule:
          Type: Schedule
          Properties:
            Schedule: rate(1 hour)
  Pipe:
    Type: AWS::Pipes::Pipe
    Properties:
      Source: !GetAtt Queue.Arn
      SourceParameters:
        FilterCriteria:
          Filters:
            - Pattern: '{"body": {"a": [{"exists": "yes"}]}}'  # broken
"""


MEASURES = "wildcard complexity 0, 1 $or combination"
TOO_COMPLEX = (
    "Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences "
    "after a wildcard character"
)
EITHER = "a machine matches either pattern under this name"


def marked_lines(text: str, marker: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), 1) if line.endswith(f"# {marker}")]


def finding_lines(output: str, name: str) -> list[int]:
    return [int(match) for match in re.findall(rf"^{re.escape(name)}:(\d+):\d+: ", output, re.MULTILINE)]


def validate(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run ``eventmatch validate`` in this process: (exit status, stdout, stderr)."""
    status = main(["validate", *map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def test_yaml_template_reports_each_broken_pattern_at_its_line(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(TEMPLATE)
    result = run_cli("validate", "--quiet", template)
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stdout.splitlines() if ": warning: " not in line]
    warnings = [line for line in result.stdout.splitlines() if ": warning: " in line]
    assert finding_lines("\n".join(errors), str(template)) == marked_lines(TEMPLATE, "broken")
    assert finding_lines("\n".join(warnings), str(template)) == marked_lines(TEMPLATE, "unchecked")
    assert errors == [
        f"{template}:13:7: StringRule: detail.n[0].numeric: Bottom must be less than top",
        f"{template}:38:13: Mapping.Filters[1]: body.a[0]: Lambda event filtering does not support "
        '{"wildcard": ...}',
        f"{template}:55:19: Fn.Events.Queue.Filters[0]: body: Empty objects are not allowed "
        "(when not IsProd)",
        f"{template}:67:15: Pipe.Filters[0]: body.a[0].exists: exists match pattern must be either true or "
        "false.",
    ]
    assert warnings == [
        f"{template}:30:34: RefRule: detail.size[0].numeric: warning: not checked: !Ref MinSize is resolved "
        "only at deployment, and numeric takes numbers"
    ]


def test_not_quiet_lists_valid_patterns_with_their_measurements(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(TEMPLATE)
    result = run_cli("validate", template)
    lines = result.stdout.splitlines()
    assert f"{template}:7:7: GoodRule: valid: {MEASURES}, 53 characters" in lines
    assert f"{template}:21:7: SubRule: valid: {MEASURES}, 34 characters" in lines  # "${AWS::AccountId}"
    assert f"{template}:37:13: Mapping.Filters[0]: valid: {MEASURES}, 22 characters" in lines
    assert f"{template}:47:13: Fn.Events.Ec2: valid: {MEASURES}, 22 characters" in lines
    assert lines[-1] == "9 patterns in 1 file: 4 valid, 4 invalid, 1 not checked; 4 errors, 1 warning"


def test_json_template_is_located_too(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Good": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": {"source": ["a"]}}},
            "Bad": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": {"source": [{"prefix": 1}]}}},
        }
    }
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template, indent=2))
    result = run_cli("validate", "--quiet", path)
    assert result.returncode == 1
    assert result.stdout == f"{path}:16:25: Bad: source[0].prefix: prefix match pattern must be a string\n"


def test_example_template() -> None:
    template = EXAMPLES / "template.yaml"
    result = run_cli("validate", template)
    assert result.returncode == 1
    text = template.read_text()
    errors = [
        line
        for line in result.stdout.splitlines()
        if re.match(r".*:\d+:\d+: .*", line) and "valid" not in line
    ]
    broken = [line for line in errors if ": warning: " not in line]
    assert finding_lines("\n".join(broken), str(template)) == marked_lines(text, "broken")
    assert f"{template}:44:7: OwnAccountRule: valid: {MEASURES}, 54 characters" in result.stdout  # !Ref
    assert "ShippingSubscription: valid SNS filter policy (MessageBody), 1 $or combination" in result.stdout


def test_sns_subscription_in_a_template_is_checked_as_a_filter_policy(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        "Resources:\n"
        "  Sub:\n"
        "    Type: AWS::SNS::Subscription\n"
        "    Properties:\n"
        "      FilterPolicy: {store: [{prefix: 5}]}\n"
        "  Sub2:\n"
        "    Type: AWS::SNS::Subscription\n"
        "    Properties:\n"
        "      FilterPolicyScope: !Ref Scope\n"
        "      FilterPolicy: {store: [x]}\n"
    )
    result = run_cli("validate", "--quiet", template)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{template}:5:7: Sub: store[0].prefix: prefix match pattern must be a string",
    ]  # Sub2 is valid in either scope


def test_a_filter_policy_whose_scope_is_an_intrinsic_is_checked_in_both_scopes(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        "Resources:\n"
        "  Sub:\n"
        "    Type: AWS::SNS::Subscription\n"
        "    Properties:\n"
        "      FilterPolicyScope: !If [Body, MessageBody, MessageAttributes]\n"
        "      FilterPolicy: {order: {status: [shipped]}}\n"
    )
    result = run_cli("validate", "--quiet", template)
    assert result.returncode == 1
    assert result.stdout == (
        f"{template}:6:7: Sub: Filter policy scope MessageAttributes does not support nested filter policy "
        "(when FilterPolicyScope is MessageAttributes)\n"
    )


def test_pattern_file_and_exit_status() -> None:
    result = run_cli("validate", EXAMPLES / "bad-pattern.json")
    assert result.returncode == 1
    path = EXAMPLES / "bad-pattern.json"
    assert (
        result.stdout.splitlines()[0]
        == f"{path}:1:1: bad-pattern: detail.total[0].numeric: Bottom must be less than top"
    )
    assert run_cli("validate", EXAMPLES / "rules.json").returncode == 0


def test_rules_file_errors_are_at_the_rule(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text('{\n  "ok": {"source": ["a"]},\n  "bad": {\n    "source": [{"suffix": []}]\n  }\n}\n')
    result = run_cli("validate", "-q", path)
    assert result.returncode == 1
    assert result.stdout == f"{path}:3:10: bad: source[0].suffix: suffix match pattern must be a string\n"


def test_repeated_rule_names_are_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text('{"a": {"source": ["x"]},\n "a": {"source": ["y"]}}')
    result = run_cli("validate", "-q", path)
    assert result.returncode == 0
    assert result.stdout == f"{path}:2:7: a: warning: rule name also used at {path}:1:7: {EITHER}\n"
    assert run_cli("validate", "--strict", path).returncode == 1


@pytest.mark.parametrize(
    ("document", "forced", "names"),
    [
        ({"detail": {"state": ["running"]}}, None, ["p"]),  # an envelope field: one pattern
        ({"source": ["a"], "x": {"y": ["1"]}}, None, ["p"]),  # a value array: one pattern
        ({"one": {"a": ["1"]}, "two": {"b": ["2"]}}, None, ["one", "two"]),  # objects only: rules
        ({"one": {"a": ["1"]}}, "--pattern", ["p"]),
        ({"detail": {"a": ["1"]}}, "--rules", ["detail"]),
    ],
)
def test_pattern_or_rules_file(
    tmp_path: Path, document: object, forced: str | None, names: list[str]
) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps(document))
    result = run_cli("validate", "--format", "json", *([forced] if forced else []), path)
    assert result.returncode == 0, result.stdout
    assert [rule["name"] for rule in json.loads(result.stdout)["rules"]] == names


def test_json_lines_of_patterns(tmp_path: Path) -> None:
    path = tmp_path / "patterns.jsonl"
    path.write_text(
        '{"source": ["a"]}\n'
        "\n"
        '{"name": "named", "pattern": {"source": [{"prefix": ""}]}}\n'
        '{"name": "as-text", "pattern": "{\\"source\\": [{\\"numeric\\": [\\"<\\", \\"x\\"]}]}"}\n'
        "{not json\n"
    )
    result = run_cli("validate", "--format", "json", path)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert [rule["name"] for rule in document["rules"]] == ["patterns#1", "named", "as-text"]
    assert [(f["line"], f["rule"], f["message"]) for f in document["findings"]] == [
        (4, "as-text", "Value of < must be numeric"),
        (5, "", "not valid JSON: Expecting property name enclosed in double quotes"),
    ]


def test_several_json_documents_without_jsonl_suffix_are_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "patterns.txt"
    path.write_text('{"source": ["a"]}\n{"source": []}\n')
    result = run_cli("validate", "-q", path)
    assert result.returncode == 1
    assert result.stdout == f"{path}:2:1: patterns#2: source: Empty arrays are not allowed\n"


def test_json_format_document(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(
        json.dumps(
            {
                "wild": {"resources": [{"wildcard": "*:*:*:*:*:event-bus/*"}]},
                "or": {"$or": [{"a": ["1"]}, {"b": ["2"]}, {"c": ["3"]}]},
                "bad": {"a": "not an array"},
            }
        )
    )
    result = run_cli("validate", "--format", "json", path)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False
    assert document["summary"] == {
        "files": 1, "patterns": 3, "valid": 1, "invalid": 2, "unchecked": 0, "errors": 2, "warnings": 0,
    }  # fmt: skip
    wild, either, bad = document["rules"]
    assert (wild["status"], wild["kind"], wild["service"], wild["scope"]) == (
        "invalid", "eventbridge", "events", None,
    )  # fmt: skip
    assert (either["wildcard_complexity"], either["or_combinations"], either["size"]) == (0, 3, 45)
    assert bad["status"] == "invalid" and bad["wildcard_complexity"] is None
    too_complex, error = document["findings"]
    assert too_complex["severity"] == "error" and too_complex["path"] == "resources"
    assert too_complex["message"].startswith("Rule is too complex - try using fewer wildcard characters")
    assert too_complex["message"].endswith("(wildcard complexity 11, above 7)")
    assert error == {
        "file": str(path), "line": 1, "column": 132, "rule": "bad", "path": "a", "severity": "error",
        "message": '"a" must be an object or an array',
    }  # fmt: skip


def _big_pattern(size: int) -> dict[str, object]:
    """A pattern of exactly ``size`` characters in its compact JSON form."""
    pattern: dict[str, Any] = {"detail": {"f": ["x"]}}
    pattern["detail"]["f"] = ["x" * (size - len(json.dumps(pattern, separators=(",", ":"))) + 1)]
    assert len(json.dumps(pattern, separators=(",", ":"))) == size
    return pattern


def test_a_complexity_above_7_is_an_error_as_aws_rejects_it(tmp_path: Path) -> None:
    path = tmp_path / "pattern.json"
    path.write_text('{"EventBusArn": [{"wildcard": "*:*:*:*:*:event-bus/*"}]}')  # rejected by AWS
    result = run_cli("validate", "-q", path)
    assert result.returncode == 1
    assert (
        result.stdout
        == f"{path}:1:1: pattern: EventBusArn: {TOO_COMPLEX} (wildcard complexity 11, above 7)\n"
    )
    accepted = tmp_path / "accepted.json"
    accepted.write_text('{"f": [{"wildcard": "/Users/*/dir/dir/dir/dir/dir/doc.txt"}]}')  # 7: AWS accepts it
    assert run_cli("validate", "-q", accepted).returncode == 0
    assert run_cli("validate", "-q", "--max-complexity", "11", path).returncode == 0


@pytest.mark.parametrize(
    ("size", "quota", "status", "message"),
    [
        (2048, None, 0, None),
        (2300, None, 0, "warning: pattern is 2,300 characters: above EventBridge's default quota of 2,048 "
         "(adjustable up to 4,096)"),
        (2300, "3000", 0, None),
        (3001, "3000", 1, "pattern is 3,001 characters: above the quota of 3,000 (--size-quota)"),
        (4096, "4096", 0, None),
        (4097, None, 1, "pattern is 4,097 characters: above EventBridge's maximum of 4,096"),
    ],
)  # fmt: skip
def test_size_quota(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    size: int,
    quota: str | None,
    status: int,
    message: str | None,
) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"big": _big_pattern(size)}))
    code, out, _ = validate(capsys, "-q", path, *(["--size-quota", quota] if quota else []))
    assert code == status
    assert out == (f"{path}:1:9: big: {message}\n" if message else "")


def test_strict_turns_the_size_warning_into_a_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"big": _big_pattern(2049)}))
    assert validate(capsys, path)[0] == 0
    assert validate(capsys, "--strict", path)[0] == 1


@pytest.mark.parametrize("quota", ["0", "4097", "lots"])
def test_size_quota_must_be_a_possible_quota(capsys: pytest.CaptureFixture[str], quota: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["validate", "--size-quota", quota, "x.json"])
    assert info.value.code == 2
    assert "--size-quota" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("package.json", '{"name": "app", "version": "1.0.0", "scripts": {"test": "pytest"}}'),
        ("list.json", '[{"source": ["a"]}]'),
        ("workflow.yml", "on: push\njobs:\n  test: {runs-on: ubuntu-latest}\n"),
        ("empty.yaml", ""),
    ],
)
def test_a_file_of_no_known_kind_is_reported_and_exits_2(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    result = run_cli("validate", path, EXAMPLES / "rules.json")
    assert result.returncode == 2
    assert result.stderr == (
        f"eventmatch: {path}: not an event pattern, a rules file, a CloudFormation / SAM template or a "
        "serverless.yml\n"
    )
    assert "8 patterns in 1 file" in result.stdout  # the other file is still checked
    assert_no_traceback(result)


def test_pattern_forces_a_file_of_no_known_kind_to_be_read_as_a_pattern(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "package.json"
    path.write_text('{"name": "app"}')
    assert validate(capsys, "-q", "--pattern", path) == (
        1, f'{path}:1:1: package: name: "name" must be an object or an array\n', ""
    )  # fmt: skip


def test_a_misspelt_pattern_is_still_a_pattern(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"source": "aws.ec2", "detail-type": ["x"]}')  # an envelope field without its array
    assert validate(capsys, "-q", path) == (
        1,
        f'{path}:1:1: p: source: "source" must be an object or an array\n',
        "",
    )


def test_stdin_and_several_files(tmp_path: Path) -> None:
    result = run_cli("validate", "-", EXAMPLES / "rules.json", stdin='{"source": [1, 2]}')
    assert result.returncode == 0
    assert result.stdout.startswith("-:1:1: stdin: valid")
    assert "9 patterns in 2 files: 9 valid" in result.stdout


def test_malformed_files_are_invalid_at_the_syntax_error(tmp_path: Path) -> None:
    broken_json = tmp_path / "rules.json"
    broken_json.write_text('{\n  "a": {"source": ["x"],\n}\n')
    broken_yaml = tmp_path / "template.yaml"
    broken_yaml.write_text("Resources:\n  A: [1\n  B: 2\n")
    result = run_cli("validate", broken_json, broken_yaml)
    assert result.returncode == 1
    assert (
        f"{broken_json}:3:1: not valid JSON: Expecting property name enclosed in double quotes"
        in result.stdout
    )
    assert f"{broken_yaml}:3:4: not valid YAML: " in result.stdout


def test_empty_template_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text("Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n")
    result = run_cli("validate", "-q", path)
    assert result.returncode == 0
    assert result.stdout == f"{path}:1:1: warning: no event patterns or filter policies found\n"


def test_usage_and_io_errors_exit_2(tmp_path: Path) -> None:
    missing = run_cli("validate", tmp_path / "missing.json", EXAMPLES / "rules.json")
    assert missing.returncode == 2
    assert missing.stderr.startswith(f"eventmatch: cannot read {tmp_path / 'missing.json'}: ")
    assert "8 patterns in 1 file" in missing.stdout  # the readable file is still checked
    no_path = run_cli("validate")
    assert no_path.returncode == 2 and "usage: eventmatch validate" in no_path.stderr
    for result in (missing, no_path):
        assert_no_traceback(result)
