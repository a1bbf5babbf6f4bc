"""``eventmatch validate`` on templates whose patterns hold intrinsic functions: checked around them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_cli_support import run_cli
from .test_cli_validate import MEASURES, finding_lines, marked_lines, validate

NOT_CHECKED = "warning: not checked:"
AT_DEPLOYMENT = "is resolved only at deployment, and"

TEMPLATE = """\
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  AroundRefs:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:  # broken
        source: [aws.s3]
        account: [!Ref AWS::AccountId]
        resources: [!Sub "arn:${AWS::Partition}:s3:::${Bucket}", !GetAtt Bucket.Arn]
        detail:
          key: [{prefix: !Ref Prefix}, {suffix: !Join ["", [., !Ref Extension]]}]
          name: [{anything-but: !Ref Excluded}, {equals-ignore-case: !ImportValue Shared}]
          size: [{numeric: [">", 5, "<", 1]}]
  TypedOperands:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:
        detail:
          size: [{numeric: [">", !Ref MinSize]}]  # unchecked
          tag: [{exists: !Ref MustExist}]  # unchecked
          ip: [{cidr: !Ref Range}]  # unchecked
          path: [{wildcard: !Ref Glob}]  # unchecked
          code: [{anything-but: [1, !Ref Code]}]  # unchecked
          sources: !Ref Sources  # unchecked
          bucket: [{wildcard: !Sub "arn:${AWS::Partition}:s3:::logs-*"}]
  WildSub:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:  # broken
        path: [{wildcard: !Sub "${Root}/**"}]
  WholeRef:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: !Ref PatternParameter  # unchecked
  SubText:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: !Sub '{"account": ["${AWS::AccountId}"], "n": [{"numeric": [">", 1, "<", 0]}]}'  # broken
  SubOutsideStrings:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: !Sub '{"n": [{"numeric": [">", ${Minimum}]}]}'  # unchecked
  Branches:
    Type: AWS::Events::Rule
    Properties:
      EventPattern:  # broken
        source: [aws.ec2]
        detail: !If [IsProd, {state: [running]}, {state: [{prefix: 1}]}]
        region: [!If [IsProd, !Ref AWS::NoValue, us-east-1]]
  AsJson:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: !ToJsonString {source: [aws.ec2], detail: {state: [!Ref State]}}
