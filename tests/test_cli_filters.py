"""``eventmatch validate``: Lambda event source mapping and Pipes filters follow their services' rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .test_cli_support import run_cli
from .test_cli_validate import validate

# (name, pattern, accepted by Lambda, accepted by Pipes): the pages cited in filter_grammars.py
OPERATORS = [
    ("exact", {"a": ["x", 1, True]}, True, True),
    ("null", {"a": [None]}, True, True),
    ("empty", {"a": [""]}, True, True),
    ("equals-ignore-case", {"a": [{"equals-ignore-case": "x"}]}, True, True),
    ("anything-but", {"a": [{"anything-but": ["x", "y"]}]}, True, True),
    ("numeric", {"a": [{"numeric": [">", 10, "<=", 20]}]}, True, True),
    ("exists", {"a": [{"exists": False}]}, True, True),
    ("prefix", {"a": [{"prefix": "us-"}]}, True, True),
    ("suffix", {"a": [{"suffix": ".png"}]}, True, True),
    ("$or", {"$or": [{"a": ["x"]}, {"b": ["y"]}]}, True, True),
    ("prefix ignore-case", {"a": [{"prefix": {"equals-ignore-case": "us-"}}]}, False, True),
    ("suffix ignore-case", {"a": [{"suffix": {"equals-ignore-case": ".png"}}]}, False, True),
    ("anything-but prefix", {"a": [{"anything-but": {"prefix": "us-"}}]}, False, False),
    ("anything-but suffix", {"a": [{"anything-but": {"suffix": ".png"}}]}, False, False),
    ("anything-but ignore-case", {"a": [{"anything-but": {"equals-ignore-case": "x"}}]}, False, False),
    ("anything-but wildcard", {"a": [{"anything-but": {"wildcard": "*/lib/*"}}]}, False, False),
    ("wildcard", {"a": [{"wildcard": "dir/*.png"}]}, False, False),
    ("cidr", {"a": [{"cidr": "10.0.0.0/24"}]}, False, False),
    ("exactly", {"a": [{"exactly": "x"}]}, False, False),
]
FORMS = {
    "prefix ignore-case": '{"prefix": {"equals-ignore-case": ...}}',
    "suffix ignore-case": '{"suffix": {"equals-ignore-case": ...}}',
    "anything-but prefix": '{"anything-but": {"prefix": ...}}',
    "anything-but suffix": '{"anything-but": {"suffix": ...}}',
    "anything-but ignore-case": '{"anything-but": {"equals-ignore-case": ...}}',
    "anything-but wildcard": '{"anything-but": {"wildcard": ...}}',
    "wildcard": '{"wildcard": ...}',
    "cidr": '{"cidr": ...}',
    "exactly": '{"exactly": ...}',
}
LAMBDA = "Lambda event filtering"
PIPES = "EventBridge Pipes filtering"


def _template(service: str, patterns: list[object]) -> str:
    """A template whose one resource has a filter for each pattern, the first on line 7 (Lambda) or 8."""
    if service == "lambda":
        head, indent = (
            "    Type: AWS::Lambda::EventSourceMapping\n    Properties:\n      FilterCriteria:\n",
            8,
        )
    else:
        head = (
            "    Type: AWS::Pipes::Pipe\n    Properties:\n      SourceParameters:\n        FilterCriteria:\n"
        )
        indent = 10
    filters = "".join(f"{' ' * indent}  - Pattern: '{json.dumps(pattern)}'\n" for pattern in patterns)
    return f"Resources:\n  Source:\n{head}{' ' * indent}Filters:\n{filters}"


@pytest.mark.parametrize(
    ("service", "grammar", "accepted", "where"), [("lambda", LAMBDA, 2, "7:13"), ("pipes", PIPES, 3, "8:15")]
)
def test_each_service_accepts_its_own_operators(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, service: str, grammar: str, accepted: int, where: str
) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(_template(service, [operator[1] for operator in OPERATORS]))
    status, out, _ = validate(capsys, "-q", path)
    line, column = map(int, where.split(":"))
    expected = [
        f"{path}:{line + index}:{column}: Source.Filters[{index}]: a[0]: {grammar} does not support "
        f"{FORMS[operator[0]]}"
        for index, operator in enumerate(OPERATORS)
        if not operator[accepted]
    ]
    assert status == 1
    assert out.splitlines() == expected


def test_an_eventbridge_rule_takes_every_operator(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({f"with {name}": pattern for name, pattern, *_ in OPERATORS}))
    assert validate(capsys, "-q", path) == (0, "", "")


def test_every_refused_operator_is_reported_before_the_compiler_looks(tmp_path: Path) -> None:
    template = tmp_path / "template.yaml"
    pattern = {"body": {"a": [{"wildcard": "x**"}], "b": [{"cidr": "10.0.0.0/24"}], "c": [{"prefix": 1}]}}
    template.write_text(_template("lambda", [pattern]))
    result = run_cli("validate", "-q", template)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        f'{template}:7:13: Source.Filters[0]: body.a[0]: {LAMBDA} does not support {{"wildcard": ...}}',
        f'{template}:7:13: Source.Filters[0]: body.b[0]: {LAMBDA} does not support {{"cidr": ...}}',
    ]


def test_sam_event_filters_are_lambda_filters(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  Fn:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Events:\n"
        "        Stream:\n"
        "          Type: DynamoDB\n"
        "          Properties:\n"
        "            FilterCriteria:\n"
        "              Filters:\n"
        '                - Pattern: \'{"dynamodb": {"Keys": {"id": {"S": [{"wildcard": "a*"}]}}}}\'\n'
        "        Bus:\n"
        "          Type: EventBridgeRule\n"
        "          Properties:\n"
        "            Pattern: {detail: {id: [{wildcard: a*}]}}\n"
    )
    status, out, _ = validate(capsys, "-q", path)
    assert status == 1
    assert out == (
        f"{path}:12:19: Fn.Events.Stream.Filters[0]: dynamodb.Keys.id.S[0]: {LAMBDA} does not support "
        '{"wildcard": ...}\n'
    )  # the EventBridge rule's wildcard is fine


@pytest.mark.parametrize(("size", "message"), [(2500, None), (4096, None), (4097, "4,097")])
def test_a_filter_takes_4096_characters_without_a_quota(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, size: int, message: str | None
) -> None:
    pattern = {"body": {"a": [""]}}
    pattern["body"]["a"] = ["x" * (size - len(json.dumps(pattern)))]  # the JSON string, as written
    path = tmp_path / "template.yaml"
    path.write_text(_template("pipes", [pattern]))
    status, out, _ = validate(capsys, "-q", path)
    expected = (
        f"{path}:8:15: Source.Filters[0]: pattern is {message} characters: above {PIPES}'s maximum of 4,096\n"
    )
    assert (status, out) == ((1, expected) if message else (0, ""))


def test_the_json_report_names_the_service(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(
        _template("pipes", [{"a": ["x"]}])
        + "  Mapping:\n"
        + _template("lambda", [{"b": ["y"]}]).split("  Source:\n", 1)[1]
        + "  Rule:\n    Type: AWS::Events::Rule\n    Properties:\n      EventPattern: {c: [z]}\n"
    )
    status, out, _ = validate(capsys, "--format", "json", path)
    assert status == 0
    rules = json.loads(out)["rules"]
    assert [(rule["name"], rule["service"]) for rule in rules] == [
        ("Source.Filters[0]", "pipes"),
        ("Mapping.Filters[0]", "lambda"),
        ("Rule", "events"),
    ]
