"""``eventmatch validate`` (and ``match``) on Serverless Framework ``serverless.yml`` files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_cli_support import EXAMPLES, run_cli
from .test_cli_validate import MEASURES, finding_lines, marked_lines, validate

SERVICE = """\
service: orders
provider:
  name: aws
functions:
  placed:
    handler: handler.placed
    events:
      - eventBridge:
          eventBus: orders-${sls:stage}
          pattern:  # broken
            source: [{prefix: 1}]
      - eventBridge:
          schedule: rate(1 hour)
      - cloudwatchEvent:
          event:  # broken
            detail: {state: []}
      - sns:
          arn: !Ref Topic
          filterPolicyScope: MessageBody
          filterPolicy:  # broken
            order: {total: [{numeric: [">", 1, "<", 0]}]}
      - sns: arn:aws:sns:us-east-1:123456789012:topic
  consumer:
    handler: handler.consumer
    events:
      - sqs: arn:aws:sqs:us-east-1:123456789012:queue
      - sqs:
          arn: !GetAtt Queue.Arn
          filterPatterns:
            - body: {a: [x]}
            - body: {a: [{cidr: 10.0.0.0/8}]}  # broken
      - stream:
          arn: !GetAtt Table.StreamArn
          filterPatterns:
            - dynamodb: {Keys: {id: {S: [{anything-but: {prefix: x}}]}}}  # broken
      - msk:
          arn: !Ref Cluster
          topic: orders
          filterPatterns:
            - value: {n: [{numeric: ["<", "${self:custom.limit}"]}]}  # unchecked
      - kafka:
          topic: orders
          filterPatterns:
            - value: {"${self:custom.field}": [{suffix: .json}]}
      - activemq:
          filterPatterns:
            - data: {a: [{wildcard: "*"}]}  # broken
      - rabbitmq:
          filterPatterns:
            - data: ${file(./pattern.json)}  # unchecked
  idle:
    handler: handler.idle
resources:
  Resources:
    Rule:
      Type: AWS::Events::Rule
      Properties:
        EventPattern:  # broken
          source: ["${self:custom.source}"]
          detail: {n: [{numeric: ["=", "x"]}]}
"""


def test_serverless_yml_patterns_are_found_and_checked_at_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text(SERVICE)
    result = run_cli("validate", "--quiet", path)
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stdout.splitlines() if ": warning: " not in line]
    warnings = [line for line in result.stdout.splitlines() if ": warning: " in line]
    assert finding_lines("\n".join(errors), str(path)) == marked_lines(SERVICE, "broken")
    assert finding_lines("\n".join(warnings), str(path)) == marked_lines(SERVICE, "unchecked")
    assert [line.split(": ", 1)[1] for line in errors] == [
        "placed.events[0].eventBridge: source[0].prefix: prefix match pattern must be a string",
        "placed.events[2].cloudwatchEvent: detail.state: Empty arrays are not allowed",
        "placed.events[3].sns: order.total[0].numeric: Bottom must be less than top",
        "consumer.events[1].sqs.filterPatterns[1]: body.a[0]: Lambda event filtering does not support "
        '{"cidr": ...}',
        "consumer.events[2].stream.filterPatterns[0]: dynamodb.Keys.id.S[0]: Lambda event filtering does not "
        'support {"anything-but": {"prefix": ...}}',
        "consumer.events[5].activemq.filterPatterns[0]: data.a[0]: Lambda event filtering does not support "
        '{"wildcard": ...}',
        "Rule: detail.n[0].numeric: Value of equals must be numeric",
    ]
    assert [line.split(": warning: ", 1)[1] for line in warnings] == [
        "not checked: ${self:custom.limit} is resolved only at deployment, and numeric takes numbers",
        "not checked: ${file(./pattern.json)} is resolved only at deployment, and it stands for a value list "
        "or an object",
    ]


def test_serverless_yml_valid_patterns_and_the_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text(SERVICE)
    _, out, _ = validate(capsys, path)
    lines = out.splitlines()
    assert (
        f"{path}:30:15: consumer.events[1].sqs.filterPatterns[0]: valid: {MEASURES}, 20 characters" in lines
    )
    assert (
        f"{path}:44:15: consumer.events[4].kafka.filterPatterns[0]: valid: {MEASURES}, 55 characters" in lines
    )
    assert lines[-1] == "11 patterns in 1 file: 2 valid, 7 invalid, 2 not checked; 7 errors, 2 warnings"


def test_the_example_serverless_yml() -> None:
    path = EXAMPLES / "serverless.yml"
    result = run_cli("validate", "--quiet", path)
    assert result.returncode == 1
    text = path.read_text()
    errors = [line for line in result.stdout.splitlines() if ": warning: " not in line]
    assert finding_lines("\n".join(errors), str(path)) == [
        number for number, line in enumerate(text.splitlines(), 1) if "  # broken" in line
    ]
    assert result.stdout.count(": warning: not checked: ${self:custom.minimumTotal}") == 1


def test_a_json_serverless_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    document = {
        "service": "orders",
        "provider": {"name": "aws"},
        "functions": {
            "f": {"events": [{"sqs": {"arn": "arn", "filterPatterns": [{"body": {"a": [{"prefix": 1}]}}]}}]}
        },
    }
    path = tmp_path / "serverless.json"
    path.write_text(json.dumps(document, indent=1))
    status, out, _ = validate(capsys, "-q", path)
    assert (status, out) == (
        1,
        f"{path}:14:17: f.events[0].sqs.filterPatterns[0]: body.a[0].prefix: prefix match pattern must be a "
        "string\n",
    )


def test_match_leaves_out_the_patterns_holding_variables(tmp_path: Path) -> None:
    path = tmp_path / "serverless.yml"
    path.write_text(
        "service: s\n"
        "provider: {name: aws}\n"
        "functions:\n"
        "  f:\n"
        "    events:\n"
        "      - eventBridge: {pattern: {source: [aws.ec2]}}\n"
        "      - eventBridge: {pattern: {source: ['${self:custom.source}']}}\n"
    )
    result = run_cli("match", "--rules", path, "--format", "names", stdin='{"source": "aws.ec2"}\n')
    assert result.returncode == 0
    assert result.stdout == "f.events[0].eventBridge\n"
    assert result.stderr == (
        f"{path}:7:23: f.events[1].eventBridge: source[0]: warning: left out: contains an intrinsic function "
        "or a Serverless variable\n"
    )