"""


def test_a_template_is_checked_around_its_intrinsic_functions(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(TEMPLATE)
    result = run_cli("validate", "--quiet", template)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    errors = [line for line in lines if NOT_CHECKED not in line]
    warnings = [line for line in lines if NOT_CHECKED in line]
    assert sorted(set(finding_lines("\n".join(errors), str(template)))) == marked_lines(TEMPLATE, "broken")
    assert finding_lines("\n".join(warnings), str(template)) == marked_lines(TEMPLATE, "unchecked")
    assert errors == [
        f"{template}:7:7: AroundRefs: detail.size[0].numeric: Bottom must be less than top",
        f"{template}:30:7: WildSub: path[0].wildcard: Consecutive wildcard characters at pos 9",
        f"{template}:39:7: SubText: n[0].numeric: Bottom must be less than top",
        f"{template}:47:7: Branches: region: Empty arrays are not allowed (when IsProd)",
        f"{template}:47:7: Branches: detail.state[0].prefix: prefix match pattern must be a string "
        "(when not IsProd)",
    ]
    messages = [line.split(": ", 2)[2] for line in warnings]
    assert messages == [
        f"detail.size[0].numeric: {NOT_CHECKED} !Ref MinSize {AT_DEPLOYMENT} numeric takes numbers",
        f"detail.tag[0].exists: {NOT_CHECKED} !Ref MustExist {AT_DEPLOYMENT} exists takes true or false",
        f"detail.ip[0].cidr: {NOT_CHECKED} !Ref Range {AT_DEPLOYMENT} cidr takes an IP address range",
        f"detail.path[0].wildcard: {NOT_CHECKED} !Ref Glob {AT_DEPLOYMENT} it is a whole wildcard operand, "
        "whose * are unknown",
        f"detail.code[0].anything-but: {NOT_CHECKED} !Ref Code {AT_DEPLOYMENT} anything-but takes values of "
        "one type",
        f"detail.sources: {NOT_CHECKED} !Ref Sources {AT_DEPLOYMENT} it stands for a value list or an object",
        f"{NOT_CHECKED} !Ref PatternParameter {AT_DEPLOYMENT} it stands for the whole pattern",
        f"{NOT_CHECKED} !Sub ${{Minimum}} {AT_DEPLOYMENT} it stands outside a JSON string of the pattern "
        "text",
    ]
    assert warnings[0].startswith(f"{template}:20:34: TypedOperands: ")  # at the !Ref


def test_what_is_checked_around_intrinsics_is_measured(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    template.write_text(TEMPLATE)
    document = json.loads(run_cli("validate", "--format", "json", template).stdout)
    rules = {rule["name"]: rule for rule in document["rules"]}
    assert {name: rule["status"] for name, rule in rules.items()} == {
        "AroundRefs": "invalid",
        "TypedOperands": "unchecked",
        "WildSub": "invalid",
        "WholeRef": "unchecked",
        "SubText": "invalid",
        "SubOutsideStrings": "unchecked",
        "Branches": "invalid",
        "AsJson": "valid",
    }
    typed = rules["TypedOperands"]
    assert (typed["wildcard_complexity"], typed["size"]) == (2, 198)  # the skipped parts as placeholders
    assert rules["AsJson"]["size"] == len('{"source":["aws.ec2"],"detail":{"state":["${State}"]}}')
    assert rules["WholeRef"]["size"] is None


def test_a_json_template_is_checked_around_intrinsics_at_their_lines(tmp_path: Path) -> None:
    pattern = {
        "account": [{"Ref": "AWS::AccountId"}],
        "detail": {"n": [{"numeric": [">", {"Ref": "Minimum"}]}], "m": [{"numeric": [">", 2, "<", 1]}]},
    }
    template = {"Resources": {"Rule": {"Type": "AWS::Events::Rule", "Properties": {"EventPattern": pattern}}}}
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template, indent=2))
    result = run_cli("validate", "--quiet", path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f"{path}:6:25: Rule: detail.m[0].numeric: Bottom must be less than top",
        f"{path}:18:28: Rule: detail.n[0].numeric: {NOT_CHECKED} !Ref Minimum {AT_DEPLOYMENT} numeric takes "
        "numbers",
    ]


def test_if_branches_checked_with_one_branch_per_condition(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n"
        "  Rule:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties:\n"
        "      EventPattern:\n"
        "        a: !If [A, [x], [{prefix: 1}]]\n"
        "        b: !If [A, [{suffix: 1}], [y]]\n"
        "        c: !If [B, [z], [{exists: 1}]]\n"
    )
    status, out, _ = validate(capsys, "-q", path)
    assert status == 1
    assert out.splitlines() == [  # "A and not A" is never a combination: b's error comes with A only
        f"{path}:5:7: Rule: b[0].suffix: suffix match pattern must be a string (when A, B)",
        f"{path}:5:7: Rule: b[0].suffix: suffix match pattern must be a string (when A, not B)",
        f"{path}:5:7: Rule: a[0].prefix: prefix match pattern must be a string (when not A, B)",
        f"{path}:5:7: Rule: a[0].prefix: prefix match pattern must be a string (when not A, not B)",
    ]


def test_many_ifs_stand_for_unknown_values(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    members = "".join(f"        f{index}: [!If [C{index}, a, b]]\n" for index in range(5))
    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern:\n" + members
    )
    status, out, _ = validate(capsys, path)
    assert (status, out.splitlines()[0]) == (0, f"{path}:5:7: Rule: valid: {MEASURES}, 76 characters")


def test_a_pattern_every_branch_removes_is_not_checked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n"
        "  Rule:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties:\n"
        "      EventPattern: !If [C, !Ref AWS::NoValue, !Ref AWS::NoValue]\n"
        "      ScheduleExpression: rate(1 hour)\n"
    )
    status, out, _ = validate(capsys, "-q", path)
    assert (status, out) == (
        0,
        f"{path}:5:7: Rule: warning: not checked: each branch of its !If is AWS::NoValue, so there is no "
        "pattern\n",
    )


def test_dollar_braces_outside_sub_are_plain_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n"
        "  Rule:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties:\n"
        '      EventPattern: {detail-type: ["${literally}"]}\n'
    )
    status, out, _ = validate(capsys, path)
    assert (status, out.splitlines()[0]) == (0, f"{path}:5:7: Rule: valid: {MEASURES}, 32 characters")


def test_join_and_sub_texts_operator_names_and_or_branches(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(
        "Resources:\n"
        "  Joined:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties:\n"
        "      EventPattern: !Join\n"
        "        - ''\n"
        '        - [\'{"account": ["\', !Ref AWS::AccountId, \'"], "n": [1, {"prefix": 2}]}\']\n'
        "  SubList:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties:\n"
        '      EventPattern: !Sub [\'{"a": ["${x}", "${!literal}"]}\', {x: !Ref Y}]\n'
        "  Operator:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties:\n"
        '      EventPattern: !Sub \'{"a": [{"${Operator}": "x"}], "b": [{"suffix": 1}]}\'\n'
        "  Branch:\n"
        "    Type: AWS::Events::Rule\n"
        "    Properties:\n"
        "      EventPattern:\n"
        "        $or: [!Ref Alternative, {b: [x]}]\n"
    )
    status, out, _ = validate(capsys, path)
    assert status == 1
    assert out.splitlines() == [
        f"{path}:5:7: Joined: n[1].prefix: prefix match pattern must be a string",
        f"{path}:11:7: SubList: valid: {MEASURES}, 29 characters",  # '{"a": ["${x}", "${literal}"]}'
        f"{path}:15:7: Operator: b[0].suffix: suffix match pattern must be a string",
        f"{path}:15:21: Operator: a[0]: {NOT_CHECKED} !Sub ${{Operator}} {AT_DEPLOYMENT} it names the "
        "operator",
        f"{path}:20:15: Branch: $or[0]: {NOT_CHECKED} !Ref Alternative {AT_DEPLOYMENT} it stands for an $or "
        "branch",
        "4 patterns in 1 file: 1 valid, 2 invalid, 1 not checked; 2 errors, 2 warnings",
    ]
